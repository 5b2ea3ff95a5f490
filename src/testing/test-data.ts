import type { FlagDefinition, SegmentDefinition } from "../model/flag-model";
import { FlagStore } from "../server/flag-store";
import { parseFlagDefinition, parseFlagsFile, parseSegmentDefinition, type FlagsFile } from "../server/flags-file";
import { readFlagsFile } from "../server/read-flags-file";
import type { ConversionEvent, TelemetryBody } from "../transport/delivery-bodies";
import type { FlagsTransport } from "../transport/flags-transport";
import type { TestDataSource } from "../transport/test-data-source";
import { InProcessTransport } from "./in-process-transport";
import { TestFlag } from "./test-flag";

/** A flag for {@link TestData.update}: a builder from `td.flag(key)`, or a definition as in a flags file. */
export type TestFlagInput = TestFlag | FlagDefinition;

/**
 * Microtask turns with nothing in flight after which an update counts as settled: a forUser
 * user's refetch may start a few turns after another finished (they run four at a time).
 */
const QUIET_TURNS = 20;

/**
 * Flags for unit tests, served in-process: `new RollgateClient({ apiKey: "test", testData: td })`
 * gets its flags from here, evaluated by the local server's engine for each user (targeting,
 * rules, segments, rollouts and reasons exactly as the server's), with no socket and no timer.
 * A change made here reaches connected clients as a stream's change signal would: `flag$`,
 * `flag-changed` events and `forUser` views all run the real code. Everything settles on
 * microtasks, so a test on a virtual-time scheduler needs no advancing.
 *
 * Definitions are validated as the server validates them (a `FlagsFileError` names the field).
 *
 * @example
 * const td = new TestData();
 * await td.update(td.flag("new-checkout").on());
 * await td.update(td.flag("theme").value("light").when("plan", "eq", "pro", "dark"));
 * const client = new RollgateClient({ apiKey: "test", testData: td });
 * await client.init();
 * client.getString("theme", "light"); // "light"
 * await td.update(td.flag("new-checkout").off()); // client.isEnabled("new-checkout", true) === false
 */
export class TestData implements TestDataSource {
  private readonly store: FlagStore;
  private readonly clients = new Set<() => Promise<unknown>>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly tracked: ConversionEvent[] = [];
  private readonly reports: TelemetryBody[] = [];

  /**
   * @param file flags and segments to start with, as in a flags file (`{ flags: [...], segments: {...} }`).
   * @throws FlagsFileError when a definition is invalid.
   */
  constructor(file: FlagsFile = { flags: [] }) {
    this.store = new FlagStore(parseFlagsFile(file, "test data"));
  }

  /**
   * Test data holding a flags file's flags, e.g. the one your local server runs with.
   *
   * @example
   * const td = await TestData.fromFile("examples/flags.json");
   */
  static async fromFile(path: string): Promise<TestData> {
    return new TestData(await readFlagsFile(path));
  }

  /**
   * The conversion events connected clients sent (`track()`, delivered on `flushEvents()`,
   * their interval or `close()`), in order, as they would reach Rollgate.
   *
   * @example
   * await client.flushEvents();
   * expect(td.trackedEvents.map((e) => e.eventName)).toEqual(["purchase"]);
   */
  get trackedEvents(): readonly ConversionEvent[] {
    return this.tracked;
  }

  /** The evaluation telemetry connected clients sent (`flushTelemetry()`, interval, `close()`). */
  get telemetryReports(): readonly TelemetryBody[] {
    return this.reports;
  }

  /** How many clients are connected (a client disconnects on `close()`). */
  get connectedClients(): number {
    return this.clients.size;
  }

  /** A flag's current definition. */
  get(key: string): FlagDefinition | undefined {
    return this.store.get(key);
  }

  /**
   * A builder starting from the flag's current definition, or, for a new flag, from a boolean
   * flag on for everyone. Pass it to {@link update}.
   */
  flag(key: string): TestFlag {
    return new TestFlag(this.store.get(key) ?? { key, enabled: true, rolloutPercentage: 100 });
  }

  /**
   * Adds or replaces a flag. Resolves once every connected client has applied the change: its
   * own flags and those of the `forUser` users someone subscribes to (other users fetch theirs
   * on their next `forUser` call, as with a server). Writing an identical definition changes
   * nothing and notifies no one.
   *
   * @throws FlagsFileError (synchronously) when the definition is invalid.
   */
  update(flag: TestFlagInput): Promise<void> {
    const definition = flag instanceof TestFlag ? flag.definition : flag;
    return this.announce(this.store.setFlag(parseFlagDefinition(definition, this.store.segments, `test flag "${definition.key}"`)).length);
  }

  /** Removes a flag: clients stop seeing it (their getters answer the default). */
  delete(key: string): Promise<void> {
    return this.announce(this.store.deleteFlag(key).length);
  }

  /**
   * Adds or replaces a segment (referenced by rules as `{ attribute: "segment", operator: "in", value: id }`);
   * every flag using it changes.
   */
  segment(id: string, definition: SegmentDefinition): Promise<void> {
    return this.announce(this.store.setSegment(id, parseSegmentDefinition(definition, `test segment "${id}"`)).length);
  }

  /** @internal The `testData` option's side: connects one client. */
  connect(changed: () => Promise<unknown>): FlagsTransport {
    this.clients.add(changed);
    return new InProcessTransport(this.store, this.pending, {
      closed: () => this.clients.delete(changed),
      events: (events) => this.tracked.push(...events),
      telemetry: (body) => this.reports.push(body),
    });
  }

  private async announce(changes: number): Promise<void> {
    if (changes === 0) return;
    await Promise.all([...this.clients].map((changed) => changed()));
    await this.settled();
  }

  /** Resolves once no fetch has been in flight for a few microtask turns. */
  private async settled(): Promise<void> {
    for (let quiet = 0; quiet < QUIET_TURNS; quiet++) {
      if (this.pending.size > 0) {
        await Promise.allSettled([...this.pending]);
        quiet = -1;
      } else {
        await undefined;
      }
    }
  }
}
