import type { Agent, Dispatcher } from "undici";
import { asBundlingError } from "./bundling-error";

/** The two parts of undici the flags transport uses: a keep-alive connection pool and its request API. */
export interface UndiciHttp {
  /** Where they came from: the two modules alone, or undici's package entry. */
  readonly loadedFrom: "modules" | "package";
  createAgent(options: Agent.Options): Dispatcher;
  request(dispatcher: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
}

type RequestFunction = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
type CommonJsDefault<T> = { readonly default: T };

/**
 * Loads the agent and request modules by themselves. `undici`'s entry also loads fetch,
 * WebSocket, EventSource, caches and mocks: 56 ms in a fresh process, against 20 ms for these
 * two, which is all a client without streaming needs (the SSE stack loads the whole package
 * when streaming starts). undici has no `exports` map, so these paths resolve on every install.
 */
async function loadModules(): Promise<UndiciHttp> {
  const [agent, request] = await Promise.all([
    import("undici/lib/dispatcher/agent.js") as Promise<CommonJsDefault<typeof Agent>>,
    import("undici/lib/api/api-request.js") as Promise<CommonJsDefault<RequestFunction>>,
  ]);
  const AgentClass = agent.default;
  const requestOn = request.default;
  if (typeof AgentClass !== "function" || typeof requestOn !== "function") throw new TypeError("undici's agent or request module has another shape");
  return {
    loadedFrom: "modules",
    createAgent: (options) => new AgentClass(options),
    request: (dispatcher, options) => requestOn.call(dispatcher, options),
  };
}

async function loadPackage(): Promise<UndiciHttp> {
  const undici = await import("undici");
  return {
    loadedFrom: "package",
    createAgent: (options) => new undici.Agent(options),
    request: (dispatcher, options) => dispatcher.request(options),
  };
}

/** Tries each loader in turn; the first that works wins. Exported for the fallback's test. */
export async function firstLoaded(loaders: readonly (() => Promise<UndiciHttp>)[]): Promise<UndiciHttp> {
  let failure: unknown;
  for (const load of loaders) {
    try {
      return await load();
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

let loading: Promise<UndiciHttp> | undefined;
let probing: Promise<void> | undefined;

/**
 * Checks, for about a millisecond, that undici could load here, without loading it: the first
 * flags request goes over node:http (see HttpFlagsTransport), so without this check an
 * ES-module bundle that cannot load undici would pass init and only fail at the second request,
 * as an outage. The probe is one small undici module that requires a Node built-in as undici's
 * others do, so a bundler's `require` stand-in fails on it exactly as it would on undici. Any
 * other failure (say, a later undici that moved the file) is left to the real load to report.
 */
export function probeUndiciLoads(): Promise<void> {
  probing ??= import("undici/lib/handler/cache-revalidation-handler.js").then(
    () => undefined,
    (error: unknown) => {
      const bundling = asBundlingError(error);
      if (bundling !== error) throw bundling;
    },
  );
  return probing;
}

/**
 * undici, loaded at the first request instead of when rollgate is imported, so that importing
 * costs nothing for it and a client that never makes a request (test data, a process that
 * exits first) never loads it. Should a later undici move the two modules, the package entry
 * is loaded instead: slower to load, same behaviour. An ES-module bundle that cannot load undici
 * fails with a configuration error that says the fix (see asBundlingError).
 */
export function loadUndiciHttp(): Promise<UndiciHttp> {
  loading ??= firstLoaded([loadModules, loadPackage]).catch((error: unknown) => {
    throw asBundlingError(error);
  });
  return loading;
}
