import type { FlagDefinition } from "rollgate/server";

/** `count` flags of every type, as the local server serves them. */
export function benchFlags(count: number): FlagDefinition[] {
  const flags: FlagDefinition[] = [];
  for (let i = 0; i < count; i++) {
    const key = `flag-${String(i).padStart(5, "0")}`;
    switch (i % 4) {
      case 0:
        flags.push({ key, enabled: true, rolloutPercentage: 100 });
        break;
      case 1:
        flags.push({ key, enabled: i % 8 === 1, rolloutPercentage: 50 });
        break;
      case 2:
        flags.push({ key, enabled: true, rolloutPercentage: 100, variations: { a: `value-${i}` }, defaultVariation: "a" });
        break;
      default:
        flags.push({ key, enabled: true, rolloutPercentage: 100, variations: { n: i }, defaultVariation: "n" });
    }
  }
  return flags;
}
