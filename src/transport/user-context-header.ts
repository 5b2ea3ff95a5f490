import type { RollgateUser } from "../model/rollgate-user";

/** Headers of users that cannot change (validated users are deep-frozen copies), computed once. */
const ENCODED = new WeakMap<RollgateUser, string>();

/**
 * `X-User-Context`: padded standard base64 of the UTF-8 JSON `{id, email?, attributes?}`
 * (PROTOCOL.md §1.7, §4.1). A user encoded by {@link encodeFrozenUserContext} is not encoded again.
 */
export function encodeUserContext(user: RollgateUser): string {
  return ENCODED.get(user) ?? encode(user);
}

/**
 * {@link encodeUserContext} for a deeply frozen user, remembered for the object's life: validation
 * encodes each user once (to check its size), and every request for that user reuses it.
 */
export function encodeFrozenUserContext(user: RollgateUser): string {
  const header = encode(user);
  ENCODED.set(user, header);
  return header;
}

function encode(user: RollgateUser): string {
  const context: { id: string; email?: string; attributes?: RollgateUser["attributes"] } = { id: user.id };
  if (user.email !== undefined) context.email = user.email;
  if (user.attributes !== undefined) context.attributes = user.attributes;
  return Buffer.from(JSON.stringify(context), "utf8").toString("base64");
}
