import { REDACTED, redactSecrets } from "../../src/errors/redact-secrets";

describe("redactSecrets", () => {
  it.each<[string, string]>([
    ["Invalid API key rg_server_abc123", `Invalid API key ${REDACTED}`],
    ["key rg_client_A_b_9 rejected", `key ${REDACTED} rejected`],
    ["rg_live_xyz and rg_test_42", `${REDACTED} and ${REDACTED}`],
    ["sb_server_s3cr3t!@#", REDACTED],
    ["sb_client_abc, then text", `${REDACTED} then text`],
    ["Authorization: Bearer test-sdk-key-12345", `Authorization: Bearer ${REDACTED}`],
    ["GET /api/v1/sdk/stream?token=test-sdk-key-12345&user_id=u1", `GET /api/v1/sdk/stream?token=${REDACTED}&user_id=u1`],
    ["https://x/stream?user_id=u1&token=opaque#frag", `https://x/stream?user_id=u1&token=${REDACTED}#frag`],
  ])("redacts the credential in %p", (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it.each(["Invalid API key", "rg_other_value", "user_id=rg", "Service Unavailable"])("leaves %p unchanged", (text) => {
    expect(redactSecrets(text)).toBe(text);
  });
});
