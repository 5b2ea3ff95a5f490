import { fnv1a32 } from "../../src/evaluation/fnv1a32";
import { isInRollout, rolloutBucket } from "../../src/evaluation/is-in-rollout";

// Every worked example of PROTOCOL.md §3.7: user, flag, hash, bucket, [percentage, outcome]...
const workedExamples: ReadonlyArray<
  readonly [string, string, number, number, ReadonlyArray<readonly [number, boolean]>]
> = [
  ["user-1", "feature-x", 1574708433, 33, [[33, false], [34, true]]],
  ["user-2", "feature-x", 951185192, 92, [[90, false], [93, true]]],
  ["user-2", "rollout-50", 1173217000, 0, [[1, true], [50, true]]],
  ["user-1", "rollout-50", 924778315, 15, [[50, true]]],
  ["alice", "rollout-75", 1532036875, 75, [[75, false], [76, true]]],
  ["consistent-user-123", "rollout-50", 3525353789, 89, [[50, false]]],
  ["", "rollout-50", 1004518096, 96, [[50, false], [97, true]]],
  ["user🎉emoji", "rollout-75", 840580042, 42, [[75, true]]],
  ["user-3", "rollout-25", 3741616121, 21, [[25, true]]],
];

describe("rollout bucketing", () => {
  it.each(workedExamples)("buckets %j on %j as the reference server does", (userId, flagKey, hash, bucket, outcomes) => {
    expect(fnv1a32(`${userId}:${flagKey}`)).toBe(hash);
    expect(hash % 100).toBe(bucket);
    expect(rolloutBucket(userId, flagKey)).toBe(bucket);
    for (const [percentage, inRollout] of outcomes) {
      expect([percentage, isInRollout(percentage, userId, flagKey)]).toEqual([percentage, inRollout]);
    }
  });

  it("puts alice outside a 75 % rollout: the bucket must be strictly below the percentage", () => {
    expect(isInRollout(75, "alice", "rollout-75")).toBe(false);
  });

  it.each([100, 101, 1e9])("includes everyone at %d %%", (percentage) => {
    expect(isInRollout(percentage, "consistent-user-123", "rollout-50")).toBe(true);
  });

  it.each([0, -1, -1e9])("includes nobody at %d %%, not even bucket 0", (percentage) => {
    expect(isInRollout(percentage, "user-2", "rollout-50")).toBe(false);
  });
});
