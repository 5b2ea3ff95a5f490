import type { FlagCells } from "./flag-cells";
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
 * A flag's code (the low bits of its slot, see {@link FlagTable.cells}): `type code + (enabled ?
 * 1 : 0)`, the type codes being 0, 2, 4, 6 for boolean, string, number and json. A `const enum`,
 * so that the build writes each value where it is used: a getter compares with a literal instead
 * of loading a module variable (an imported `const` is one, after bundling), which cost 0.05 to
 * 0.13x of a `Map.get` per getter at 10,000 flags.
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

/** A flag type's code: 0, 2, 4, 6 for boolean, string, number and json (a switch: a keyed read of an object of codes cost about 1.5 µs per 100 flags). */
function typeCode(type: FlagType): number {
  switch (type) {
    case "boolean":
      return 0;
    case "string":
      return 2;
    case "number":
      return 4;
    default:
      return 6;
  }
}

/** What a flag serves: its boolean for a boolean flag, its value for an enabled typed flag, else nothing. */
function served(state: FlagState): JsonValue | undefined {
  if (state.type === "boolean") return state.enabled;
  return state.enabled ? state.value : undefined;
}

/**
 * A snapshot's flags: a read-only map from key to {@link FlagState}, laid out for the getters.
 *
 * Each flag has a position (its key's, in {@link order}). A getter looks the key up once
 * (`positions.get`, which yields a small integer) and finds all it needs in two neighbouring
 * cells of one array (see {@link cells}), instead of following a pointer to a state object (at
 * 10,000 flags read at random, a cache miss of its own). Immutable, but for the counts in the
 * slots, which the evaluation counter keeps.
 */
export class FlagTable implements ReadonlyMap<string, FlagState> {
  /** Each flag's position: the table's keys (`order.positions`, held here for one load fewer). */
  readonly positions: ReadonlyMap<string, number>;
  /**
   * Two cells per position `p`. At `2p`, the flag's slot: its code ({@link FlagCode}) and the
   * evaluations counted since the evaluation counter last gathered them ({@link SlotLayout}). At
   * `2p + 1`, what the flag serves (see {@link served}): `undefined` for a typed flag that is off.
   *
   * A getter reads the slot, writes it back one evaluation higher, and reads the value next to
   * it: one array, one bounds check, most often one cache line, and no branch of its own (each
   * check a getter makes, even one never taken, cost 0.06 to 0.13x of a `Map.get` at 10,000 flags
   * read at random). Against the code, the count and the value in three arrays (a `Uint8Array`, a
   * `Uint32Array` allocated at a table's first count, and an array), in one full `npm run bench`
   * each: `getString` at 10,000 flags 1.34x `Map.get` against 1.42x, `isEnabled` 1.22x against
   * 1.40x (the const enum above is part of that), every getter at 100 flags 1.18-1.28x.
   */
  readonly cells: FlagCells;

  constructor(
    /** The keys, in position order (shared with other tables that have the same). */
    readonly order: FlagKeys,
    /** Per position: the flag's state. */
    readonly states: readonly FlagState[],
  ) {
    this.positions = order.positions;
    // Filled first, so that every table's array has the same elements kind (a table whose cells
    // happened to all be small integers would have another one, and the getters' loads would see
    // two shapes).
    const cells: FlagCells = new Array<number | JsonValue | undefined>(2 * states.length).fill(undefined);
    for (let position = 0; position < states.length; position++) {
      const state = states[position]!;
      cells[2 * position] = typeCode(state.type) + (state.enabled ? FlagCode.Enabled : 0);
      cells[2 * position + 1] = served(state);
    }
    this.cells = cells;
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
