import { parseCacheEntry } from "../../src/cache/cache-entry";
import { validateUser } from "../../src/scope/validate-user";
import { PayloadError, RollgateConfigError } from "../../src/errors";
import { resolveOptions } from "../../src/client/resolve-options";
import { decodeV1Flags, decodeV2Flags } from "../../src/transport/decode-flags";

/**
 * The client's schemas are written against zod/mini, which loads no locale: without the parse
 * context IN_ENGLISH, every message zod words itself would read "Invalid input". Classic zod
 * (the local server's) sets the English locale globally when it loads, which would hide a
 * missing IN_ENGLISH: this file loads none of it, and checks that it does not.
 */

const KEY = "rg_server_in_english";

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("accepted");
}

describe("zod's English messages without a global zod locale", () => {
  it("runs with no zod locale configured globally (else the checks below prove nothing)", () => {
    const config = (globalThis as { __zod_globalConfig?: { localeError?: unknown } }).__zod_globalConfig;
    expect(config?.localeError).toBeUndefined();
  });

  it.each([
    [{ retry: { maxRetries: -1 } }, "Invalid option retry.maxRetries: Too small: expected number to be >=0"],
    [{ retry: { maxRetries: 1.5 } }, "Invalid option retry.maxRetries: Invalid input: expected int, received number"],
    [{ events: { maxBatch: 20_000 } }, "Invalid option events.maxBatch: Too big: expected number to be <=10000"],
    [{ circuitBreaker: { failureThreshold: "5" } }, 'Invalid option circuitBreaker.failureThreshold: Invalid input: expected number, received string'],
    [{ retry: { maxRetry: 1 } }, 'Invalid option retry: Unrecognized key: "maxRetry"'],
  ])("words an option error %#", (options, message) => {
    const error = thrown(() => resolveOptions({ apiKey: KEY, ...options }));
    expect(error).toBeInstanceOf(RollgateConfigError);
    // What follows "; got" describes the given value: rollgate's words, not zod's.
    expect(error.message.split("; got ")[0]).toBe(message);
  });

  it("words a user error", () => {
    expect(thrown(() => validateUser({ id: "u", email: 3 })).message).toBe(
      'Invalid user.email: expected a string. A user is { id: "non-empty string", email?, attributes? }.',
    );
    expect(thrown(() => validateUser("u")).message).toBe(
      'Invalid user: Invalid input: expected object, received string. A user is { id: "non-empty string", email?, attributes? }.',
    );
  });

  it("words the issues of a rejected payload", () => {
    const v2 = thrown(() => decodeV2Flags({ flags: { a: { type: "string", value: "x", enabled: "yes" }, b: { type: "colour", value: 1, enabled: true } } }, "GET /flags"));
    expect(v2).toBeInstanceOf(PayloadError);
    expect((v2 as PayloadError).issues).toEqual([
      { path: "flags.a.enabled", message: "Invalid input: expected boolean, received string" },
      { path: "flags.b.type", message: 'Invalid option: expected one of "boolean"|"string"|"number"|"json"' },
    ]);
    const v1 = thrown(() => decodeV1Flags({ flags: { a: true }, reasons: { a: { kind: "OFF", ruleIndex: -2 } } }, "GET /flags"));
    expect((v1 as PayloadError).issues).toEqual([{ path: "reasons.a.ruleIndex", message: "Too small: expected number to be >=0" }]);
    expect((thrown(() => decodeV1Flags("{}", "GET /flags")) as PayloadError).issues).toEqual([{ path: "", message: "Invalid input: expected object, received string" }]);
  });

  it("words why a cache entry is ignored", () => {
    expect(parseCacheEntry(JSON.stringify({ version: 1, savedAt: -1, flags: {} }))).toEqual({ ok: false, reason: "savedAt: Too small: expected number to be >=0" });
    const flag = { type: "boolean", enabled: true, value: true, reason: { kind: "MAYBE" } };
    expect(parseCacheEntry(JSON.stringify({ version: 1, savedAt: 0, flags: { f: flag } }))).toEqual({
      ok: false,
      reason: 'flags.f.reason.kind: Invalid option: expected one of "OFF"|"TARGET_MATCH"|"RULE_MATCH"|"FALLTHROUGH"|"ERROR"|"UNKNOWN"',
    });
  });
});
