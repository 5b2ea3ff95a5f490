import { en } from "zod/locales";
import type * as z from "zod/mini";

/**
 * The parse context of every schema of the client: zod's English messages ("Too small: expected
 * number to be >=0") for the issues a schema does not word itself.
 *
 * The schemas are written against `zod/mini`, which loads no locale (its messages are "Invalid
 * input") so that it stays small: the whole classic `zod` cost ~21 ms of each cold start. The
 * locale is passed per parse, not with `z.config(en())`: zod keeps its configuration on
 * `globalThis`, shared with the application's own zod, whose locale is not ours to set.
 *
 * @example
 * const parsed = optionsSchema.safeParse(input, IN_ENGLISH);
 */
export const IN_ENGLISH: z.core.ParseContext<z.core.$ZodIssue> = Object.freeze({ error: en().localeError });
