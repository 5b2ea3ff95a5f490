import { z } from "zod";
import { jsonValueSchema } from "../options/json-value-schema";

const REASON_KINDS = ["OFF", "TARGET_MATCH", "RULE_MATCH", "FALLTHROUGH", "ERROR", "UNKNOWN"] as const;
const ERROR_KINDS = ["FLAG_NOT_FOUND", "MALFORMED_FLAG", "USER_NOT_SPECIFIED", "CLIENT_NOT_READY", "WRONG_TYPE", "EXCEPTION"] as const;

/**
 * A reason as the server encodes it (PROTOCOL.md §3.3): zero values omitted. An unknown `kind`
 * (a newer server) reads as UNKNOWN instead of rejecting the whole payload.
 */
export const wireReasonSchema = z.object({
  kind: z.enum(REASON_KINDS).catch("UNKNOWN"),
  ruleId: z.string().optional(),
  ruleIndex: z.number().int().nonnegative().optional(),
  inRollout: z.boolean().optional(),
  errorKind: z.enum(ERROR_KINDS).optional().catch(undefined),
});

/** `GET /api/v1/sdk/v2/flags` (PROTOCOL.md §1.3). */
export const v2FlagsResponseSchema = z.object({
  flags: z.record(
    z.string(),
    z.object({
      key: z.string().optional(),
      type: z.enum(["boolean", "string", "number", "json"]),
      value: jsonValueSchema,
      enabled: z.boolean(),
      reason: wireReasonSchema.optional(),
    }),
  ),
});

/** `GET /api/v1/sdk/flags` (PROTOCOL.md §1.2). */
export const v1FlagsResponseSchema = z.object({
  flags: z.record(z.string(), z.boolean()),
  reasons: z.record(z.string(), wireReasonSchema).optional(),
});

export type WireReason = z.infer<typeof wireReasonSchema>;
