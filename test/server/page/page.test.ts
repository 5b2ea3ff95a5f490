import { performance } from "node:perf_hooks";
import type { Page } from "playwright-core";
import type { RollgateClient, RollgateOptions } from "rollgate";
import { startServer, type FlagDefinition, type RollgateServer, type ServerOptions } from "rollgate/server";
import { silentLogger } from "../../../src/logger/logger";
import { clientFor } from "../../support/test-client";
import { describeInChromium, launchChromium, testOutputFile, type Browser } from "./support/chromium";

const EXAMPLE_FLAGS = "examples/flags.json";
const ADMIN_TOKEN = "page-test-token";

// Each test drives a real browser and real clients: generous on a busy machine.
jest.setTimeout(60_000);

let browser: Browser;
const cleanups: (() => Promise<unknown>)[] = [];

async function serve(options: ServerOptions): Promise<RollgateServer> {
  const server = await startServer({ logger: silentLogger, heartbeatInterval: 0, adminToken: ADMIN_TOKEN, ...options });
  cleanups.push(() => server.close());
  return server;
}

async function client(server: RollgateServer, options: Partial<RollgateOptions> = {}): Promise<RollgateClient> {
  const created = clientFor(server, options);
  cleanups.push(() => created.close());
  await created.init();
  return created;
}

/** A new tab on the page, with the admin token in the link unless `token` is false. */
async function open(server: RollgateServer, token: string | false = ADMIN_TOKEN): Promise<Page> {
  const page = await browser.context.newPage();
  cleanups.push(() => page.close());
  await page.goto(token === false ? `${server.url}/` : `${server.url}/#token=${encodeURIComponent(token)}`);
  if (token !== false) await page.waitForSelector("#flags tr[data-key]");
  return page;
}

/** Resolves once `predicate` holds (checked every 10 ms), with the milliseconds it took. */
async function within(ms: number, predicate: () => boolean | Promise<boolean>): Promise<number> {
  const start = performance.now();
  while (!(await predicate())) {
    if (performance.now() - start > ms) throw new Error(`still false after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - start;
}

/** Waits until the text of `selector` satisfies `predicate` (the page updates it live). */
async function textOf(page: Page, selector: string, predicate: (text: string) => boolean, ms = 5000): Promise<void> {
  await within(ms, async () => predicate((await page.textContent(selector)) ?? ""));
}

function row(key: string): string {
  return `#flags tr[data-key="${key.replace(/["\\]/g, "\\$&")}"]`;
}

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await browser?.close();
});

describeInChromium("the page at / in Chromium", () => {
  it("lists every flag of a flags file, filters them, and says changes live in memory", async () => {
    const server = await serve({ flagsFile: EXAMPLE_FLAGS });
    const page = await open(server);
    const keys = await page.locator("#flags tr").evaluateAll((rows) => rows.map((tr) => tr.getAttribute("data-key")));
    expect(keys).toEqual(server.getFlags().flags.map((flag) => flag.key));
    expect(await page.textContent("#flag-count")).toBe(String(keys.length));
    expect(await page.textContent("#storage")).toContain("memory only");
    expect(await page.textContent(`${row("my-feature")} .targeting`)).toContain("internal-staff");
    expect(await page.inputValue(`${row("my-feature")} .rollout-input`)).toBe("25");

    await page.fill("#filter", "pro-users");
    const filtered = await page.locator("#flags tr").evaluateAll((rows) => rows.map((tr) => tr.getAttribute("data-key")));
    expect(filtered).toEqual(expect.arrayContaining(["theme", "results-per-page"]));
    expect(filtered.length).toBeLessThan(keys.length);
  });

  it("toggles a flag, and a streaming RollgateClient sees it within 1 s", async () => {
    const server = await serve({ flags: [{ key: "new-checkout", enabled: true, rolloutPercentage: 100 }] });
    const streaming = await client(server, { enableStreaming: true, refreshInterval: 0 });
    await server.waitFor((s) => s.streamCount === 1);
    const page = await open(server);
    await textOf(page, "#stream-count", (text) => text === "1");
    expect(streaming.isEnabled("new-checkout", false)).toBe(true);

    await page.click(`${row("new-checkout")} .switch`);
    const ms = await within(1000, () => !streaming.isEnabled("new-checkout", true));
    expect(server.getFlag("new-checkout")?.enabled).toBe(false);
    expect(ms).toBeLessThan(1000);

    await page.click(`${row("new-checkout")} .switch`);
    await within(1000, () => streaming.isEnabled("new-checkout", false));
  });

  it("edits the rollout %, which changes forUser's answers", async () => {
    const server = await serve({ flags: [{ key: "gradual", enabled: true, rolloutPercentage: 0 }] });
    const users = Array.from({ length: 40 }, (_, index) => ({ id: `user-${index}` }));
    const answers = async (): Promise<boolean[]> => {
      const fresh = await client(server);
      return Promise.all(users.map(async (user) => (await fresh.forUser(user)).isEnabled("gradual", false)));
    };
    expect(await answers()).not.toContain(true);
    const page = await open(server);

    await page.fill(`${row("gradual")} .rollout-input`, "50");
    await page.press(`${row("gradual")} .rollout-input`, "Enter");
    await within(2000, () => server.getFlag("gradual")?.rolloutPercentage === 50);
    const half = await answers();
    expect(half).toContain(true);
    expect(half).toContain(false);

    await page.fill(`${row("gradual")} .rollout-input`, "100");
    await page.press(`${row("gradual")} .rollout-input`, "Enter");
    await within(2000, () => server.getFlag("gradual")?.rolloutPercentage === 100);
    expect(await answers()).not.toContain(false);

    await page.fill(`${row("gradual")} .rollout-input`, "101");
    await page.press(`${row("gradual")} .rollout-input`, "Enter");
    await page.waitForSelector("#toast.bad");
    expect(server.getFlag("gradual")?.rolloutPercentage).toBe(100);
  });

  it("edits string, number and JSON values, and never sends invalid JSON", async () => {
    const flags: FlagDefinition[] = [
      { key: "theme", enabled: true, rolloutPercentage: 100, variations: { light: "light" }, defaultVariation: "light" },
      { key: "limit", enabled: true, rolloutPercentage: 100, variations: { standard: 20 }, defaultVariation: "standard" },
      { key: "config", enabled: true, rolloutPercentage: 100, variations: { base: { retries: 1 } }, defaultVariation: "base" },
    ];
    const server = await serve({ flags });
    const page = await open(server);

    await edit(page, "theme", "light", "solarized");
    await within(2000, () => server.getFlag("theme")?.variations?.["light"] === "solarized");
    await edit(page, "limit", "standard", "50");
    await within(2000, () => server.getFlag("limit")?.variations?.["standard"] === 50);

    const putsBefore = server.received.requests.length;
    await edit(page, "config", "base", "{ retries: 3 ");
    expect(await page.textContent(`${row("config")} .editor .error`)).toContain("Not valid JSON");
    expect(server.getFlag("config")?.variations?.["base"]).toEqual({ retries: 1 });
    expect(server.received.requests.length).toBe(putsBefore);
    await page.fill(`${row("config")} .value-input`, '{"retries": 3, "backoff": [1, 2]}');
    await page.click(`${row("config")} .editor button[type=submit]`);
    await within(2000, () => JSON.stringify(server.getFlag("config")?.variations?.["base"]) === '{"retries":3,"backoff":[1,2]}');
  });

  it("keeps an open value editor, its text and its error, while the table reloads behind it", async () => {
    const flags: FlagDefinition[] = [
      { key: "limit", enabled: true, rolloutPercentage: 100, variations: { standard: 20 }, defaultVariation: "standard" },
      { key: "config", enabled: true, rolloutPercentage: 100, variations: { base: { retries: 1 } }, defaultVariation: "base" },
    ];
    const server = await serve({ flags });
    const page = await open(server);
    const reloads = await watchFlagReloads(page);
    const editorError = () => page.locator(`${row("config")} .editor .error`).allTextContents();

    // The reload after saving one value lands once the reader is editing the next: the order a
    // busy machine gave once (the redraw threw the editor away, and its error with it).
    await edit(page, "limit", "standard", "50");
    await textOf(page, "#toast", (text) => text.includes("Saved limit"));
    await edit(page, "config", "base", "{ retries: 3 ");
    expect(await editorError()).toEqual([expect.stringContaining("Not valid JSON")]);
    await reloads.release();
    await reloads.actedOn('"standard":50');
    expect(await editorError()).toEqual([expect.stringContaining("Not valid JSON")]);
    expect(await page.inputValue(`${row("config")} .value-input`)).toBe("{ retries: 3 ");

    // So does a change someone else makes (the live view reloads the table at once).
    server.setFlag({ ...flags[0]!, variations: { standard: 30 } });
    await reloads.actedOn('"standard":30');
    expect(await editorError()).toEqual([expect.stringContaining("Not valid JSON")]);

    // Saving closes the editor, and the table shows every change.
    await page.fill(`${row("config")} .value-input`, '{"retries": 3}');
    await page.click(`${row("config")} .editor button[type=submit]`);
    await textOf(page, `${row("config")} .variation code`, (text) => text === '{"retries":3}');
    expect(server.getFlag("config")?.variations?.["base"]).toEqual({ retries: 3 });
    expect(await page.textContent(`${row("limit")} .variation code`)).toBe("30");
    expect(await page.locator("#flags .editor").count()).toBe(0);
  });

  it("opens a client's circuit with the fault button, and clearing the fault closes it", async () => {
    const server = await serve({ flags: [{ key: "a", enabled: true, rolloutPercentage: 100 }] });
    const polling = await client(server, { refreshInterval: 0.5, retry: { maxRetries: 0 }, circuitBreaker: { failureThreshold: 2, resetTimeout: 0.5 } });
    const page = await open(server);

    await page.click("#fail-all");
    await textOf(page, "#faults-active", (text) => text.includes("503 until cleared"));
    await within(5000, () => polling.getCircuitState() === "open");
    expect(polling.isEnabled("a", false)).toBe(true);

    await page.click("#clear-faults");
    await textOf(page, "#faults-active", (text) => text === "no fault");
    await within(5000, () => polling.getCircuitState() === "closed");
    expect(server.faults).toBeDefined();
  });

  it("shows what 'Try a user' evaluates, matching forUser for 20 users", async () => {
    const server = await serve({ flagsFile: EXAMPLE_FLAGS });
    const rollgate = await client(server);
    const page = await open(server);
    const plans = ["free", "pro", "enterprise"];
    const countries = ["DE", "US", "FR", "JP", "GB"];
    const users = Array.from({ length: 20 }, (_, index) => ({
      id: index === 0 ? "user-123" : `visitor-${index}`,
      email: index % 3 === 0 ? `person${index}@example.com` : "",
      attributes: { plan: plans[index % 3]!, country: countries[index % 5]!, app_version: `2.${index % 4}.0`, region: index % 2 ? "ap-south-1" : "eu-west-1" },
    }));
    const expected = await Promise.all(
      users.map(async (user) => {
        const flags = await rollgate.forUser({ id: user.id, ...(user.email ? { email: user.email } : {}), attributes: user.attributes });
        return Object.entries(flags.getAllFlags()).map(([key, value]) => [key, JSON.stringify(value), flags.getValueDetail(key, null).reason.kind]);
      }),
    );
    // The page evaluates a first user on its own: let that finish, so it cannot pass for ours.
    await page.waitForSelector("#try-results[data-user]", { state: "attached" });
    await page.locator("#try-results").evaluate((body) => body.removeAttribute("data-user"));
    for (const [index, user] of users.entries()) {
      // One round trip to fill the form and submit it, as a person would (the fields, then the button).
      await page.locator("#try-form").evaluate((form, fields) => {
        form.querySelector("#try-id").value = fields.id;
        form.querySelector("#try-email").value = fields.email;
        form.querySelector("#try-attributes").value = JSON.stringify(fields.attributes);
        form.querySelector("button[type=submit]").click();
      }, user);
      await page.waitForSelector(`#try-results[data-user="${user.id}"]`, { state: "attached" });
      const shown = await page.locator("#try-results tr").evaluateAll((rows) =>
        rows.map((tr) => [tr.getAttribute("data-key"), tr.querySelector(".value")?.textContent, tr.querySelector(".reason")?.textContent]),
      );
      expect(shown.map(([key, value, reason]) => [key, value, reason?.split(" ")[0]])).toEqual(expected[index]);
    }
  });

  it("renders flag keys and values as text, never as markup", async () => {
    const key = "<img src=x onerror=alert(1)>";
    const server = await serve({
      flags: [
        {
          key,
          enabled: true,
          rolloutPercentage: 100,
          variations: { "<b>bold</b>": "<script>alert(2)</script>" },
          defaultVariation: "<b>bold</b>",
          targetUsers: ["<svg onload=alert(3)>"],
        },
      ],
    });
    const page = await open(server);
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.waitForSelector("#try-results tr");
    expect(await page.textContent("#flags .key")).toBe(key);
    expect(await page.textContent("#flags .variation code")).toBe('"<script>alert(2)</script>"');
    expect(await page.textContent("#try-results .key")).toBe(key);
    expect(await page.locator("main img, main b, main svg, main script").count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it("asks for the admin token, and without it changes nothing", async () => {
    const server = await serve({ flags: [{ key: "guarded", enabled: true, rolloutPercentage: 100 }] });
    const before = JSON.stringify(server.getFlags());
    const page = await open(server, false);
    await page.waitForSelector("#login:not([hidden])");
    expect(await page.isHidden("#app")).toBe(true);
    expect(await page.locator("#flags tr").count()).toBe(0);

    await page.fill("#token", "not-the-token");
    await page.click("#login-form button[type=submit]");
    await textOf(page, "#login-error", (text) => text.includes("refused"));
    const statuses = await page.evaluate(async () => {
      const put = await fetch("/admin/flags/guarded", { method: "PUT", body: '{"enabled":false}' });
      const fault = await fetch("/admin/faults", { method: "POST", body: '{"fault":"failFlags","status":503,"count":"all"}' });
      return [put.status, fault.status];
    });
    expect(statuses).toEqual([401, 401]);
    expect(JSON.stringify(server.getFlags())).toBe(before);
    expect(server.faults).toBeDefined();
    expect(await call503(server)).toBe(200);

    await page.fill("#token", ADMIN_TOKEN);
    await page.click("#login-form button[type=submit]");
    await page.waitForSelector(`${row("guarded")}`);
  });

  it("shows stream clients and recent requests live, and saves a screenshot", async () => {
    const server = await serve({ flagsFile: EXAMPLE_FLAGS });
    const page = await open(server);
    const first = await client(server, { enableStreaming: true, refreshInterval: 0, user: { id: "user-123", attributes: { plan: "pro" } } });
    await client(server, { enableStreaming: true, refreshInterval: 0, user: { id: "qa-bot" } });
    await first.forUser({ id: "visitor-7", attributes: { country: "DE" } });
    await textOf(page, "#stream-count", (text) => text === "2");
    await textOf(page, "#requests", (text) => text.includes("visitor-7"));
    expect(await page.textContent("#streams")).toContain("user-123");
    expect(await page.locator("#requests tr").count()).toBeGreaterThanOrEqual(3);
    await page.fill("#try-id", "user-123");
    await Promise.all([page.waitForResponse((response) => response.url().endsWith("/admin/evaluate")), page.click("#try-form button[type=submit]")]);
    await page.locator("header").scrollIntoViewIfNeeded();
    await page.screenshot({ path: await testOutputFile("local-server-page.png") });
  });
});

/** Opens the editor of one variation's value, types `text` and saves it. */
async function edit(page: Page, key: string, variation: string, text: string): Promise<void> {
  await page.click(`${row(key)} [data-variation="${variation}"] .edit`);
  await page.fill(`${row(key)} .value-input`, text);
  await page.click(`${row(key)} .editor button[type=submit]`);
}

/** What watchFlagReloads adds to the page's window. */
interface FlagReloads {
  held: boolean;
  waiting: (() => void)[];
  /** The bodies of the reloads the page has acted on, each as compact JSON. */
  actedOn: string[];
}

/** The page's reloads of its flags table (`GET /admin/flags`), watched and at first held. */
interface WatchedReloads {
  /** Lets the held reloads through, and every later one. */
  release(): Promise<void>;
  /** Resolves once the page has acted on (redrawn, or decided not to redraw) a reload whose compact JSON contains `text`. */
  actedOn(text: string): Promise<void>;
}

/**
 * Holds the page's reloads of the flags table until `release()`, so a test can make certain of
 * an order a busy machine gives only now and then; a reload counts as acted on one task after
 * the page read its body (the page parses it and redraws, or not, in the same task).
 */
async function watchFlagReloads(page: Page): Promise<WatchedReloads> {
  await page.evaluate(() => {
    const reloads: FlagReloads = { held: true, waiting: [], actedOn: [] };
    // In the page, globalThis is its window (the test's tsconfig has no DOM types).
    const window = globalThis as unknown as { fetch: typeof fetch; flagReloads: FlagReloads };
    window.flagReloads = reloads;
    const original = window.fetch.bind(globalThis);
    window.fetch = (...[input, init]: Parameters<typeof fetch>) => {
      const reply = original(input, init);
      if (input !== "/admin/flags" || (init?.method ?? "GET") !== "GET") return reply;
      const passed = reloads.held ? new Promise<void>((resolve) => reloads.waiting.push(resolve)) : Promise.resolve();
      return passed.then(() => reply).then((response) => {
        const read = response.text.bind(response);
        const text = () =>
          read().then((body) => {
            setTimeout(() => reloads.actedOn.push(JSON.stringify(JSON.parse(body))), 0);
            return body;
          });
        return Object.defineProperty(response, "text", { value: text });
      });
    };
  });
  return {
    release: async () => {
      await page.evaluate(() => {
        const reloads = (globalThis as unknown as { flagReloads: FlagReloads }).flagReloads;
        reloads.held = false;
        for (const resolve of reloads.waiting.splice(0)) resolve();
      });
    },
    actedOn: async (text) => {
      await page.waitForFunction((wanted) => (globalThis as unknown as { flagReloads: FlagReloads }).flagReloads.actedOn.some((body) => body.includes(wanted)), text);
    },
  };
}

/** The status of one flags request with the API key (200 unless a fault is in force). */
async function call503(server: RollgateServer): Promise<number> {
  const response = await fetch(`${server.url}/api/v1/sdk/flags`, { headers: { authorization: `Bearer ${server.apiKey}` } });
  await response.text();
  return response.status;
}
