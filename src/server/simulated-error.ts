import { STATUS_CODES } from "node:http";
import { encodeGoStruct } from "./go-json";

// Go's http.StatusText where it differs from Node's wording.
const GO_STATUS_TEXT: Readonly<Record<number, string>> = {
  413: "Request Entity Too Large",
  414: "Request URI Too Long",
  416: "Requested Range Not Satisfiable",
  418: "I'm a teapot",
};

/** Go's `http.StatusText(status)`. */
export function goStatusText(status: number): string {
  return GO_STATUS_TEXT[status] ?? STATUS_CODES[status] ?? "";
}

function errorCodeFor(status: number): string {
  switch (status) {
    case 400:
      return "ValidationError";
    case 401:
      return "AuthenticationError";
    case 403:
      return "ForbiddenError";
    case 404:
      return "NotFoundError";
    case 429:
      return "RateLimitError";
    default:
      return "ServerError";
  }
}

/**
 * The body of a simulated error, exactly as the reference server writes it (PROTOCOL.md §1.8):
 * `{"error":{"code":C,"category":"internal","message":M,"retryable":R}}`, where the message
 * defaults to the status text and `retryable` is true for 429 and every 5xx.
 *
 * @example
 * simulatedErrorBody(503); // '{"error":{"code":"ServerError","category":"internal","message":"Service Unavailable","retryable":true}}'
 */
export function simulatedErrorBody(status: number, message?: string): string {
  return encodeGoStruct({
    error: {
      code: errorCodeFor(status),
      category: "internal",
      message: message || goStatusText(status),
      retryable: status >= 500 || status === 429,
    },
  });
}
