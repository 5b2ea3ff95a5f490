import { CACHE_DEFAULTS, cacheOptionSchema, cacheOptionsSchema, resolveCacheOptions } from "../../src/cache/cache-options";
import { FileCacheStore } from "../../src/cache/file-cache-store";
import { MemoryCacheStore } from "../../src/cache/memory-cache-store";

describe("cache options", () => {
  it("default to a 300 s ttl and a one-day maxAge, frozen", () => {
    expect(CACHE_DEFAULTS).toEqual({ ttl: 300, maxAge: 86_400 });
    expect(Object.isFrozen(CACHE_DEFAULTS)).toBe(true);
  });

  it("resolve to a file store in the given directory with the defaults applied", () => {
    const resolved = resolveCacheOptions({ dir: "/var/cache/app" });
    expect(resolved.store).toBeInstanceOf(FileCacheStore);
    expect((resolved.store as FileCacheStore).dir).toBe("/var/cache/app");
    expect(resolved).toMatchObject({ ttl: 300, maxAge: 86_400 });
  });

  it("resolve to the caller's own store and durations", () => {
    const store = new MemoryCacheStore();
    expect(resolveCacheOptions({ store, ttl: 0, maxAge: 60 })).toEqual({ store, ttl: 0, maxAge: 60 });
  });

  it("do not mutate the caller's object", () => {
    const options = Object.freeze({ ttl: 5 });
    resolveCacheOptions(options);
    expect(options).toEqual({ ttl: 5 });
  });

  it.each<[string, unknown]>([
    ["no cache option", undefined],
    ["false, to turn the cache off", false],
    ["empty options", {}],
    ["every option but dir", { ttl: 1.5, maxAge: 0, store: new MemoryCacheStore() }],
    ["a dir", { dir: "/tmp/x" }],
    ["a plain-object store", { store: { load: async () => undefined, save: async () => {} } }],
  ])("accept %s", (_what, value) => {
    expect(cacheOptionSchema.safeParse(value).success).toBe(true);
  });

  it("keep the caller's store object itself, class methods and all", () => {
    const store = new MemoryCacheStore();
    const parsed = cacheOptionsSchema.parse({ store });
    expect(parsed.store).toBe(store);
  });

  it.each<[string, unknown, string]>([
    ["a negative ttl", { ttl: -1 }, "ttl"],
    ["an infinite maxAge", { maxAge: Infinity }, "maxAge"],
    ["a ttl given as a string", { ttl: "300" }, "ttl"],
    ["an empty dir", { dir: "" }, "dir"],
    ["a store without save", { store: { load: async () => undefined } }, "store"],
    ["a store that is a function", { store: () => undefined }, "store"],
    ["both dir and store", { dir: "/tmp/x", store: new MemoryCacheStore() }, "dir"],
    ["an unknown key (a typo)", { tll: 60 }, ""],
  ])("reject %s, naming the option", (_what, value, path) => {
    const result = cacheOptionsSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join(".")).toBe(path);
  });

  it("reject true, which is not a cache configuration", () => {
    expect(cacheOptionSchema.safeParse(true).success).toBe(false);
  });
});
