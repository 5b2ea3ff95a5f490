import type { MalformedKind } from "./server-faults";
import { simulatedErrorBody } from "./simulated-error";

/** A broken 200 response for the `malformed` fault. */
export interface MalformedResponse {
  readonly contentType: string;
  readonly body: string;
}

/** Above 2 MiB, which a client is expected to refuse (DESIGN.md: "an oversized body"). */
const OVERSIZED_BYTES = 2 * 1024 * 1024 + 64 * 1024;

const oversizedCache = new Map<"v1" | "v2", string>();

function oversizedBody(version: "v1" | "v2"): string {
  let body = oversizedCache.get(version);
  if (body === undefined) {
    const entries: string[] = [];
    let size = 0;
    for (let i = 0; size < OVERSIZED_BYTES; i++) {
      const key = `"padding-flag-${String(i).padStart(7, "0")}"`;
      const entry =
        version === "v1"
          ? `${key}:false`
          : `${key}:{"key":${key},"type":"boolean","value":false,"enabled":false,"reason":{"kind":"OFF"}}`;
      entries.push(entry);
      size += entry.length + 1;
    }
    body = `{"flags":{${entries.join(",")}}}`;
    oversizedCache.set(version, body);
  }
  return body;
}

function wrongTypesBody(version: "v1" | "v2", keys: readonly string[]): string {
  const names = keys.length > 0 ? keys : ["flag"];
  const entries = names.map((key) =>
    version === "v1"
      ? `${JSON.stringify(key)}:"true"`
      : `${JSON.stringify(key)}:{"key":${JSON.stringify(key)},"type":"boolean","value":"true","enabled":"yes","reason":"OFF"}`,
  );
  return `{"flags":{${entries.join(",")}}}`;
}

/**
 * The body of a `malformed` fault for the v1 or v2 endpoint, always sent with status 200.
 * `schema` keeps the real flag keys so that a lax client would visibly apply the wrong types.
 */
export function malformedFlagBody(kind: MalformedKind, version: "v1" | "v2", keys: readonly string[]): MalformedResponse {
  switch (kind) {
    case "not-json":
      return { contentType: "application/json", body: '{"flags":{"new-feature":tru' };
    case "html":
      return {
        contentType: "text/html; charset=utf-8",
        body: "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n",
      };
    case "no-flags":
      return { contentType: "application/json", body: simulatedErrorBody(200) };
    case "schema":
      return { contentType: "application/json", body: wrongTypesBody(version, keys) };
    case "oversized":
      return { contentType: "application/json", body: oversizedBody(version) };
  }
}
