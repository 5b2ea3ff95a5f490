import { createJsonLogger } from "../../src/logger/json-logger";
import { resolveLogger } from "../../src/logger/log-format";
import { defaultLogger } from "../../src/logger/logger";
import { RollgateClient } from "../../src";
import { RollgateConfigError } from "../../src/errors";

function recorder(): { lines: string[]; write: (line: string) => void } {
  const lines: string[] = [];
  return { lines, write: (line) => void lines.push(line) };
}

describe("createJsonLogger", () => {
  it("writes one JSON object per line with time, level, name, msg and the context's fields", () => {
    const { lines, write } = recorder();
    createJsonLogger({ now: () => Date.UTC(2026, 0, 2, 3, 4, 5), write }).warn("Rollgate is unreachable.", { code: "NETWORK_ERROR", attempt: 2 });
    expect(lines).toEqual([
      '{"time":"2026-01-02T03:04:05.000Z","level":"warn","name":"rollgate","msg":"Rollgate is unreachable.","code":"NETWORK_ERROR","attempt":2}\n',
    ]);
  });

  it("writes info and above by default, debug only when asked", () => {
    const { lines, write } = recorder();
    const logger = createJsonLogger({ now: () => 0, write });
    logger.debug("d");
    logger.info("i");
    logger.error("e");
    expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(["info", "error"]);
    createJsonLogger({ now: () => 0, write, level: "debug" }).debug("d");
    expect(lines).toHaveLength(3);
  });

  it("keeps its own fields when the context has the same names, and serialises errors and bigints", () => {
    const { lines, write } = recorder();
    const error = Object.assign(new Error("boom"), { code: "E_X" });
    createJsonLogger({ now: () => 0, write }).error("m", { msg: "other", level: 1, error, big: 10n });
    expect(JSON.parse(lines[0]!)).toEqual({
      time: "1970-01-01T00:00:00.000Z",
      level: "error",
      name: "rollgate",
      msg: "m",
      "context.msg": "other",
      "context.level": 1,
      error: { name: "Error", message: "boom", code: "E_X" },
      big: "10",
    });
  });

  it("still writes the message when the context cannot be serialised", () => {
    const { lines, write } = recorder();
    const circular: Record<string, unknown> = {};
    circular["self"] = circular;
    createJsonLogger({ now: () => 0, write }).warn("m", circular);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: "m", contextError: "the context could not be serialised" });
  });

  it("writes a message with newlines on one line", () => {
    const { lines, write } = recorder();
    createJsonLogger({ now: () => 0, write }).warn("a\nb");
    expect(lines[0]!.split("\n")).toHaveLength(2);
  });
});

describe("resolveLogger (the logger and logFormat options)", () => {
  it("uses the human default logger unless json is asked for", () => {
    expect(resolveLogger(undefined, undefined, () => 0)).toBe(defaultLogger);
    expect(resolveLogger(undefined, "pretty", () => 0)).toBe(defaultLogger);
    expect(resolveLogger(undefined, "json", () => 0)).not.toBe(defaultLogger);
  });

  it("writes JSON lines to stderr, timed by the client's scheduler, for logFormat: json", () => {
    const spy = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      resolveLogger(undefined, "json", () => 86_400_000).warn("m", { code: "TIMEOUT" });
      expect(spy).toHaveBeenCalledWith('{"time":"1970-01-02T00:00:00.000Z","level":"warn","name":"rollgate","msg":"m","code":"TIMEOUT"}\n');
    } finally {
      spy.mockRestore();
    }
  });

  it("rejects logFormat together with a logger, naming the option", () => {
    const make = (): RollgateClient => new RollgateClient({ apiKey: "rg_server_x", cache: false, logger: console, logFormat: "json" });
    expect(make).toThrow(RollgateConfigError);
    expect(make).toThrow(/logFormat/);
  });

  it("rejects an unknown logFormat", () => {
    expect(() => new RollgateClient({ apiKey: "rg_server_x", cache: false, logFormat: "xml" as "json" })).toThrow(/Invalid option logFormat: expected "pretty" or "json"/);
  });
});
