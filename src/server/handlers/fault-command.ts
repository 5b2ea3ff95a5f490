import * as z from "zod/mini";
import { IN_ENGLISH } from "../../options/in-english";
import type { ErrorFault, FaultCount, ServerFaultControls } from "../server-faults";
import { MALFORMED_KINDS } from "../server-faults";

const count = z.optional(z.union([z.number().check(z.int(), z.minimum(1)), z.literal("all")], { error: 'expected a whole number of at least 1 or "all"' }));

const errorFaultFields = {
  status: z
    .number({ error: "expected an HTTP status" })
    .check(z.int(), z.minimum(200, { error: "expected a status from 200 to 599" }), z.maximum(599, { error: "expected a status from 200 to 599" })),
  count,
  retryAfter: z.optional(z.number({ error: "expected whole seconds above 0" }).check(z.int(), z.minimum(1, { error: "expected whole seconds above 0" }))),
  retryAfterDate: z.optional(z.string({ error: "expected an HTTP date string" }).check(z.minLength(1))),
  message: z.optional(z.string({ error: "expected a string" })),
};

/**
 * The body of `POST /admin/faults`: one fault, named by `fault`, with the same fields as the
 * matching `server.faults` method.
 *
 * @example
 * { "fault": "failFlags", "status": 503, "count": 2, "retryAfter": 1 }
 * { "fault": "delay", "ms": 1500, "count": "all" }
 * { "fault": "malformed", "kind": "html" }
 * { "fault": "stallStreams", "on": true }
 */
export const faultCommandSchema = z.discriminatedUnion(
  "fault",
  [
    z.strictObject({ fault: z.literal("failFlags"), ...errorFaultFields }),
    z.strictObject({ fault: z.literal("refuseStreams"), ...errorFaultFields }),
    z.strictObject({ fault: z.literal("delay"), ms: z.number({ error: "expected milliseconds" }).check(z.minimum(0, { error: "expected milliseconds, at least 0" })), count }),
    z.strictObject({
      fault: z.literal("malformed"),
      kind: z.enum(MALFORMED_KINDS as [string, ...string[]], { error: `expected one of ${MALFORMED_KINDS.join(", ")}` }),
      count,
    }),
    z.strictObject({ fault: z.literal("dropStreams") }),
    z.strictObject({ fault: z.literal("stallStreams"), on: z.boolean({ error: "expected a boolean" }) }),
    z.strictObject({ fault: z.literal("clear") }),
  ],
  { error: "expected fault to be one of failFlags, refuseStreams, delay, malformed, dropStreams, stallStreams, clear" },
);

type ErrorFaultInput = z.infer<typeof faultCommandSchema> & { readonly fault: "failFlags" | "refuseStreams" };

function toErrorFault(input: ErrorFaultInput): ErrorFault {
  return {
    status: input.status,
    ...(input.count === undefined ? {} : { count: input.count }),
    ...(input.retryAfter === undefined ? {} : { retryAfter: input.retryAfter }),
    ...(input.retryAfterDate === undefined ? {} : { retryAfterDate: input.retryAfterDate }),
    ...(input.message === undefined ? {} : { message: input.message }),
  };
}

function countOption(value: FaultCount | undefined): { readonly count?: FaultCount } {
  return value === undefined ? {} : { count: value };
}

/**
 * Validates a fault command and applies it. Returns the problems (`path: message`) when the
 * input is invalid, or an empty list once applied.
 */
export function applyFaultCommand(faults: ServerFaultControls, input: unknown): readonly string[] {
  const result = faultCommandSchema.safeParse(input, IN_ENGLISH);
  if (!result.success) return result.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`);
  const command = result.data;
  switch (command.fault) {
    case "failFlags":
      faults.failFlags(toErrorFault(command));
      break;
    case "refuseStreams":
      faults.refuseStreams(toErrorFault(command));
      break;
    case "delay":
      faults.delay(command.ms, countOption(command.count));
      break;
    case "malformed":
      faults.malformed(command.kind as (typeof MALFORMED_KINDS)[number], countOption(command.count));
      break;
    case "dropStreams":
      faults.dropStreams();
      break;
    case "stallStreams":
      faults.stallStreams(command.on);
      break;
    case "clear":
      faults.clear();
      break;
  }
  return [];
}
