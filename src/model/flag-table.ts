import type { JsonValue } from "./flag-model";
import type { FlagState, FlagType } from "./flag-state";

/**
 * Flag keys in order, with each key's position. Tables whose keys are the same in the same order
 * share one (a poll in which only values changed; users served the same flag set), so that a
 * per-request user's flags cost an array of states, not a `Map` of their own.
 */
export class FlagKeys {
  /** Each key's position in {@link list}. */
  readonly positions: ReadonlyMap<string, number>;

  private constructor(readonly list: readonly string[]) {
    const positions = new Map<string, number>();
    for (let position = 0; position < list.length; position++) positions.set(list[position]!, position);
    this.positions = positions;
  }

  /**
   * The keys of `list` (unique, in order): `known` itself when it holds the same keys in the same
   * order, else a new index. Keys parsed from JSON are interned, so comparing is one pass of
   * pointer checks.
   */
  static of(list: readonly string[], known?: FlagKeys): FlagKeys {
    return known !== undefined && sameList(known.list, list) ? known : new FlagKeys(list);
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * A flag's code (see {@link FlagTable.codes}): `type code + (enabled ? 1 : 0)`, the type codes
 * being 0, 2, 4, 6 for boolean, string, number and json. A `const enum`, so that the build writes
 * each value where it is used: a getter compares its code with a literal instead of loading a
 * module variable (an imported `const` is one, after bundling), which cost 0.05 to 0.13x of a
 * `Map.get` per getter call at 10,000 flags.
 */
export const enum FlagCode {
  /** The enabled bit: set for every flag that is on. */
  Enabled = 1,
  /** An enabled string flag (it serves its string). */
  ServedString = 3,
  /** An enabled number flag. */
  ServedNumber = 5,
  /** An enabled JSON flag (it serves an object or an array). */
  ServedJson = 7,
}

const TYPE_CODES: Readonly<Record<FlagType, number>> = { boolean: 0, string: 2, number: 4, json: 6 };

/** What a flag serves: its boolean for a boolean flag, its value for an enabled typed flag, else nothing. */
function served(state: FlagState): JsonValue | undefined {
  if (state.type === "boolean") return state.enabled;
  return state.enabled ? state.value : undefined;
}

/**
 * A snapshot's flags: a read-only map from key to {@link FlagState}, laid out for the getters.
 *
 * Each flag has a position (its key's, in {@link order}); per position the table keeps the
 * state, a one-byte code (type and enabled) and the served value, in dense arrays. A getter looks
 * the key up once (`positions.get`, which yields a small integer) and reads the code and the
 * value from those arrays, instead of following a pointer to a state object (at 10,000 flags
 * read at random, a cache miss of its own). Immutable, but for {@link hits}.
 */
export class FlagTable implements ReadonlyMap<string, FlagState> {
  /** Each flag's position: the table's keys (`order.positions`, held here for one load fewer). */
  readonly positions: ReadonlyMap<string, number>;
  /** Per position: the flag's {@link FlagCode}. */
  readonly codes: Uint8Array;
  /** Per position: what the flag serves (see {@link served}), `undefined` for a typed flag that is off. */
  readonly served: readonly (JsonValue | undefined)[];
  /**
   * Per position: evaluations counted since the evaluation counter last gathered them; it
   * allocates the array at the table's first count of a period and takes it back when it
   * gathers. Undefined while telemetry has nothing to gather here.
   */
  hits: Uint32Array | undefined = undefined;

  constructor(
    /** The keys, in position order (shared with other tables that have the same). */
    readonly order: FlagKeys,
    /** Per position: the flag's state. */
    readonly states: readonly FlagState[],
  ) {
    this.positions = order.positions;
    const codes = new Uint8Array(states.length);
    const values = new Array<JsonValue | undefined>(states.length);
    for (let position = 0; position < states.length; position++) {
      const state = states[position]!;
      codes[position] = TYPE_CODES[state.type] + (state.enabled ? FlagCode.Enabled : 0);
      values[position] = served(state);
    }
    this.codes = codes;
    this.served = values;
  }

  /** A table of `entries` (keys unique), sharing `known`'s keys when they are the same in the same order. */
  static of(entries: Iterable<readonly [string, FlagState]>, known?: FlagKeys): FlagTable {
    const keys: string[] = [];
    const states: FlagState[] = [];
    for (const [key, state] of entries) {
      keys.push(key);
      states.push(state);
    }
    return FlagTable.from(keys, states, known);
  }

  /** A table of `states` under `keys` (unique, one per state), sharing `known`'s keys when they are the same in the same order. */
  static from(keys: readonly string[], states: readonly FlagState[], known?: FlagKeys): FlagTable {
    return new FlagTable(FlagKeys.of(keys, known), states);
  }

  get size(): number {
    return this.states.length;
  }

  get(key: string): FlagState | undefined {
    const position = this.positions.get(key);
    return position === undefined ? undefined : this.states[position];
  }

  has(key: string): boolean {
    return this.positions.has(key);
  }

  forEach(callback: (state: FlagState, key: string, table: ReadonlyMap<string, FlagState>) => void, thisArg?: unknown): void {
    const keys = this.order.list;
    for (let position = 0; position < keys.length; position++) callback.call(thisArg, this.states[position]!, keys[position]!, this);
  }

  *entries(): MapIterator<[string, FlagState]> {
    const keys = this.order.list;
    for (let position = 0; position < keys.length; position++) yield [keys[position]!, this.states[position]!];
  }

  keys(): MapIterator<string> {
    return this.order.list.values();
  }

  values(): MapIterator<FlagState> {
    return this.states.values();
  }

  [Symbol.iterator](): MapIterator<[string, FlagState]> {
    return this.entries();
  }
}

/** The table of no flags. */
export const NO_FLAGS = new FlagTable(FlagKeys.of([]), []);
