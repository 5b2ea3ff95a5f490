import type { RollgateEvent } from "rollgate";
import { EventHub } from "../../src/client/event-hub";
import { RecordingLogger } from "../support/test-client";

/** A `stale` event that counts how often its `type` is read: the work a hub does per listener. */
function countingEvent(): { event: RollgateEvent; typeReads: () => number } {
  let reads = 0;
  const event = {
    get type() {
      reads++;
      return "stale" as const;
    },
    reason: "test",
  };
  return { event, typeReads: () => reads };
}

describe("EventHub", () => {
  it("does work per listener of the event's type only, however many listen to other types", () => {
    const hub = new EventHub(new RecordingLogger());
    let otherCalls = 0;
    for (let i = 0; i < 1_000; i++) hub.on("flag-changed", () => otherCalls++);
    let staleCalls = 0;
    hub.on("stale", () => staleCalls++);
    const { event, typeReads } = countingEvent();
    hub.emit(event);
    expect(staleCalls).toBe(1);
    expect(otherCalls).toBe(0);
    // One read to find the type's listeners; a filter per listener would read it 1,001 times.
    expect(typeReads()).toBeLessThanOrEqual(2);
  });

  it("delivers to events$ and to on() listeners, contains a throwing listener and logs it", () => {
    const logger = new RecordingLogger();
    const hub = new EventHub(logger);
    const seen: string[] = [];
    hub.events$.subscribe((e) => seen.push(`events$:${e.type}`));
    hub.on("stale", () => {
      throw new Error("boom");
    });
    hub.on("stale", (e) => seen.push(`on:${e.reason}`));
    hub.emit({ type: "stale", reason: "r" });
    expect(seen).toEqual(["events$:stale", "on:r"]);
    expect(logger.text()).toContain('A listener for "stale" threw');
  });

  it("stops calling a listener once unsubscribed, also during an emission, and reports observed", () => {
    const hub = new EventHub(new RecordingLogger());
    expect(hub.observed).toBe(false);
    const calls: string[] = [];
    let offSecond = () => {};
    const offFirst = hub.on("circuit-open", () => {
      calls.push("first");
      offSecond();
    });
    offSecond = hub.on("circuit-open", () => calls.push("second"));
    expect(hub.observed).toBe(true);
    hub.emit({ type: "circuit-open" });
    hub.emit({ type: "circuit-open" });
    expect(calls).toEqual(["first", "first"]);
    offFirst();
    offFirst();
    expect(hub.observed).toBe(false);
    hub.emit({ type: "circuit-open" });
    expect(calls).toEqual(["first", "first"]);
  });

  it("calls nothing after complete(), and on() after complete() is a no-op", () => {
    const hub = new EventHub(new RecordingLogger());
    let calls = 0;
    hub.on("stale", () => calls++);
    let completed = false;
    hub.events$.subscribe({ complete: () => (completed = true) });
    hub.complete();
    hub.on("stale", () => calls++)();
    hub.emit({ type: "stale", reason: "late" });
    expect(calls).toBe(0);
    expect(completed).toBe(true);
  });
});
