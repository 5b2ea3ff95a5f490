export { RollgateError, type RollgateErrorCode, type RollgateErrorOptions } from "./rollgate-error";
export {
  AuthenticationError,
  CacheError,
  CircuitOpenError,
  ClientClosedError,
  NetworkError,
  PayloadError,
  RateLimitError,
  RequestError,
  RollgateConfigError,
  ServerError,
  TimeoutError,
  type PayloadIssue,
} from "./errors";
