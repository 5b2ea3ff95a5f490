import { execFileSync } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FlagsFileError, parseFlagDefinition, parseFlagsFile, parseFlagsFileText, parseSegmentDefinition, readFlagsFile } from "../../src/server";

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FlagsFileError);
    return (error as Error).message;
  }
  throw new Error("expected a FlagsFileError");
}

const ok = (extra: object = {}) => ({ key: "ok", enabled: true, ...extra });

describe("parseFlagsFile", () => {
  it("accepts the example flags file with every operator, segment reference form and flag type", async () => {
    const file = await readFlagsFile("examples/flags.json");
    const keys = file.flags.map((flag) => flag.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        "new-feature",
        "my-feature",
        "theme",
        "cta-color",
        "results-per-page",
        "api-timeout-ms",
        "feature-config",
        "checkout-variant",
        "rate-limit-config",
        "beta-dashboard",
        "rollout-50",
        "disabled-flag",
      ]),
    );
    const operators = new Set(file.flags.flatMap((flag) => (flag.rules ?? []).flatMap((rule) => rule.conditions.map((c) => c.operator))));
    for (const segment of Object.values(file.segments ?? {})) for (const c of segment.conditions) operators.add(c.operator);
    expect([...operators].sort()).toEqual(
      [
        "eq", "neq", "contains", "not_contains", "starts_with", "ends_with", "gt", "gte", "lt", "lte",
        "in", "not_in", "regex", "semver_eq", "semver_gt", "semver_gte", "semver_lt", "semver_lte",
      ].sort(),
    );
    expect(file.flags.find((flag) => flag.key === "feature-config")?.variations?.["default"]).toEqual({
      enabled: true,
      max_items: 10,
      allowed_roles: ["admin"],
    });
  });

  it("normalises definitions, keeping only given fields and dropping descriptions", () => {
    const file = parseFlagsFile({ flags: [{ description: "x", rolloutPercentage: 10, enabled: true, key: "a" }] });
    expect(file.flags).toEqual([{ key: "a", enabled: true, rolloutPercentage: 10 }]);
    expect(Object.keys(file.flags[0] ?? {})).toEqual(["key", "enabled", "rolloutPercentage"]);
  });

  it.each([
    [
      "a rule percentage out of range",
      { flags: [ok(), ok({ key: "b" }), ok({ key: "c", rules: [{ id: "r", enabled: true, conditions: [], rolloutPercentage: 150 }] })] },
      "flags[2].rules[0].rolloutPercentage: expected a number from 0 to 100, got the number 150",
    ],
    ["a fractional percentage", { flags: [ok({ rolloutPercentage: 12.5 })] }, "flags[0].rolloutPercentage: expected a whole number from 0 to 100"],
    ["a percentage given as a string", { flags: [ok({ rolloutPercentage: "50" })] }, "flags[0].rolloutPercentage: expected a number from 0 to 100"],
    ["a wrong type", { flags: [{ key: "a", enabled: "yes" }] }, 'flags[0].enabled: expected a boolean, got the string "yes"'],
    ["a missing field", { flags: [{ key: "a" }] }, "flags[0].enabled: expected a boolean (it is required)"],
    ["an empty key", { flags: [{ key: "", enabled: true }] }, "flags[0].key: expected a flag key (a non-empty string)"],
    ["an unknown field", { flags: [ok({ rollout: 5 })] }, "flags[0].rollout: unknown field"],
    ["a duplicate key", { flags: [ok(), ok({ enabled: false })] }, 'flags[1].key: duplicate flag key "ok" (also flags[0])'],
    [
      "an unknown operator",
      { flags: [ok({ rules: [{ id: "r", enabled: true, conditions: [{ attribute: "x", operator: "equals", value: 1 }] }] })] },
      "flags[0].rules[0].conditions[0].operator: expected one of eq, neq,",
    ],
    [
      "an `in` against a comma string",
      { flags: [ok({ rules: [{ id: "r", enabled: true, conditions: [{ attribute: "country", operator: "in", value: "US,DE" }] }] })] },
      "flags[0].rules[0].conditions[0].value: expected an array",
    ],
    [
      "a reference to an unknown segment",
      { flags: [ok({ rules: [{ id: "r", enabled: true, conditions: [{ attribute: "segment", operator: "in", value: ["nope"] }] }] })] },
      'flags[0].rules[0].conditions[0].value: expected a known segment id, got "nope"',
    ],
    ["a default variation that does not exist", { flags: [ok({ variations: { a: 1 }, defaultVariation: "b" })] }, 'flags[0].defaultVariation: expected a key of variations, got "b"'],
    [
      "a rule variation that does not exist",
      { flags: [ok({ variations: { a: 1 }, defaultVariation: "a", rules: [{ id: "r", enabled: true, conditions: [], variation: "z" }] })] },
      'flags[0].rules[0].variation: expected a key of variations, got "z"',
    ],
    [
      "duplicate rule ids",
      { flags: [ok({ rules: [{ id: "r", enabled: true, conditions: [] }, { id: "r", enabled: true, conditions: [] }] })] },
      'flags[0].rules[1].id: duplicate rule id "r" (also rules[0])',
    ],
    ["a condition without value", { flags: [ok({ rules: [{ id: "r", enabled: true, conditions: [{ attribute: "a", operator: "eq" }] }] })] }, "flags[0].rules[0].conditions[0].value: expected a JSON value (it is required)"],
    ["flags that are not a list", { flags: {} }, "flags: expected an array of flag definitions, got an object"],
    ["a segment id that needs quoting", { flags: [], segments: { "my seg": { conditions: 1 } } }, 'segments["my seg"].conditions: expected an array of conditions'],
    ["a file that is not an object", [], "expected an object, got an array"],
  ])("refuses %s, naming the path and what was expected", (_name, input, expected) => {
    expect(messageOf(() => parseFlagsFile(input, "flags file t.json"))).toContain(`Invalid flags file t.json: ${expected}`);
  });

  it("counts the further issues in the message and lists them all", () => {
    try {
      parseFlagsFile({ flags: [{ key: 1, enabled: 2 }] });
      throw new Error("expected an error");
    } catch (error) {
      expect((error as FlagsFileError).issues.map((issue) => issue.path)).toEqual(["flags[0].key", "flags[0].enabled"]);
      expect((error as Error).message).toContain("(and 1 more issue)");
      expect((error as FlagsFileError).code).toBe("CONFIG_INVALID");
    }
  });

  it("accepts a segment referenced by a string and by an array", () => {
    const segments = { pro: { conditions: [{ attribute: "plan", operator: "eq", value: "pro" }] } };
    const condition = (value: unknown) => ({ id: "r", enabled: true, conditions: [{ attribute: "segment", operator: "in", value }] });
    expect(() => parseFlagsFile({ flags: [ok({ rules: [condition("pro")] })], segments })).not.toThrow();
    expect(() => parseFlagsFile({ flags: [ok({ rules: [condition(["pro"])] })], segments })).not.toThrow();
  });
});

describe("parseFlagsFileText and readFlagsFile", () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "rollgate-flags-file-"));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("refuses text that is not JSON", () => {
    expect(messageOf(() => parseFlagsFileText("{ flags: [", "flags file t.json"))).toContain("Invalid flags file t.json: not valid JSON");
  });

  it("names a missing file", async () => {
    await expect(readFlagsFile(join(directory, "missing.json"))).rejects.toThrow(/^Cannot read the flags file .*missing\.json: the file does not exist\./);
  });

  it("never quotes the content of a file that is not JSON, only where it breaks", async () => {
    const path = join(directory, "passwd");
    await writeFile(path, "root:x:0:0:root:/root:/bin/bash\nsecret-token-123\n", { mode: 0o600 });
    const link = join(directory, "flags-link.json");
    await symlink(path, link);
    const error = (await readFlagsFile(link).catch((caught: unknown) => caught)) as FlagsFileError;
    expect(error).toBeInstanceOf(FlagsFileError);
    expect(error.message).toBe(`Invalid flags file ${link}: not valid JSON (at line 1, column 1). Fix it and try again.`);
    expect(JSON.stringify(error.issues)).not.toMatch(/root|secret/);
    expect(messageOf(() => parseFlagsFileText('{"flags": [] "secret-token-123"}'))).toContain("not valid JSON (at line 1, column 14)");
    expect(messageOf(() => parseFlagsFileText('{\n"flags": [\n'))).toContain("not valid JSON (it ends before the JSON is complete)");
  });

  it("bounds what its own messages quote from the file", () => {
    const long = "k".repeat(5000);
    const message = messageOf(() => parseFlagsFile({ flags: [ok({ key: long }), ok({ key: long })], [long]: 1 }));
    expect(message.length).toBeLessThan(400);
    expect(message).toContain(`${"k".repeat(40)}…`);
  });

  describe("on a path that is not a regular file", () => {
    let fifo: string;
    beforeEach(() => {
      fifo = join(directory, `fifo-${Math.random().toString(36).slice(2)}`);
      execFileSync("mkfifo", [fifo]);
    });
    afterEach(() => {
      // Had a read blocked on the FIFO, opening its other end releases it (and the test's worker).
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // No reader waiting: nothing to release.
      }
    });

    it("refuses a FIFO at once instead of waiting for a writer", async () => {
      await expect(readFlagsFile(fifo)).rejects.toThrow(`Cannot read the flags file ${fifo}: it is not a regular file (a FIFO).`);
    });

    it("refuses a directory", async () => {
      await expect(readFlagsFile(directory)).rejects.toThrow("it is not a regular file (a directory)");
    });
  });

  it("refuses a file larger than maxBytes without reading it whole", async () => {
    const path = join(directory, "big.json");
    await writeFile(path, JSON.stringify({ flags: [ok({ description: "d".repeat(2000) })] }));
    await expect(readFlagsFile(path, { maxBytes: 1000 })).rejects.toThrow(
      `Cannot read the flags file ${path}: it is larger than 1000 bytes (maxFlagsFileBytes).`,
    );
    await expect(readFlagsFile(path, { maxBytes: 3000 })).resolves.toMatchObject({ flags: [{ key: "ok" }] });
  });

  it("names the file in validation errors", async () => {
    const path = join(directory, "bad.json");
    await writeFile(path, JSON.stringify({ flags: [{ key: "a", enabled: true, rolloutPercentage: 101 }] }));
    await expect(readFlagsFile(path)).rejects.toThrow(`Invalid flags file ${path}: flags[0].rolloutPercentage: expected a number from 0 to 100`);
  });
});

describe("parseFlagDefinition and parseSegmentDefinition", () => {
  it("checks segment references against the given segments", () => {
    const flag = { key: "a", enabled: true, rules: [{ id: "r", enabled: true, conditions: [{ attribute: "segment", operator: "in", value: "s" }] }] };
    expect(() => parseFlagDefinition(flag, {})).toThrow('rules[0].conditions[0].value: expected a known segment id, got "s"');
    expect(parseFlagDefinition(flag, { s: { conditions: [] } }).key).toBe("a");
  });

  it("validates a segment", () => {
    expect(() => parseSegmentDefinition({ conditions: [{ attribute: "a", operator: "is_set", value: true }] })).toThrow(
      "conditions[0].operator: expected one of",
    );
  });
});
