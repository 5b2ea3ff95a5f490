import { request } from "undici";
import type { RollgateServer } from "../../../src/server";

/** The default API key of the local server. */
export const API_KEY = "rg_server_local_dev_key";

export interface HttpReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

export interface CallOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Sends `Authorization: Bearer <API_KEY>` unless false or an explicit authorization header is given. @default true */
  readonly auth?: boolean;
}

/** One HTTP call to the server, body read as text. */
export async function call(server: RollgateServer, path: string, options: CallOptions = {}): Promise<HttpReply> {
  const headers: Record<string, string> = { ...(options.auth === false ? {} : { authorization: `Bearer ${API_KEY}` }), ...options.headers };
  const response = await request(`${server.url}${path}`, {
    method: (options.method ?? "GET") as "GET",
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

/** `call` for the admin API, with the server's admin token. */
export function admin(server: RollgateServer, method: string, path: string, body?: unknown): Promise<HttpReply> {
  return call(server, path, {
    method,
    auth: false,
    headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Parses a reply's JSON body. */
export function json<T = Record<string, unknown>>(reply: HttpReply): T {
  return JSON.parse(reply.text) as T;
}

/** Base64 of the UTF-8 JSON of a value, as X-User-Context wants it. */
export function userContextHeader(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64");
}
