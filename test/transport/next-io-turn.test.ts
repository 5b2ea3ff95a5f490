import { once } from "node:events";
import { createServer, connect, type AddressInfo } from "node:net";
import { nextIoTurn } from "../../src/transport/next-io-turn";

describe("nextIoTurn", () => {
  it("resumes one caller per turn of the event loop, oldest first, each after what that turn already had due", async () => {
    const order: string[] = [];
    const resumed = ["a", "b", "c"].map((name) => nextIoTurn().then(() => order.push(name)));
    // Queued after the three: runs in the first turn, after a, before b.
    setImmediate(() => order.push("first turn"));
    await Promise.all(resumed);
    expect(order).toEqual(["a", "first turn", "b", "c"]);
  });

  it("reads data that arrives on a socket meanwhile before the later callers resume", async () => {
    const server = createServer((socket) => socket.end("answer"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
    await once(socket, "connect");
    const order: string[] = [];
    const read = once(socket, "data").then(() => order.push("data"));
    // The server writes as soon as the connection is accepted: the bytes are on their way while 50
    // callers wait for their turns.
    const callers = Array.from({ length: 50 }, (_, i) => nextIoTurn().then(() => order.push(`caller ${i}`)));
    await Promise.all([read, ...callers]);
    expect(order[0]).toBe("caller 0");
    expect(order.indexOf("data")).toBeLessThan(order.indexOf("caller 49"));
    socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("serves a caller who asks during another's turn in a later turn", async () => {
    const order: string[] = [];
    await nextIoTurn().then(async () => {
      order.push("a");
      setImmediate(() => order.push("queued during a's turn"));
      await nextIoTurn();
      order.push("b");
    });
    expect(order).toEqual(["a", "queued during a's turn", "b"]);
  });
});
