import { silentLogger } from "../../../src/logger/logger";
import { startServer, type RollgateServer } from "../../../src/server";
import { pageAssets, pageScript } from "../../../src/server/page/page-assets";
import { PAGE_HTML } from "../../../src/server/page/page-html";
import { PAGE_CONTENT_SECURITY_POLICY } from "../../../src/server/page/serve-page";
import { call } from "../support/http-client";

let server: RollgateServer;

beforeAll(async () => {
  server = await startServer({ logger: silentLogger, flags: [{ key: "a", enabled: true }] });
});

afterAll(async () => {
  await server.close();
});

describe("the page's files", () => {
  it.each([
    ["/", "text/html; charset=utf-8"],
    ["/page.js", "text/javascript; charset=utf-8"],
    ["/page.css", "text/css; charset=utf-8"],
  ])("serves %s as %s with the strict Content-Security-Policy", async (path, type) => {
    const reply = await call(server, path, { auth: false });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe(type);
    expect(reply.headers["content-security-policy"]).toBe(PAGE_CONTENT_SECURITY_POLICY);
    expect(reply.headers["x-content-type-options"]).toBe("nosniff");
    expect(reply.headers["x-frame-options"]).toBe("DENY");
    expect(reply.text).toBe(pageAssets().get(path)?.body.toString("utf8"));
  });

  it("allows no inline script or style, no other origin, and no markup sinks", () => {
    expect(PAGE_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(PAGE_CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(PAGE_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|https?:|\*/);
    expect(PAGE_CONTENT_SECURITY_POLICY).toContain("require-trusted-types-for 'script'");
    // The HTML itself: scripts only by src, no style attribute, no event handler attribute.
    expect(PAGE_HTML.match(/<script[^>]*>/g)).toEqual(['<script src="/page.js" defer>']);
    expect(PAGE_HTML).not.toMatch(/\sstyle=|\son[a-z]+=|<style/i);
    expect(pageScript()).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });

  it("is a script that parses, in strict mode, and refers to no other host", () => {
    expect(() => new Function(pageScript())).not.toThrow();
    for (const asset of pageAssets().values()) expect(asset.body.toString("utf8")).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it("weighs under 50 kB in all", () => {
    const bytes = [...pageAssets().values()].reduce((sum, asset) => sum + asset.body.length, 0);
    expect(bytes).toBeLessThan(50 * 1024);
  });

  it("answers 304 to its ETag, HEAD without a body, and 405 to other methods", async () => {
    const first = await call(server, "/page.js", { auth: false });
    const etag = String(first.headers["etag"]);
    expect((await call(server, "/page.js", { auth: false, headers: { "if-none-match": etag } })).status).toBe(304);
    const head = await call(server, "/", { auth: false, method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect((await call(server, "/", { auth: false, method: "POST" })).status).toBe(405);
  });

  it("is neither recorded nor counted as SDK traffic", async () => {
    server.clearReceived();
    await call(server, "/", { auth: false });
    await call(server, "/page.js");
    expect(server.received.requests).toHaveLength(0);
    expect(server.received.unauthenticated).toBe(0);
  });

  it("is off with the admin API (admin: false answers Go's 404 at /)", async () => {
    const closed = await startServer({ logger: silentLogger, admin: false });
    try {
      for (const path of ["/", "/page.js", "/page.css"]) {
        const reply = await call(closed, path, { auth: false });
        expect(reply.status).toBe(404);
        expect(reply.text).toBe("404 page not found\n");
      }
    } finally {
      await closed.close();
    }
  });
});
