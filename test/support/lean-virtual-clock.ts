import { Subscription, type SchedulerAction, type SchedulerLike } from "rxjs";

/** What the clock's queue needs of an action. */
interface Queued {
  due: number;
  order: number;
  run(): void;
}

/**
 * One scheduled piece of work. Rescheduling (a periodic `timer`) re-queues the same action, as
 * rxjs's AsyncAction does; rxjs's VirtualAction instead chains a new action onto the old one
 * each time, which retains ~300 bytes per tick forever and hides real leaks in a long soak.
 */
class LeanAction<T> extends Subscription implements SchedulerAction<T>, Queued {
  due = 0;
  order = 0;
  private state: T | undefined;

  constructor(
    private readonly clock: LeanVirtualClock,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super();
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.state = state;
    this.clock.enqueue(this, delay);
    return this;
  }

  run(): void {
    try {
      this.work.call(this, this.state);
    } catch (error) {
      this.unsubscribe();
      throw error;
    }
  }

  override unsubscribe(): void {
    if (this.closed) return;
    this.clock.dequeue(this);
    this.state = undefined;
    super.unsubscribe();
  }
}

/**
 * A virtual clock like {@link VirtualClock} (same `scheduler`, `now`, `advanceBy`), whose
 * scheduler retains nothing per timer tick: for soak tests that compare heap sizes over many
 * simulated hours. Actions due at the same time run in the order they were scheduled.
 *
 * @example
 * const clock = new LeanVirtualClock();
 * const client = clientFor(server, { scheduler: clock.scheduler });
 * clock.advanceBy(30_000);
 */
export class LeanVirtualClock {
  private frame = 0;
  private nextOrder = 0;
  private readonly queue: Queued[] = [];

  readonly scheduler: SchedulerLike = {
    now: () => this.frame,
    schedule: <T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription =>
      new LeanAction<T>(this, work).schedule(state, delay),
  };

  /** Virtual milliseconds since the start. */
  get now(): number {
    return this.frame;
  }

  /** Timers waiting to run. */
  get pendingTimers(): number {
    return this.queue.length;
  }

  /** Runs every timer due up to `ms` virtual milliseconds from now, then sets the clock there. */
  advanceBy(ms: number): void {
    const target = this.frame + ms;
    for (let next = this.queue[0]; next !== undefined && next.due <= target; next = this.queue[0]) {
      this.queue.shift();
      this.frame = next.due;
      next.run();
    }
    this.frame = target;
  }

  /** @internal Queues (or re-queues) an action `delay` ms from now. */
  enqueue(action: Queued, delay: number): void {
    this.dequeue(action);
    action.due = this.frame + Math.max(0, delay);
    action.order = this.nextOrder++;
    let index = this.queue.length;
    while (index > 0) {
      const before = this.queue[index - 1]!;
      if (before.due < action.due || (before.due === action.due && before.order < action.order)) break;
      index -= 1;
    }
    this.queue.splice(index, 0, action);
  }

  /** @internal Removes an action from the queue, if it is there. */
  dequeue(action: Queued): void {
    const index = this.queue.indexOf(action);
    if (index >= 0) this.queue.splice(index, 1);
  }
}

/**
 * Advances `clock` by `ms` in 10 ms steps, letting pending promise callbacks run after each step:
 * for code under test that awaits between timers (a request answered on a virtual timer, then
 * its retry scheduled), with no real time passing.
 *
 * @example
 * await advanceWithPromises(clock, 3_300);
 */
export async function advanceWithPromises(clock: LeanVirtualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 10) {
    clock.advanceBy(10);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }
}
