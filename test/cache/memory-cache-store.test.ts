import { MemoryCacheStore } from "../../src/cache/memory-cache-store";

describe("MemoryCacheStore", () => {
  it("loads undefined for a key that was never saved", async () => {
    await expect(new MemoryCacheStore().load("flags-missing")).resolves.toBeUndefined();
  });

  it("loads the last data saved under a key", async () => {
    const store = new MemoryCacheStore();
    await store.save("flags-a", "first");
    await store.save("flags-a", "second");
    await expect(store.load("flags-a")).resolves.toBe("second");
  });

  it("keeps keys apart, and stores apart", async () => {
    const store = new MemoryCacheStore();
    await store.save("flags-a", "a");
    await store.save("flags-b", "b");
    await expect(store.load("flags-a")).resolves.toBe("a");
    await expect(store.load("flags-b")).resolves.toBe("b");
    await expect(new MemoryCacheStore().load("flags-a")).resolves.toBeUndefined();
  });
});
