import { request, type Dispatcher } from "undici";
import type { RollgateUser } from "rollgate";

/**
 * The bare limits of the per-request rows (for-user, identify, and bench/profile): what an
 * application would do by hand with undici, and nothing else. One definition, so that every
 * figure holding rollgate to them holds it to the same work.
 */
export interface BareRequests {
  /** GET the user's v2 flags (X-User-Context + user_id, as rollgate sends), `JSON.parse`, build a `Map`. */
  getFlags(user: RollgateUser): Promise<void>;
  /** POST /identify with the user; the answer's body is discarded. */
  postIdentify(user: RollgateUser): Promise<void>;
}

export function bareRequests(options: { readonly url: string; readonly apiKey: string; readonly dispatcher: Dispatcher; readonly flags: number; readonly extraHeaders?: Record<string, string> }): BareRequests {
  const { url, dispatcher, flags } = options;
  const headers = { authorization: `Bearer ${options.apiKey}`, accept: "application/json", ...options.extraHeaders };
  return {
    async getFlags(user) {
      const response = await request(`${url}/api/v1/sdk/v2/flags`, {
        dispatcher,
        headers: { ...headers, "x-user-context": Buffer.from(JSON.stringify(user)).toString("base64") },
        query: { user_id: user.id },
      });
      const body = JSON.parse(await response.body.text()) as { flags: Record<string, unknown> };
      const map = new Map<string, unknown>();
      for (const key in body.flags) map.set(key, body.flags[key]);
      if (map.size !== flags) throw new Error("short body");
    },
    async postIdentify(user) {
      const post = await request(`${url}/api/v1/sdk/identify`, {
        method: "POST",
        dispatcher,
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ user }),
      });
      await post.body.dump();
    },
  };
}
