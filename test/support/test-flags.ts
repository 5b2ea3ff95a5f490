import type { FlagDefinition } from "rollgate/server";

/** A small flag set covering every type, targeting and a disabled typed flag. */
export const TEST_FLAGS: readonly FlagDefinition[] = [
  { key: "new-feature", enabled: true, rolloutPercentage: 100 },
  { key: "off-feature", enabled: false, rolloutPercentage: 100 },
  {
    key: "pro-only",
    enabled: true,
    rolloutPercentage: 0,
    rules: [{ id: "pro-rule", enabled: true, rolloutPercentage: 100, conditions: [{ attribute: "plan", operator: "eq", value: "pro" }] }],
  },
  {
    key: "theme",
    enabled: true,
    rolloutPercentage: 100,
    variations: { light: "light", dark: "dark" },
    defaultVariation: "light",
    rules: [
      { id: "pro-dark", enabled: true, rolloutPercentage: 100, variation: "dark", conditions: [{ attribute: "plan", operator: "eq", value: "pro" }] },
    ],
  },
  { key: "results-per-page", enabled: true, rolloutPercentage: 100, variations: { small: 10, large: 50 }, defaultVariation: "large" },
  {
    key: "feature-config",
    enabled: true,
    rolloutPercentage: 100,
    variations: { on: { enabled: true, max_items: 10, allowed_roles: ["admin"] } },
    defaultVariation: "on",
  },
  { key: "disabled-string", enabled: false, variations: { a: "a" }, defaultVariation: "a" },
  {
    key: "user-target",
    enabled: true,
    rolloutPercentage: 0,
    targetUsers: ["user-9"],
  },
];
