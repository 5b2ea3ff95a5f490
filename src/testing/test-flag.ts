import type { Condition, FlagDefinition, JsonValue, Rule } from "../model/flag-model";
import { jsonEqual } from "../snapshot/json-equal";

/** A targeting rule for {@link TestFlag.rule}: every condition must hold (AND). */
export interface TestRule {
  /** Shown as `reason.ruleId` when the rule matches. */
  readonly id: string;
  /** `attribute operator value`, with the server's operators (`eq`, `in`, `semver_gte`, ...). An empty list matches everyone. */
  readonly conditions: readonly Condition[];
  /** What matching users get; `false` turns the flag off for them. @default true */
  readonly value?: JsonValue;
  /** The share of matching users who get `value`; the others get the flag off (a matched rule never falls through). @default 100 */
  readonly rolloutPercentage?: number;
}

const USER_RULE_PREFIX = "user:";

/**
 * A flag definition under construction, for `TestData.update`. Immutable: each method returns a
 * new builder. It writes the local server's flag model (PROTOCOL.md §3.1), so a flag behaves in
 * tests exactly as the same definition in a flags file: `false` is "off for them", typed values
 * become variations, and reasons are the server's.
 *
 * @example
 * await td.update(td.flag("theme").value("light").forUser("u-1", "dark").when("plan", "eq", "pro", "dark"));
 */
export class TestFlag {
  /** @internal Use `td.flag(key)`, which starts from the flag's current definition. */
  constructor(readonly definition: FlagDefinition) {}

  /** The flag's key. */
  get key(): string {
    return this.definition.key;
  }

  /** Turns the flag on (its targeting applies). */
  on(): TestFlag {
    return this.with({ enabled: true });
  }

  /** The kill switch: `false` for everyone, reason `OFF`. */
  off(): TestFlag {
    return this.with({ enabled: false });
  }

  /**
   * What everyone not targeted otherwise gets (reason `FALLTHROUGH`), and targeted users
   * (`forUser(id)`) too. A string, number or JSON value makes it a typed flag of that type;
   * `false` means off for them (the caller's default).
   */
  value(value: JsonValue): TestFlag {
    if (value === false) return this.with({ rolloutPercentage: 0 });
    if (value === true && this.definition.variations === undefined) return this.with({ rolloutPercentage: 100 });
    const [variations, key] = withVariation(this.definition, value);
    return this.with({ variations, defaultVariation: key, rolloutPercentage: 100 });
  }

  /** The share of users (0–100, stable per user and flag) who get `value()`; the rest get the flag off. */
  rollout(percentage: number): TestFlag {
    return this.with({ rolloutPercentage: percentage });
  }

  /**
   * Targets one user by id. Without `value`, they get the flag's value with reason
   * `TARGET_MATCH` (the server's targets serve only that). With one, a rule `id eq <id>` (ruleId
   * `user:<id>`, ahead of the other rules) serves it, reason `RULE_MATCH`.
   */
  forUser(id: string, value?: JsonValue): TestFlag {
    if (value === undefined) {
      const targets = this.definition.targetUsers ?? [];
      return targets.includes(id) ? this : this.with({ targetUsers: [...targets, id] });
    }
    const userRules = (this.definition.rules ?? []).filter((rule) => rule.id.startsWith(USER_RULE_PREFIX)).length;
    return this.rule({ id: `${USER_RULE_PREFIX}${id}`, conditions: [{ attribute: "id", operator: "eq", value: id }], value }, userRules);
  }

  /**
   * Serves `value` to users whose attribute matches (`email` and `id` included), after the rules
   * added before. The rule id, shown in `reason.ruleId`, reads like the condition: `plan eq "pro"`.
   *
   * @example
   * td.flag("beta").value(false).when("plan", "in", ["pro", "team"], true)
   */
  when(attribute: string, operator: string, operand: JsonValue, value: JsonValue = true): TestFlag {
    return this.rule({ id: `${attribute} ${operator} ${JSON.stringify(operand)}`, conditions: [{ attribute, operator, value: operand }], value });
  }

  /** Adds a rule, or replaces the rule with the same id where it stands. */
  rule(rule: TestRule, position?: number): TestFlag {
    const value = rule.value ?? true;
    let definition = this.definition;
    let variation: string | undefined;
    if (value !== false && (value !== true || definition.variations !== undefined)) {
      const [variations, key] = withVariation(definition, value);
      // Without a default variation the server ignores variations: the rest keep getting `true`.
      const [withDefault, defaultKey] = definition.defaultVariation === undefined ? withVariation({ ...definition, variations }, true) : [variations, definition.defaultVariation];
      definition = { ...definition, variations: withDefault, defaultVariation: defaultKey };
      variation = key;
    }
    const next: Rule = {
      id: rule.id,
      enabled: true,
      conditions: rule.conditions,
      rolloutPercentage: value === false ? 0 : (rule.rolloutPercentage ?? 100),
      ...(variation === undefined ? {} : { variation }),
    };
    const rules = [...(definition.rules ?? [])];
    const existing = rules.findIndex((candidate) => candidate.id === rule.id);
    if (existing >= 0) rules[existing] = next;
    else rules.splice(position ?? rules.length, 0, next);
    return new TestFlag({ ...definition, rules });
  }

  private with(changes: Partial<FlagDefinition>): TestFlag {
    return new TestFlag({ ...this.definition, ...changes });
  }
}

/** The flag's variations with one holding `value` (an existing one if equal), and its key. */
function withVariation(definition: FlagDefinition, value: JsonValue): [Record<string, JsonValue>, string] {
  const variations = { ...definition.variations };
  for (const [key, existing] of Object.entries(variations)) if (jsonEqual(existing, value)) return [variations, key];
  let index = Object.keys(variations).length;
  while (Object.hasOwn(variations, `value-${index}`)) index++;
  const key = `value-${index}`;
  variations[key] = value;
  return [variations, key];
}
