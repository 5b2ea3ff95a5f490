import { createHash } from "node:crypto";
import { PAGE_HTML } from "./page-html";
import { PAGE_SCRIPT_CORE } from "./page-script-core";
import { PAGE_SCRIPT_FLAGS } from "./page-script-flags";
import { PAGE_SCRIPT_MAIN } from "./page-script-main";
import { PAGE_SCRIPT_PANELS } from "./page-script-panels";
import { PAGE_STYLE } from "./page-style";

/** One file of the page, ready to send. */
export interface PageAsset {
  readonly body: Buffer;
  readonly contentType: string;
  /** A strong ETag over the body. */
  readonly etag: string;
}

/** The page's script: its parts in one strict-mode function scope, nothing global. */
export function pageScript(): string {
  return `"use strict";\n(function () {\n${PAGE_SCRIPT_CORE}${PAGE_SCRIPT_FLAGS}${PAGE_SCRIPT_PANELS}${PAGE_SCRIPT_MAIN}})();\n`;
}

function asset(text: string, contentType: string): PageAsset {
  const body = Buffer.from(text, "utf8");
  return { body, contentType, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"` };
}

let assets: ReadonlyMap<string, PageAsset> | undefined;

/**
 * The page's files by path: `/` (the HTML), `/page.css` and `/page.js`. Built once, on first use,
 * so that a server that never serves the page pays nothing for it.
 */
export function pageAssets(): ReadonlyMap<string, PageAsset> {
  assets ??= new Map([
    ["/", asset(PAGE_HTML, "text/html; charset=utf-8")],
    ["/page.css", asset(PAGE_STYLE, "text/css; charset=utf-8")],
    ["/page.js", asset(pageScript(), "text/javascript; charset=utf-8")],
  ]);
  return assets;
}
