import { Console } from "node:console";
import { PassThrough } from "node:stream";
import { adaptLogger, containLogger, loggerCallStyle, type LoggerLike } from "../../src/logger/adapt-logger";
import { fakeBunyan, fakePino, fakeWinston } from "./support/fake-loggers";

const CONTEXT = { code: "NETWORK_ERROR", failingForSeconds: 12 };

describe("loggerCallStyle", () => {
  it.each([
    ["pino", "object-first", fakePino().logger],
    ["bunyan", "object-first", fakeBunyan().logger],
    ["winston", "message-first", fakeWinston().logger],
    ["console", "message-first", console],
    ["a plain { warn, error } object", "message-first", { warn() {}, error() {} }],
  ] as const)("calls %s %s", (_name, style, logger) => {
    expect(loggerCallStyle(logger)).toBe(style);
  });

  it("recognises pino by its serializers symbol alone (e.g. a child logger behind a proxy)", () => {
    expect(loggerCallStyle({ info() {}, [Symbol.for("pino.serializers")]: {} })).toBe("object-first");
  });

  it("falls back to message-first when inspecting the logger throws", () => {
    const hostile = new Proxy({}, { get: () => { throw new Error("no"); }, has: () => { throw new Error("no"); } });
    expect(loggerCallStyle(hostile)).toBe("message-first");
  });
});

describe("adaptLogger", () => {
  it("gives pino the context first, so its fields land in the record next to the message", () => {
    const { logger, records } = fakePino();
    adaptLogger(logger as LoggerLike).warn("Rollgate is unreachable.", CONTEXT);
    expect(records).toEqual([{ level: 40, code: "NETWORK_ERROR", failingForSeconds: 12, msg: "Rollgate is unreachable." }]);
  });

  it("shows what went wrong before: pino called (message, context) drops the context", () => {
    const { logger, records } = fakePino();
    (logger["warn"] as (m: string, c: object) => void)("Rollgate is unreachable.", CONTEXT);
    expect(records).toEqual([{ level: 40, msg: "Rollgate is unreachable." }]);
  });

  it("gives bunyan the context first, so its fields are structured rather than formatted into msg", () => {
    const { logger, records } = fakeBunyan();
    adaptLogger(logger as LoggerLike).error("The key was refused.", { code: "AUTH_FAILED" });
    expect(records).toEqual([{ name: "app", level: 50, code: "AUTH_FAILED", msg: "The key was refused." }]);
  });

  it("gives winston (message, meta), which it merges into the info object", () => {
    const { logger, records } = fakeWinston();
    adaptLogger(logger as LoggerLike).info("Circuit closed.", { outageSeconds: 42 });
    expect(records).toEqual([{ level: "info", message: "Circuit closed.", outageSeconds: 42 }]);
  });

  it("maps warn to winston's syslog level 'warning' through log(), and drops nothing else", () => {
    const { logger, records } = fakeWinston(["emerg", "alert", "crit", "error", "warning", "notice", "info", "debug"]);
    const adapted = adaptLogger(logger as LoggerLike);
    adapted.warn("Careful.", { code: "TIMEOUT" });
    adapted.debug("Detail.");
    expect(records).toEqual([
      { level: "warning", message: "Careful.", code: "TIMEOUT" },
      { level: "debug", message: "Detail." },
    ]);
  });

  it("calls a logger that only has log(level, message, meta)", () => {
    const calls: unknown[][] = [];
    adaptLogger({ log: (...args: unknown[]) => void calls.push(args) }).warn("Hm.", CONTEXT);
    expect(calls).toEqual([["warn", "Hm.", CONTEXT]]);
  });

  it("writes to console as console.warn(message, context), without a trailing 'undefined' when there is no context", () => {
    const stream = new PassThrough();
    let out = "";
    stream.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const logger = adaptLogger(new Console({ stdout: stream, stderr: stream }));
    logger.warn("With context.", { code: "TIMEOUT" });
    logger.error("Without context.");
    expect(out).toBe("With context. { code: 'TIMEOUT' }\nWithout context.\n");
  });

  it("looks methods up at call time, as pino swaps them when its level changes", () => {
    const { logger, records } = fakePino();
    const adapted = adaptLogger(logger as LoggerLike);
    logger["debug"] = () => {}; // what pino does for `logger.level = "info"`
    adapted.debug("hidden", CONTEXT);
    adapted.info("shown", CONTEXT);
    expect(records.map((r) => r["msg"])).toEqual(["shown"]);
  });

  it("contains a logger that throws, and one whose methods are missing", () => {
    const adapted = adaptLogger({ warn: () => { throw new Error("disk full"); } });
    expect(() => adapted.warn("x", CONTEXT)).not.toThrow();
    expect(() => adapted.debug("x")).not.toThrow();
    expect(() => adaptLogger({ log: () => { throw new Error("nope"); } }).info("x")).not.toThrow();
  });

  it("honours an explicit style for wrappers detection cannot see through", () => {
    const calls: unknown[][] = [];
    adaptLogger({ info: (...args: unknown[]) => void calls.push(args) }, "object-first").info("m", { a: 1 });
    expect(calls).toEqual([[{ a: 1 }, "m"]]);
  });

  it("is what containLogger does", () => {
    const { logger, records } = fakePino();
    containLogger(logger as LoggerLike).warn("m", { a: 1 });
    expect(records).toEqual([{ level: 40, a: 1, msg: "m" }]);
  });
});
