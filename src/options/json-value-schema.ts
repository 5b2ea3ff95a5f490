import { z } from "zod";
import type { JsonValue } from "../evaluation/flag-model";

/** Any JSON value: what flag values and user attributes may hold. */
export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number().refine(Number.isFinite, "expected a finite number"),
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);
