import type { FlagDefinition } from "rollgate/server";

/** The key of the `i`-th bench flag. */
export function benchKey(i: number): string {
  return `flag-${String(i).padStart(5, "0")}`;
}

/**
 * `count` flags as the local server serves them, cycling through five kinds: boolean on,
 * boolean at a 50% rollout, string, number and JSON.
 */
export function benchFlags(count: number): FlagDefinition[] {
  const flags: FlagDefinition[] = [];
  for (let i = 0; i < count; i++) {
    const key = benchKey(i);
    switch (i % 5) {
      case 0:
        flags.push({ key, enabled: true, rolloutPercentage: 100 });
        break;
      case 1:
        flags.push({ key, enabled: i % 10 === 1, rolloutPercentage: 50 });
        break;
      case 2:
        flags.push({ key, enabled: true, rolloutPercentage: 100, variations: { a: `value-${i}` }, defaultVariation: "a" });
        break;
      case 3:
        flags.push({ key, enabled: true, rolloutPercentage: 100, variations: { n: i }, defaultVariation: "n" });
        break;
      default:
        flags.push({ key, enabled: true, rolloutPercentage: 100, variations: { j: { limit: i, on: true } }, defaultVariation: "j" });
    }
  }
  return flags;
}

/** The kind of the `i`-th bench flag. */
export function benchKind(i: number): "boolean" | "string" | "number" | "json" {
  const kinds = ["boolean", "boolean", "string", "number", "json"] as const;
  return kinds[i % 5]!;
}

/** A number-valued definition of `key` serving `value`: what the change-driven subjects set. */
export function changedFlag(key: string, value: number): FlagDefinition {
  return { key, enabled: true, rolloutPercentage: 100, variations: { n: value }, defaultVariation: "n" };
}

/** The first `count` keys (a power of two) of the given kind, for the getter loops. */
export function keysOfKind(total: number, kind: ReturnType<typeof benchKind> | "any", count: number): string[] {
  const keys: string[] = [];
  for (let i = 0; i < total && keys.length < count; i++) if (kind === "any" || benchKind(i) === kind) keys.push(benchKey(i));
  if (keys.length !== count) throw new Error(`only ${keys.length} ${kind} flags among ${total}`);
  return keys;
}
