import type { FlagDefinition, SegmentDefinition } from "../model/flag-model";
import type { FlagsFile } from "./flags-file";
import { referencedSegments } from "./flags-file";
import { compareGoMapKeys, encodeGoJson, encodeGoString } from "./go-json";

/** One flag whose definition changed, as broadcast in a `flag-changed` event (PROTOCOL.md §2.2). */
export interface FlagChange {
  readonly key: string;
  /** The definition's kill switch after the change; `false` when the flag was removed. */
  readonly enabled: boolean;
}

/** A flag as the store keeps it: the definition plus encodings computed once per change. */
export interface StoredFlag {
  readonly key: string;
  /** The key as a Go JSON string literal, quotes included, ready to splice into a body. */
  readonly encodedKey: string;
  readonly definition: FlagDefinition;
  /** Canonical JSON of the definition, to tell a real change from an identical write. */
  readonly fingerprint: string;
}

function storeFlag(definition: FlagDefinition): StoredFlag {
  return { key: definition.key, encodedKey: encodeGoString(definition.key), definition, fingerprint: encodeGoJson(definition) };
}

function dependsOnAny(definition: FlagDefinition, segmentIds: ReadonlySet<string>): boolean {
  for (const rule of definition.rules ?? []) {
    for (const condition of rule.conditions) {
      for (const id of referencedSegments(condition)) if (segmentIds.has(id)) return true;
    }
  }
  return false;
}

/**
 * The server's flag and segment definitions. Every mutation reports exactly the flags whose
 * effective definition changed (added, removed, modified, or referencing a changed segment)
 * to the subscribers, which turn them into `flag-changed` events. Inputs are assumed valid
 * (see `parseFlagDefinition`).
 */
export class FlagStore {
  private readonly flags = new Map<string, StoredFlag>();
  private segmentMap = new Map<string, { readonly definition: SegmentDefinition; readonly fingerprint: string }>();
  private sortedFlags: readonly StoredFlag[] = [];
  private segmentRecord: Readonly<Record<string, SegmentDefinition>> = {};
  private readonly listeners = new Set<(changes: readonly FlagChange[]) => void>();
  private changeCount = 0;

  constructor(file: FlagsFile = { flags: [] }) {
    for (const flag of file.flags) this.flags.set(flag.key, storeFlag(flag));
    for (const [id, segment] of Object.entries(file.segments ?? {})) {
      this.segmentMap.set(id, { definition: segment, fingerprint: encodeGoJson(segment) });
    }
    this.rebuild();
  }

  /** How many mutations changed any flag: a version to tell that a copy of the flags is out of date. */
  get version(): number {
    return this.changeCount;
  }

  /** Every flag, sorted by key as Go sorts map keys (the order of every body). */
  get all(): readonly StoredFlag[] {
    return this.sortedFlags;
  }

  /** Segment id → definition, in the shape `evaluateFlag` takes. */
  get segments(): Readonly<Record<string, SegmentDefinition>> {
    return this.segmentRecord;
  }

  get(key: string): FlagDefinition | undefined {
    return this.flags.get(key)?.definition;
  }

  /** The current definitions as a flags file (flags sorted by key). */
  toFile(): FlagsFile {
    return { flags: this.sortedFlags.map((flag) => flag.definition), segments: this.segmentRecord };
  }

  /** Calls `listener` with the changed flags after every mutation that changed any. Returns an unsubscribe function. */
  subscribe(listener: (changes: readonly FlagChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds or replaces one flag. */
  setFlag(definition: FlagDefinition): readonly FlagChange[] {
    const next = storeFlag(definition);
    if (this.flags.get(definition.key)?.fingerprint === next.fingerprint) return [];
    this.flags.set(definition.key, next);
    return this.commit([{ key: definition.key, enabled: definition.enabled }]);
  }

  /** Removes one flag; returns no change when it did not exist. */
  deleteFlag(key: string): readonly FlagChange[] {
    if (!this.flags.delete(key)) return [];
    return this.commit([{ key, enabled: false }]);
  }

  /** Adds or replaces one segment: every flag referencing it changes. */
  setSegment(id: string, definition: SegmentDefinition): readonly FlagChange[] {
    const fingerprint = encodeGoJson(definition);
    if (this.segmentMap.get(id)?.fingerprint === fingerprint) return [];
    this.segmentMap.set(id, { definition, fingerprint });
    return this.commit(this.flagsDependingOn(new Set([id])));
  }

  /** Removes one segment: every flag referencing it changes (§3.6 semantics apply from then on). */
  deleteSegment(id: string): readonly FlagChange[] {
    if (!this.segmentMap.delete(id)) return [];
    return this.commit(this.flagsDependingOn(new Set([id])));
  }

  /** Replaces every flag and segment, reporting only what differs from before. */
  replace(file: FlagsFile): readonly FlagChange[] {
    const nextSegments = new Map<string, { readonly definition: SegmentDefinition; readonly fingerprint: string }>();
    for (const [id, segment] of Object.entries(file.segments ?? {})) {
      nextSegments.set(id, { definition: segment, fingerprint: encodeGoJson(segment) });
    }
    const changedSegments = new Set<string>();
    for (const [id, segment] of nextSegments) if (this.segmentMap.get(id)?.fingerprint !== segment.fingerprint) changedSegments.add(id);
    for (const id of this.segmentMap.keys()) if (!nextSegments.has(id)) changedSegments.add(id);

    const changes: FlagChange[] = [];
    const nextKeys = new Set<string>();
    for (const definition of file.flags) {
      nextKeys.add(definition.key);
      const next = storeFlag(definition);
      const previous = this.flags.get(definition.key);
      if (previous?.fingerprint !== next.fingerprint || dependsOnAny(definition, changedSegments)) {
        changes.push({ key: definition.key, enabled: definition.enabled });
      }
      this.flags.set(definition.key, next);
    }
    for (const key of [...this.flags.keys()]) {
      if (!nextKeys.has(key)) {
        this.flags.delete(key);
        changes.push({ key, enabled: false });
      }
    }
    this.segmentMap = nextSegments;
    return this.commit(changes);
  }

  private flagsDependingOn(segmentIds: ReadonlySet<string>): FlagChange[] {
    const changes: FlagChange[] = [];
    for (const flag of this.flags.values()) {
      if (dependsOnAny(flag.definition, segmentIds)) changes.push({ key: flag.key, enabled: flag.definition.enabled });
    }
    return changes;
  }

  private rebuild(): void {
    this.sortedFlags = [...this.flags.values()].sort((a, b) => compareGoMapKeys(a.key, b.key));
    // A null prototype keeps ids such as "__proto__" ordinary keys.
    const segments: Record<string, SegmentDefinition> = Object.create(null) as Record<string, SegmentDefinition>;
    for (const [id, segment] of this.segmentMap) segments[id] = segment.definition;
    this.segmentRecord = Object.freeze(segments);
  }

  private commit(changes: FlagChange[]): readonly FlagChange[] {
    this.rebuild();
    if (changes.length === 0) return changes;
    this.changeCount += 1;
    changes.sort((a, b) => compareGoMapKeys(a.key, b.key));
    for (const listener of this.listeners) listener(changes);
    return changes;
  }
}
