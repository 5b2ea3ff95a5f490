import * as z from "zod/mini";
import { jsonValueSchema } from "../options/json-value-schema";

const REASON_KINDS = ["OFF", "TARGET_MATCH", "RULE_MATCH", "FALLTHROUGH", "ERROR", "UNKNOWN"] as const;
const ERROR_KINDS = ["FLAG_NOT_FOUND", "MALFORMED_FLAG", "USER_NOT_SPECIFIED", "CLIENT_NOT_READY", "WRONG_TYPE", "EXCEPTION"] as const;

/**
 * A reason as the server encodes it (PROTOCOL.md §3.3): zero values omitted. An unknown `kind`
 * (a newer server) reads as UNKNOWN instead of rejecting the whole payload.
 */
export const wireReasonSchema = z.object({
  kind: z.catch(z.enum(REASON_KINDS), "UNKNOWN"),
  ruleId: z.optional(z.string()),
  ruleIndex: z.optional(z.number().check(z.int(), z.nonnegative())),
  inRollout: z.optional(z.boolean()),
  errorKind: z.catch(z.optional(z.enum(ERROR_KINDS)), undefined),
});

/**
 * An object keyed by flag key, passed through as is: each entry is validated on its own, because
 * `z.record` rebuilds the object and a flag named `__proto__` would vanish into the prototype.
 */
const flagMapSchema = z.custom<Record<string, unknown>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "expected an object keyed by flag key",
);

/** `GET /api/v1/sdk/v2/flags` (PROTOCOL.md §1.3): the envelope; entries use `v2FlagSchema`. */
export const v2FlagsResponseSchema = z.object({ flags: flagMapSchema });

/**
 * One entry of a v2 `flags` object. An enabled string, number or json flag must carry a value of
 * that type (PROTOCOL.md §3.8); a boolean-typed flag may carry any value (the server reports
 * array-valued flags as `boolean`), and a disabled flag carries `false`.
 */
export const v2FlagSchema = z
  .object({
    key: z.optional(z.string()),
    type: z.enum(["boolean", "string", "number", "json"]),
    value: jsonValueSchema,
    enabled: z.boolean(),
    reason: z.optional(wireReasonSchema),
  })
  .check(
    z.refine(
      (flag) =>
        !flag.enabled ||
        flag.type === "boolean" ||
        (flag.type === "json" ? typeof flag.value === "object" && flag.value !== null : typeof flag.value === flag.type),
      { message: "the value does not match the declared type", path: ["value"] },
    ),
  );

/** `GET /api/v1/sdk/flags` (PROTOCOL.md §1.2): the envelope; `flags` entries are booleans, `reasons` entries use `wireReasonSchema`. */
export const v1FlagsResponseSchema = z.object({ flags: flagMapSchema, reasons: z.optional(flagMapSchema) });

export type WireReason = z.infer<typeof wireReasonSchema>;
