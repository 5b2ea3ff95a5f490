import { z } from "zod";
import { jsonObjectSchema } from "./json-value-schema";

/** A `RollgateUser`: a non-empty id, an optional email, optional JSON attributes. */
export const userSchema = z.object({
  id: z.string({ error: "expected a string id" }).min(1, "expected a non-empty id"),
  email: z.string({ error: "expected a string" }).optional(),
  // Validated in place: callers copy the user (structuredClone) before keeping it.
  attributes: jsonObjectSchema.optional(),
});
