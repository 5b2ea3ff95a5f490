import { runInThisContext } from "node:vm";

/** One failure that escaped to the process. */
export interface EscapedFailure {
  readonly kind: "unhandledRejection" | "uncaughtException";
  readonly error: unknown;
}

/**
 * Records every unhandled rejection and uncaught exception in the process while installed.
 *
 * Jest gives each test file a copy of `process` whose listeners never fire; the real process
 * is the global of Node's main context, reached through `vm.runInThisContext`. Jest keeps its
 * own listeners (which fail the running test), so an escape is both recorded here and reported
 * by Jest; a rejection handled late is forgiven by Jest and stays recorded here.
 *
 * @example
 * const spy = new ProcessFailureSpy();
 * beforeEach(() => spy.install());
 * afterEach(() => spy.uninstall());
 * it("...", async () => { ...; expect(spy.failures).toEqual([]); });
 */
export class ProcessFailureSpy {
  readonly failures: EscapedFailure[] = [];
  private readonly realProcess = runInThisContext("process") as NodeJS.Process;
  private readonly onRejection = (error: unknown) => this.failures.push({ kind: "unhandledRejection", error });
  private readonly onException = (error: unknown) => this.failures.push({ kind: "uncaughtException", error });
  private installed = false;

  install(): void {
    if (this.installed) return;
    this.installed = true;
    this.failures.length = 0;
    this.realProcess.on("unhandledRejection", this.onRejection);
    this.realProcess.on("uncaughtException", this.onException);
  }

  uninstall(): void {
    if (!this.installed) return;
    this.installed = false;
    this.realProcess.off("unhandledRejection", this.onRejection);
    this.realProcess.off("uncaughtException", this.onException);
  }
}
