import { Subject } from "rxjs";
import { CloseSignal } from "../../src/client/close-signal";
import { settleBefore } from "../../src/client/settle-before";
import { LeanVirtualClock } from "../support/lean-virtual-clock";

/** The bounded wait of identify(), init(), refresh() and a new user's `forUser`, in virtual time. */
describe("settleBefore", () => {
  it("gives the work's result when it settles first, and leaves no timer behind", async () => {
    const clock = new LeanVirtualClock();
    await expect(settleBefore(clock.scheduler, 1_000, Promise.resolve(3))).resolves.toBe(3);
    await expect(settleBefore(clock.scheduler, 1_000, Promise.reject(new Error("failed")))).rejects.toThrow("failed");
    expect(clock.pendingTimers).toBe(0);
  });

  it("gives undefined at the deadline, whatever the work does later", async () => {
    const clock = new LeanVirtualClock();
    let finish!: (value: number) => void;
    const outcome = settleBefore(clock.scheduler, 1_000, new Promise<number>((resolve) => (finish = resolve)));
    clock.advanceBy(999);
    finish(1);
    await expect(outcome).resolves.toBe(1);
    const late = settleBefore(clock.scheduler, clock.now + 1_000, new Promise<number>(() => {}));
    clock.advanceBy(1_000);
    await expect(late).resolves.toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
  });

  it("gives undefined when cancelled, and unsubscribes from the signal once settled", async () => {
    const clock = new LeanVirtualClock();
    const cancel = new Subject<void>();
    const outcome = settleBefore(clock.scheduler, 1_000, new Promise<number>(() => {}), cancel);
    cancel.next();
    await expect(outcome).resolves.toBeUndefined();
    expect(cancel.observed).toBe(false);
    expect(clock.pendingTimers).toBe(0);
    await settleBefore(clock.scheduler, 1_000, Promise.resolve(1), cancel);
    expect(cancel.observed).toBe(false);
  });

  it("answers undefined at once, with no timer, when the signal has already fired", async () => {
    const clock = new LeanVirtualClock();
    const closed = new CloseSignal();
    closed.fire();
    await expect(settleBefore(clock.scheduler, 1_000, new Promise<number>(() => {}), closed.fired$)).resolves.toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
  });
});
