import { firstLoaded, loadUndiciHttp, type UndiciHttp } from "../../src/transport/undici-http";

describe("loadUndiciHttp", () => {
  it("loads undici's agent and request modules by themselves from the installed undici", async () => {
    const http = await loadUndiciHttp();
    expect(http.loadedFrom).toBe("modules");
    expect(await loadUndiciHttp()).toBe(http);
  });

  it("creates agents that the request function sends through", async () => {
    const { createServer } = await import("node:http");
    const server = createServer((request, response) => response.end(`${request.method} ${request.url}`));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const http = await loadUndiciHttp();
    const agent = http.createAgent({ connections: 1 });
    try {
      const response = await http.request(agent, { origin: `http://127.0.0.1:${port}`, path: "/a", method: "GET", query: { b: "c d" } });
      expect(response.statusCode).toBe(200);
      expect(await response.body.text()).toBe("GET /a?b=c%20d");
    } finally {
      await agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("firstLoaded", () => {
  const unused = (): never => {
    throw new Error("unused");
  };
  const loaded = (loadedFrom: UndiciHttp["loadedFrom"]): UndiciHttp => ({ loadedFrom, createAgent: unused, request: unused });

  it("falls back to the package entry when the modules cannot be loaded (a later undici moved them)", async () => {
    const http = await firstLoaded([() => Promise.reject(new Error("Cannot find module 'undici/lib/dispatcher/agent.js'")), () => Promise.resolve(loaded("package"))]);
    expect(http.loadedFrom).toBe("package");
  });

  it("rejects with the last failure when nothing loads", async () => {
    await expect(firstLoaded([() => Promise.reject(new Error("first")), () => Promise.reject(new Error("second"))])).rejects.toThrow("second");
  });
});
