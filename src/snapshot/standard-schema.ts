/**
 * The part of Standard Schema v1 (https://standardschema.dev) that rollgate uses, copied as the
 * spec recommends so that no dependency is needed. zod ≥ 3.24 (and 4), valibot ≥ 1 and ArkType
 * schemas implement it through their `~standard` property.
 *
 * @example
 * import { z } from "zod";
 * const schema: StandardSchemaV1<unknown, { limit: number }> = z.object({ limit: z.number() });
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaV1Props<Input, Output>;
}

/** The `~standard` property of a Standard Schema v1 validator. */
export interface StandardSchemaV1Props<Input = unknown, Output = Input> {
  readonly version: 1;
  readonly vendor: string;
  readonly validate: (value: unknown) => StandardSchemaV1Result<Output> | Promise<StandardSchemaV1Result<Output>>;
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
}

/** What `validate` returns: a value, or issues. */
export type StandardSchemaV1Result<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaV1Issue> };

/** One validation problem. */
export interface StandardSchemaV1Issue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/**
 * The type a schema produces.
 *
 * @example
 * type Config = SchemaOutput<typeof configSchema>;
 */
export type SchemaOutput<S extends StandardSchemaV1> = NonNullable<S["~standard"]["types"]>["output"];
