/** Defaults of the client's top-level options (seconds for durations). */
export const OPTION_DEFAULTS = Object.freeze({
  baseUrl: "https://api.rollgate.io",
  refreshInterval: 30,
  enableStreaming: false,
  timeout: 5,
  initTimeout: 10,
  streamReadTimeout: 300,
  // 100,000 flags with reasons are about 12.6 MB: the limit guards against runaway bodies, not real flag sets.
  maxPayloadBytes: 16 * 1024 * 1024,
  // connections ≈ new users per second × latency: 300 new users/s at 150 ms is 45; 64 leaves room
  // for the default user's polls and background refetches.
  connections: 64,
});
