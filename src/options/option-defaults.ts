/** Defaults of the client's top-level options (seconds for durations). */
export const OPTION_DEFAULTS = Object.freeze({
  baseUrl: "https://api.rollgate.io",
  refreshInterval: 30,
  enableStreaming: false,
  timeout: 5,
  initTimeout: 10,
  streamReadTimeout: 300,
  maxPayloadBytes: 5 * 1024 * 1024,
});
