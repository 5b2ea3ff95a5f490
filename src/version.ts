/** The SDK's version, sent as `X-SDK-Version` and in `User-Agent`. Kept equal to package.json by a test. */
export const SDK_VERSION = "0.1.0";

/** The SDK's name, sent as `X-SDK-Name`. */
export const SDK_NAME = "rollgate-node";
