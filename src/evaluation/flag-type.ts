import type { FlagType } from "../model/flag-state";
import type { FlagDefinition, JsonValue } from "../model/flag-model";

/**
 * The type the v2 endpoint declares for a flag (PROTOCOL.md §3.8): decided by the JSON type of
 * `variations[defaultVariation]` when both are non-empty — `string`, `number`, `json` for an
 * object — and `boolean` otherwise, including for an array, `null` or a missing key (a quirk of
 * the reference server: an array-valued flag reports `boolean`).
 *
 * @example
 * flagType({ key: "theme", enabled: true, variations: { dark: "dark" }, defaultVariation: "dark" }); // "string"
 * flagType({ key: "new-ui", enabled: true }); // "boolean"
 */
export function flagType(flag: FlagDefinition): FlagType {
  const variations = flag.variations;
  const defaultVariation = flag.defaultVariation;
  if (!defaultVariation || !variations || !Object.hasOwn(variations, defaultVariation)) return "boolean";
  const value: JsonValue | undefined = variations[defaultVariation];
  switch (typeof value) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "object":
      return value !== null && !Array.isArray(value) ? "json" : "boolean";
    default:
      return "boolean";
  }
}
