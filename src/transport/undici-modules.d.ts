// The undici modules that src/transport/undici-http.ts loads by path (undici ships no types
// for them). Their shapes are checked when they load; the types come from undici's entry.
declare module "undici/lib/dispatcher/agent.js" {
  const Agent: unknown;
  export default Agent;
}

declare module "undici/lib/api/api-request.js" {
  const request: unknown;
  export default request;
}

// A small module of undici's that requires `node:assert` as it loads: probeUndiciLoads imports it
// only to see whether this build can require Node built-ins, and uses nothing from it.
declare module "undici/lib/handler/cache-revalidation-handler.js" {
  const handler: unknown;
  export default handler;
}
