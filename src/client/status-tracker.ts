import { BehaviorSubject, type Observable } from "rxjs";
import type { RollgateStatus } from "../model/rollgate-status";
import type { EvaluationHooks } from "../scope/evaluation-hooks";
import { sameStatus, statusOf, type StatusInputs } from "./client-status";

/**
 * The client's status, derived again from its parts whenever one of them may have changed
 * (`update()`), and emitted only when it says something new. Hooks change without telling (a
 * hook that throws counts an error), so reading the status compares the hooks' version first.
 */
export class StatusTracker {
  private readonly subject: BehaviorSubject<RollgateStatus>;
  /** The hooks' version the status was last computed with. */
  private hooksVersion = -1;
  /** Every status that differs from the one before, replayed. Completes on `complete()`. */
  readonly status$: Observable<RollgateStatus>;

  constructor(
    private readonly inputs: () => Omit<StatusInputs, "hooks">,
    private readonly hooks: EvaluationHooks,
  ) {
    this.subject = new BehaviorSubject(this.compute());
    this.status$ = this.subject.asObservable();
  }

  /** The status, brought up to date first when the hooks changed (added, removed, failed) since it was computed. */
  current(): RollgateStatus {
    if (this.hooks.version !== this.hooksVersion) this.update();
    return this.subject.value;
  }

  /** Derives the status again; emits it if it says something new. Ignored after `complete()`. */
  update(): void {
    if (this.subject.isStopped) return;
    const next = this.compute();
    if (!sameStatus(this.subject.value, next)) this.subject.next(next);
  }

  complete(): void {
    this.subject.complete();
  }

  private compute(): RollgateStatus {
    this.hooksVersion = this.hooks.version;
    return statusOf({ ...this.inputs(), hooks: { registered: this.hooks.count, errors: this.hooks.errors } });
  }
}
