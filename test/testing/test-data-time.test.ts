import { RollgateClient, silentLogger } from "rollgate";
import { TestData } from "rollgate/testing";
import { VirtualClock } from "../support/virtual-clock";

/** Timers still scheduled on the virtual clock (cancelled ones stay queued but closed). */
function liveTimers(clock: VirtualClock): number {
  return clock.scheduler.actions.filter((action) => !action.closed).length;
}

describe("TestData in virtual time and at teardown", () => {
  it("settles init, changes, forUser and close on a virtual clock that never advances, and leaves no timer", async () => {
    const clock = new VirtualClock();
    const td = new TestData();
    await td.update(td.flag("theme").value("light").when("plan", "eq", "pro", "dark"));
    const client = new RollgateClient({ apiKey: "test", testData: td, logger: silentLogger, scheduler: clock.scheduler, user: { id: "u-1" } });
    await client.init();
    const pro = await client.forUser({ id: "u-2", attributes: { plan: "pro" } });
    const themes: string[] = [];
    pro.flag$("theme", "none").subscribe((theme) => themes.push(theme));
    await td.update(td.flag("theme").when("plan", "eq", "pro", "purple"));
    await client.identify({ id: "u-3", attributes: { plan: "pro" } });
    await client.refresh();
    expect([client.getString("theme", ""), themes]).toEqual(["purple", ["dark", "purple"]]);
    expect(clock.now).toBe(0);
    // While the client runs, the only timers are the events and telemetry flush intervals, and
    // the next gathering of the evaluation counts (telemetry).
    expect(liveTimers(clock)).toBe(3);
    await client.close();
    expect(liveTimers(clock)).toBe(0);
    expect(clock.now).toBe(0);
  });

  it("runs no timer at all with events and telemetry off, and hands tracked events to the test data", async () => {
    const clock = new VirtualClock();
    const td = new TestData();
    await td.update(td.flag("checkout").on());
    const quiet = new RollgateClient({ apiKey: "test", testData: td, logger: silentLogger, scheduler: clock.scheduler, events: false, telemetry: false });
    await quiet.init();
    expect(liveTimers(clock)).toBe(0);
    await quiet.close();

    const client = new RollgateClient({ apiKey: "test", testData: td, logger: silentLogger, scheduler: clock.scheduler });
    await client.init();
    const flags = await client.forUser({ id: "buyer" });
    if (flags.isEnabled("checkout", false)) flags.track({ flagKey: "checkout", eventName: "purchase", value: 10 });
    await client.close();
    expect(td.trackedEvents.map((e) => [e.eventName, e.userId, e.value])).toEqual([["purchase", "buyer", 10]]);
    expect(td.telemetryReports.map((r) => r.evaluations)).toEqual([{ checkout: { total: 1, true: 1, false: 0 } }]);
    expect(liveTimers(clock)).toBe(0);
  });

  it("leaves no handle open after close() on the default scheduler, however many clients came and went", async () => {
    const before = process.getActiveResourcesInfo().sort();
    const td = new TestData();
    await td.update(td.flag("a").on());
    for (let index = 0; index < 50; index++) {
      const client = new RollgateClient({ apiKey: "test", testData: td, logger: silentLogger });
      await client.init();
      await client.forUser({ id: `user-${index}` });
      await td.update(td.flag("a").value(index % 2 === 0));
      await client.close();
    }
    expect(td.connectedClients).toBe(0);
    expect(process.getActiveResourcesInfo().sort()).toEqual(before);
  });

  describe("under jest's fake timers", () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it("needs no timer to run either: init, a change and forUser settle without advancing them", async () => {
      const td = new TestData();
      await td.update(td.flag("a").on());
      const client = new RollgateClient({ apiKey: "test", testData: td, logger: silentLogger });
      await client.init();
      const view = await client.forUser({ id: "u-1" });
      await td.update(td.flag("a").off());
      expect([client.isEnabled("a", true), (await client.forUser({ id: "u-1" })).isEnabled("a", true), view.isEnabled("a", true)]).toEqual([false, false, false]);
      await client.close();
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
