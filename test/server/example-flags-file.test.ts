import { silentLogger } from "../../src/logger/logger";
import { startServer, type EvaluationUser, type RollgateServer } from "../../src/server";
import { call, json, userContextHeader } from "./support/http-client";

interface V2Flag {
  readonly type: string;
  readonly value: unknown;
  readonly enabled: boolean;
  readonly reason: { readonly kind: string; readonly ruleId?: string; readonly ruleIndex?: number };
}

let server: RollgateServer;

beforeAll(async () => {
  server = await startServer({ flagsFile: "examples/flags.json", logger: silentLogger });
});

afterAll(async () => {
  await server.close();
});

async function flagsFor(user: EvaluationUser | undefined): Promise<Record<string, V2Flag>> {
  const headers: Record<string, string> = user ? { "x-user-context": userContextHeader(user) } : {};
  return json<{ flags: Record<string, V2Flag> }>(await call(server, "/api/v1/sdk/v2/flags", { headers })).flags;
}

async function valueFor(key: string, user?: EvaluationUser): Promise<unknown> {
  const flag = (await flagsFor(user))[key];
  return flag?.enabled ? flag.value : undefined;
}

describe("examples/flags.json, as the demo and README use it", () => {
  it("serves the documented defaults to an anonymous user", async () => {
    const flags = await flagsFor(undefined);
    expect(flags["new-feature"]).toMatchObject({ type: "boolean", value: true });
    expect(flags["disabled-flag"]).toMatchObject({ enabled: false, value: false, reason: { kind: "OFF" } });
    expect(flags["theme"]).toMatchObject({ type: "string", value: "light" });
    expect(flags["cta-color"]).toMatchObject({ type: "string", value: "blue" });
    expect(flags["checkout-variant"]).toMatchObject({ type: "string", value: "control" });
    expect(flags["results-per-page"]).toMatchObject({ type: "number", value: 20 });
    expect(flags["api-timeout-ms"]).toMatchObject({ type: "number", value: 5000 });
    expect(flags["feature-config"]).toMatchObject({ type: "json", value: { enabled: true, max_items: 10, allowed_roles: ["admin"] } });
    expect(flags["rate-limit-config"]).toMatchObject({ type: "json", value: { requests_per_minute: 600, burst: 50 } });
    expect(flags["beta-dashboard"]?.enabled).toBe(false);
    // The anonymous id "" buckets at 96 for rollout-50 (PROTOCOL.md §3.7).
    expect(flags["rollout-50"]?.enabled).toBe(false);
  });

  it.each([
    ["theme", { id: "u", attributes: { plan: "pro" } }, "dark"],
    ["results-per-page", { id: "u", attributes: { plan: "pro", sessions_per_week: 12 } }, 50],
    ["results-per-page", { id: "u", attributes: { plan: "pro", sessions_per_week: 3 } }, 20],
    ["api-timeout-ms", { id: "u", attributes: { region: "ap-southeast-1" } }, 15000],
    ["feature-config", { id: "u", email: "dev@example.com" }, { enabled: true, max_items: 100, allowed_roles: ["admin", "editor", "viewer"] }],
    ["rate-limit-config", { id: "u", attributes: { plan: "enterprise" } }, { requests_per_minute: 6000, burst: 500 }],
    ["rate-limit-config", { id: "u", attributes: { plan: "free" } }, { requests_per_minute: 60, burst: 10 }],
    ["beta-dashboard", { id: "u", attributes: { plan: "pro", country: "US", app_version: "2.1.0" } }, true],
    ["beta-dashboard", { id: "u", attributes: { plan: "pro", country: "US", app_version: "1.9.0" } }, undefined],
    ["beta-dashboard", { id: "u", attributes: { plan: "free", country: "US", app_version: "2.1.0" } }, undefined],
    ["my-feature", { id: "user-123" }, true],
    ["my-feature", { id: "u", email: "ana@example.com" }, true],
    ["rollout-50", { id: "user-1" }, true],
    ["rollout-50", { id: "consistent-user-123" }, undefined],
    ["legacy-export", { id: "u", attributes: { app_version: "1.5.0" } }, true],
    ["new-sync-engine", { id: "u", attributes: { app_version: "2.5.0" } }, true],
    ["new-sync-engine", { id: "u", attributes: { app_version: "3.0.1" } }, undefined],
    ["bulk-discount", { id: "u", attributes: { cart_items: 12, account_age_days: 40 } }, true],
    ["onboarding-tour", { id: "u", attributes: { account_age_days: 3, projects: 1 } }, true],
    ["support-chat", { id: "u", email: "ana@acme.io", attributes: { plan: "pro" } }, true],
    ["support-chat", { id: "u", email: "ana@test.acme.io", attributes: { plan: "pro" } }, undefined],
    ["mobile-promo-banner", { id: "u", attributes: { user_agent: "Mozilla/5.0 (iPhone) Mobile Safari" } }, "Spring sale: 20% off the annual plan"],
  ])("%s for %j is %j", async (key, user, expected) => {
    expect(await valueFor(key, user)).toEqual(expected);
  });

  it("counts a disabled rule in ruleIndex", async () => {
    const flags = await flagsFor({ id: "u", attributes: { account_age_days: 3, projects: 0 } });
    expect(flags["onboarding-tour"]?.reason).toEqual({ kind: "RULE_MATCH", ruleId: "new-accounts", ruleIndex: 1, inRollout: true });
  });
});
