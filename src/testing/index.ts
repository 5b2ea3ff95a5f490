/**
 * rollgate/testing: flags for unit tests of the code that reads them, served in-process by the
 * local server's engine (no server, no socket, no timer).
 *
 * @example
 * import { RollgateClient } from "rollgate";
 * import { TestData } from "rollgate/testing";
 * const td = new TestData();
 * await td.update(td.flag("new-checkout").on());
 * const client = new RollgateClient({ apiKey: "test", testData: td });
 */

export { TestData, type TestFlagInput } from "./test-data";
export { TestFlag, type TestRule } from "./test-flag";

// The flag model (as in a flags file)
export type { FlagsFile } from "../server/flags-file";
export type { Condition, FlagDefinition, JsonValue, Rule, SegmentDefinition } from "../model/flag-model";
export { FlagsFileError } from "../server/flags-file-error";
