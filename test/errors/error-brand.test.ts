import { RollgateConfigError, RollgateError, ServerError, TimeoutError } from "rollgate";
import { FlagsFileError } from "rollgate/server";

type ErrorsModule = typeof import("../../src/errors");
type ServerModule = typeof import("../../src/server/flags-file-error");

/** A second, separate copy of the error classes, as a second build or bundle would load. */
function otherCopy(): { errors: ErrorsModule; server: ServerModule } {
  let copy: { errors: ErrorsModule; server: ServerModule } | undefined;
  jest.isolateModules(() => {
    copy = { errors: jest.requireActual<ErrorsModule>("../../src/errors"), server: jest.requireActual<ServerModule>("../../src/server/flags-file-error") };
  });
  return copy!;
}

describe("errors are recognised across copies of rollgate", () => {
  const other = otherCopy();

  it("really is another copy (plain prototype checks fail)", () => {
    expect(other.errors.RollgateError).not.toBe(RollgateError);
    const foreign = new other.errors.ServerError(503, "Service Unavailable");
    expect(Object.prototype.isPrototypeOf.call(RollgateError.prototype, foreign)).toBe(false);
  });

  it("answers instanceof for the base class and each subclass, whichever copy made the error", () => {
    const foreign = new other.errors.ServerError(503, "Service Unavailable");
    expect(foreign instanceof RollgateError).toBe(true);
    expect(foreign instanceof ServerError).toBe(true);
    expect(foreign instanceof TimeoutError).toBe(false);
    expect(foreign instanceof Error).toBe(true);
    const local = new TimeoutError(5);
    expect(local instanceof other.errors.RollgateError).toBe(true);
    expect(local instanceof other.errors.TimeoutError).toBe(true);
    expect(local instanceof other.errors.ServerError).toBe(false);
  });

  it("follows the whole class chain: a FlagsFileError is a RollgateConfigError and a RollgateError", () => {
    const foreign = new other.server.FlagsFileError("flags file f.json", [{ path: "flags[0].key", message: "expected a string" }]);
    expect(foreign instanceof FlagsFileError).toBe(true);
    expect(foreign instanceof RollgateConfigError).toBe(true);
    expect(foreign instanceof RollgateError).toBe(true);
    expect(foreign instanceof ServerError).toBe(false);
    expect(new RollgateConfigError("x", "Invalid option x.") instanceof FlagsFileError).toBe(false);
  });

  it("offers RollgateError.isRollgateError, and rejects look-alikes and non-errors", () => {
    expect(RollgateError.isRollgateError(new other.errors.CircuitOpenError())).toBe(true);
    expect(RollgateError.isRollgateError(Object.assign(new Error("x"), { code: "TIMEOUT", name: "TimeoutError" }))).toBe(false);
    expect(RollgateError.isRollgateError(undefined)).toBe(false);
    expect(RollgateError.isRollgateError("TimeoutError")).toBe(false);
    expect(Object.assign(new Error("x"), { name: "TimeoutError" }) instanceof TimeoutError).toBe(false);
    const nothing: unknown = null;
    expect(nothing instanceof RollgateError).toBe(false);
  });

  it("keeps the brand out of enumeration and JSON", () => {
    const error = new TimeoutError(5);
    expect(Object.keys(error)).not.toContain(expect.stringContaining("lineage"));
    expect(JSON.stringify(error)).not.toContain("lineage");
  });

  it("narrows types through instanceof", () => {
    const error: unknown = new TimeoutError(5);
    if (error instanceof TimeoutError) {
      const seconds: number = error.timeout;
      expect(seconds).toBe(5);
    } else {
      throw new Error("expected a TimeoutError");
    }
  });
});
