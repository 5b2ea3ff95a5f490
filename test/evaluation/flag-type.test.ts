import type { FlagDefinition, JsonValue } from "../../src/model/flag-model";
import { flagType } from "../../src/evaluation/flag-type";

const typed = (defaultValue: JsonValue): FlagDefinition => ({
  key: "f",
  enabled: true,
  variations: { chosen: defaultValue, other: "x" },
  defaultVariation: "chosen",
});

describe("flagType (PROTOCOL.md §3.8)", () => {
  it.each<readonly [string, FlagDefinition, string]>([
    ["a string default", typed("dark"), "string"],
    ["a number default", typed(20), "number"],
    ["an object default", typed({ enabled: false }), "json"],
    ["a boolean default", typed(true), "boolean"],
    ["an array default (quirk)", typed(["a", "b"]), "boolean"],
    ["a null default", typed(null), "boolean"],
    ["a missing default key", { key: "f", enabled: true, variations: { a: "x" }, defaultVariation: "zzz" }, "boolean"],
    ["no variations", { key: "f", enabled: true }, "boolean"],
    ["empty variations", { key: "f", enabled: true, variations: {}, defaultVariation: "a" }, "boolean"],
    ["variations without a default", { key: "f", enabled: true, variations: { a: "x" } }, "boolean"],
    ["an empty default", { key: "f", enabled: true, variations: { "": "x" }, defaultVariation: "" }, "boolean"],
    ["a default named like a prototype member", { key: "f", enabled: true, variations: { a: "x" }, defaultVariation: "constructor" }, "boolean"],
  ])("types a flag with %s as %j", (_name, flag, expected) => {
    expect(flagType(flag)).toBe(expected);
  });
});
