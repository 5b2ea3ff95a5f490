import * as z from "zod/mini";
import { jsonObjectSchema } from "./json-value-schema";

/** A `RollgateUser`: a non-empty id, an optional email, optional JSON attributes. */
export const userSchema = z.object({
  id: z.string({ error: "expected a string id" }).check(z.minLength(1, "expected a non-empty id")),
  email: z.optional(z.string({ error: "expected a string" })),
  // Validated in place: callers copy the user (structuredClone) before keeping it.
  attributes: z.optional(jsonObjectSchema),
});
