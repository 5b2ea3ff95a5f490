import { z } from "zod";
import type { EvaluationReason } from "../../src/model/evaluation-reason";
import type { FlagState } from "../../src/model/flag-state";
import { schemaValue, schemaValueDetail } from "../../src/snapshot/schema-value";
import type { StandardSchemaV1 } from "../../src/snapshot/standard-schema";

const FALLTHROUGH: EvaluationReason = { kind: "FALLTHROUGH", inRollout: true };
const UNKNOWN: EvaluationReason = { kind: "ERROR", errorKind: "FLAG_NOT_FOUND" };
const json = (value: FlagState["value"], enabled = true): FlagState => ({ type: "json", enabled, value, reason: FALLTHROUGH });

const rateLimit = z.object({ enabled: z.boolean(), limit: z.number() });
const fallback = { enabled: false, limit: 100 };

/** A hand-written Standard Schema v1 validator that counts its calls. */
function countingSchema<T>(accept: (value: unknown) => value is T): StandardSchemaV1<unknown, T> & { calls: number } {
  const schema = {
    calls: 0,
    "~standard": {
      version: 1 as const,
      vendor: "test",
      validate: (value: unknown) => {
        schema.calls += 1;
        return accept(value) ? { value } : { issues: [{ message: "nope" }] };
      },
    },
  };
  return schema;
}

describe("schemaValue", () => {
  it("serves a value that matches a zod schema, typed from the schema", () => {
    const value = schemaValue(json({ enabled: true, limit: 5 }), rateLimit, fallback);
    const limit: number = value.limit;
    expect(limit).toBe(5);
  });

  it("serves the default for the bundled flags file's rate-limit-config, whose shape differs", () => {
    expect(schemaValue(json({ burst: 50, requests_per_minute: 600 }), rateLimit, fallback)).toBe(fallback);
  });

  it("serves the default for an unknown flag and for a flag that serves nothing", () => {
    expect(schemaValue(undefined, rateLimit, fallback)).toBe(fallback);
    expect(schemaValue(json({ enabled: true, limit: 5 }, false), rateLimit, fallback)).toBe(fallback);
  });

  it("serves the schema's output, so transforms and defaults apply, frozen like flag values", () => {
    const withDefaults = z.object({ limit: z.number(), burst: z.number().default(10) });
    const value = schemaValue(json({ limit: 5, extra: "stripped" }), withDefaults, { limit: 1, burst: 1 });
    expect(value).toEqual({ limit: 5, burst: 10 });
    expect(Object.isFrozen(value)).toBe(true);
  });

  it("validates once per flag state and schema, however often it is read", () => {
    const isNumber = countingSchema((v): v is number => typeof v === "number");
    const state = json(3);
    for (let i = 0; i < 1000; i++) expect(schemaValue(state, isNumber, 0)).toBe(3);
    expect(isNumber.calls).toBe(1);
    const changed = json(4);
    expect(schemaValue(changed, isNumber, 0)).toBe(4);
    expect(isNumber.calls).toBe(2);
  });

  it("keeps results apart per schema on the same flag state", () => {
    const state = json("text");
    expect(schemaValue(state, z.string(), "default")).toBe("text");
    expect(schemaValue(state, z.number(), 7)).toBe(7);
    expect(schemaValue(state, z.string(), "default")).toBe("text");
  });

  it("caches a failure too: a failing value is not revalidated on every read", () => {
    const isNumber = countingSchema((v): v is number => typeof v === "number");
    const state = json("not a number");
    for (let i = 0; i < 10; i++) expect(schemaValue(state, isNumber, 1)).toBe(1);
    expect(isNumber.calls).toBe(1);
  });

  it("accepts any Standard Schema v1 validator, not only zod", () => {
    const isString = countingSchema((v): v is string => typeof v === "string");
    expect(schemaValue(json("dark"), isString, "light")).toBe("dark");
    expect(schemaValue(json(1), isString, "light")).toBe("light");
  });

  it("checks that zod 4 schemas implement Standard Schema v1", () => {
    expect(rateLimit["~standard"].version).toBe(1);
    expect(rateLimit["~standard"].vendor).toBe("zod");
  });
});

describe("schemaValueDetail", () => {
  it("gives the flag's reason when the value passes", () => {
    expect(schemaValueDetail(json({ enabled: true, limit: 5 }), rateLimit, fallback, UNKNOWN)).toEqual({ value: { enabled: true, limit: 5 }, reason: FALLTHROUGH });
  });

  it("gives WRONG_TYPE when the value fails the schema", () => {
    expect(schemaValueDetail(json({ burst: 50 }), rateLimit, fallback, UNKNOWN)).toEqual({ value: fallback, reason: { kind: "ERROR", errorKind: "WRONG_TYPE" } });
  });

  it("gives the caller's missing reason for an unknown flag and the flag's reason when it serves nothing", () => {
    expect(schemaValueDetail(undefined, rateLimit, fallback, UNKNOWN)).toEqual({ value: fallback, reason: UNKNOWN });
    expect(schemaValueDetail(json({ enabled: true, limit: 5 }, false), rateLimit, fallback, UNKNOWN)).toEqual({ value: fallback, reason: FALLTHROUGH });
  });

  it("gives EXCEPTION for a schema that throws, without throwing itself", () => {
    const throwing: StandardSchemaV1<unknown, number> = {
      "~standard": { version: 1, vendor: "test", validate: () => { throw new Error("boom"); } },
    };
    expect(schemaValueDetail(json(1), throwing, 0, UNKNOWN)).toEqual({ value: 0, reason: { kind: "ERROR", errorKind: "EXCEPTION" } });
  });

  it("gives EXCEPTION for an asynchronous schema (a getter cannot wait), and leaves no unhandled rejection", async () => {
    const asyncRefine = z.number().refine(async () => Promise.resolve(true));
    const rejecting: StandardSchemaV1<unknown, number> = {
      "~standard": { version: 1, vendor: "test", validate: () => Promise.reject(new Error("async failure")) },
    };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      expect(schemaValueDetail(json(1), asyncRefine, 0, UNKNOWN)).toEqual({ value: 0, reason: { kind: "ERROR", errorKind: "EXCEPTION" } });
      expect(schemaValueDetail(json(1), rejecting, 0, UNKNOWN)).toEqual({ value: 0, reason: { kind: "ERROR", errorKind: "EXCEPTION" } });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });
});
