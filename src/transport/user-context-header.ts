import type { RollgateUser } from "../client/rollgate-user";

/**
 * `X-User-Context`: padded standard base64 of the UTF-8 JSON `{id, email?, attributes?}`
 * (PROTOCOL.md §1.7, §4.1).
 */
export function encodeUserContext(user: RollgateUser): string {
  const context: { id: string; email?: string; attributes?: RollgateUser["attributes"] } = { id: user.id };
  if (user.email !== undefined) context.email = user.email;
  if (user.attributes !== undefined) context.attributes = user.attributes;
  return Buffer.from(JSON.stringify(context), "utf8").toString("base64");
}
