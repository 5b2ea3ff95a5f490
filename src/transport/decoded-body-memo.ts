import type { FlagTable } from "../model/flag-table";

/**
 * The last flags body decoded, with its bytes: a response that brings back the very same bytes
 * from the same endpoint (a poll of an unchanged body; another user served the same flags) reuses
 * its decoded flags instead of parsing and validating them again: they depend on the bytes alone. The v2 endpoint sends no ETag, so without this an unchanged poll of
 * 90,000 flags blocked the event loop for ~200 ms; with it, it costs one `memcmp` of the body.
 *
 * Reusing the same flag map also tells the client, at once, that nothing changed (its diff
 * starts with `previous.flags === next.flags`). One entry is kept: the body last decoded.
 * Its bytes live outside the JS heap (a Buffer), about the size of the response.
 */
export class DecodedBodyMemo {
  #request: string | undefined;
  #bytes: Buffer | undefined;
  #flags: FlagTable | undefined;

  /** The flags decoded from `bytes` for `request`, if they are the last ones remembered. */
  recall(request: string, bytes: Buffer): FlagTable | undefined {
    if (request !== this.#request || this.#bytes === undefined || !this.#bytes.equals(bytes)) return undefined;
    return this.#flags;
  }

  /**
   * The flags last decoded, whatever their request and bytes: lent to the next decode, which
   * reuses each state equal to the one it decodes (and the keys, when they are the same). A state is
   * the same for every user who is served it, so per-request users whose flags mostly agree share
   * their states instead of allocating, freezing and keeping copies.
   */
  lastFlags(): FlagTable | undefined {
    return this.#flags;
  }

  remember(request: string, bytes: Buffer, flags: FlagTable): void {
    this.#request = request;
    this.#bytes = bytes;
    this.#flags = flags;
  }
}
