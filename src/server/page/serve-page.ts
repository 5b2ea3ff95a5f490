import type { Exchange } from "../exchange";
import { pageAssets } from "./page-assets";

/**
 * The page may run only its own script and style and talk only to this server: no inline
 * script or style, no other origin, no plugin, no framing, no form posting elsewhere. With
 * Trusted Types required and no policy allowed, even a slip to `innerHTML` would throw instead
 * of parsing markup from a flag key.
 */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join("; ");

const PAGE_HEADERS = {
  "Content-Security-Policy": PAGE_CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  // Revalidated on every load (a 304 when unchanged), so a newer server's page is never stale.
  "Cache-Control": "no-cache",
};

const PAGE_PATHS: ReadonlySet<string> = new Set(["/", "/page.css", "/page.js"]);

/** Whether `path` is one of the page's files (served only while the admin API is on). */
export function isPagePath(path: string): boolean {
  return PAGE_PATHS.has(path);
}

/**
 * Serves the page's files for GET and HEAD (405 otherwise), with the strict
 * Content-Security-Policy and an ETag. The page holds no secret: it asks for the admin token
 * and uses it only in calls to the admin API.
 */
export function servePage(exchange: Exchange): void {
  const asset = pageAssets().get(exchange.path);
  if (!asset) {
    exchange.sendGoError(404, "404 page not found");
    return;
  }
  const method = exchange.request.method ?? "GET";
  if (method !== "GET" && method !== "HEAD") {
    exchange.sendGoError(405, "Method not allowed");
    return;
  }
  if (exchange.header("if-none-match") === asset.etag) {
    exchange.sendEmpty(304, { ...PAGE_HEADERS, ETag: asset.etag });
    return;
  }
  const headers = { ...PAGE_HEADERS, ETag: asset.etag, "Content-Type": asset.contentType, "Content-Length": asset.body.length };
  exchange.writeHead(200, headers).end(method === "HEAD" ? undefined : asset.body);
}
