import type { Logger } from "../logger/logger";
import type { EvaluationHook, EvaluationHookContext, EvaluationHookData, EvaluationHookDetail } from "../model/evaluation-hook";

/** The data handed to the `afterEvaluation` of a hook without `beforeEvaluation`. */
const NO_DATA: EvaluationHookData = Object.freeze({});

/**
 * The client's evaluation hooks, shared by the client and every `forUser` view: the list, the
 * running of each stage with errors contained, and the count of errors.
 *
 * The getters check {@link count} first, one predictable branch: with no hooks they cost what they
 * cost without this feature. The list is replaced, never changed in place, so a hook that adds or
 * removes hooks while it runs does not disturb the evaluation in progress.
 *
 * @example
 * const hooks = new EvaluationHooks(options.hooks, logger);
 * const remove = hooks.add(myHook);
 */
export class EvaluationHooks {
  /** Hooks registered now; read by the getters on every call. */
  count = 0;
  /** Hook calls that threw, since the client started. */
  errors = 0;
  /** Changes with every hook added or removed and every error: when the client's status is due again. */
  version = 0;
  private list: readonly EvaluationHook[] = [];
  private readonly reported = new WeakSet<EvaluationHook>();

  constructor(
    initial: readonly EvaluationHook[],
    private readonly logger: Logger,
  ) {
    for (const hook of initial) this.add(hook);
  }

  /**
   * Adds a hook after the others; returns a function that removes it (idempotent). The same hook
   * added twice runs twice, and each remover removes one.
   */
  add(hook: EvaluationHook): () => void {
    this.replace([...this.list, hook]);
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      const index = this.list.lastIndexOf(hook);
      if (index >= 0) this.replace([...this.list.slice(0, index), ...this.list.slice(index + 1)]);
    };
  }

  /** The hooks of one evaluation: those registered when it began. */
  current(): readonly EvaluationHook[] {
    return this.list;
  }

  /** Runs every `beforeEvaluation` in order; returns each hook's data for its `afterEvaluation`. */
  before(hooks: readonly EvaluationHook[], context: EvaluationHookContext): EvaluationHookData[] {
    const data: EvaluationHookData[] = [];
    for (const hook of hooks) {
      if (hook.beforeEvaluation === undefined) {
        data.push(NO_DATA);
        continue;
      }
      const own: EvaluationHookData = {};
      try {
        const returned = hook.beforeEvaluation(context, own);
        data.push(typeof returned === "object" && returned !== null ? returned : own);
      } catch (error) {
        this.failed(hook, "beforeEvaluation", error);
        data.push(own);
      }
    }
    return data;
  }

  /** Runs every `afterEvaluation` in reverse order. */
  after(hooks: readonly EvaluationHook[], context: EvaluationHookContext, data: readonly EvaluationHookData[], detail: EvaluationHookDetail): void {
    for (let i = hooks.length - 1; i >= 0; i--) {
      const hook = hooks[i]!;
      if (hook.afterEvaluation === undefined) continue;
      try {
        hook.afterEvaluation(context, data[i]!, detail);
      } catch (error) {
        this.failed(hook, "afterEvaluation", error);
      }
    }
  }

  private replace(list: readonly EvaluationHook[]): void {
    this.list = Object.freeze(list);
    this.count = list.length;
    this.version++;
  }

  private failed(hook: EvaluationHook, stage: string, error: unknown): void {
    this.errors++;
    this.version++;
    if (this.reported.has(hook)) return;
    this.reported.add(hook);
    let name = "";
    try {
      name = typeof hook.name === "string" && hook.name !== "" ? ` "${hook.name}"` : "";
    } catch {
      // A hook whose name getter throws is still reported, without its name.
    }
    this.logger.warn(
      `The evaluation hook${name} threw in ${stage}: ${describe(error)}. The flag was served as if the hook were not there; fix the hook. Logged once per hook; getStatus().hooks.errors counts every failure.`,
    );
  }
}

function describe(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return "an error that cannot be described";
  }
}
