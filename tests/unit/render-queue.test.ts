import { createServer, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { describe, expect, test, vi } from "vitest";
import { RenderQueue } from "#app/utils/render-queue.server.ts";

function openConnections(server: Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

describe("RenderQueue", () => {
  test("runs at most `limit` at once and starts the others in arrival order", async () => {
    const queue = new RenderQueue(2);
    const started: number[] = [];
    const releases = new Map<number, () => void>();
    const turns = [1, 2, 3, 4, 5].map((n) =>
      queue.acquire().then((release) => {
        started.push(n);
        releases.set(n, release);
      }),
    );
    await Promise.all(turns.slice(0, 2));
    expect(started).toEqual([1, 2]);
    expect(queue.stats).toEqual({ running: 2, waiting: 3 });

    releases.get(2)!();
    await turns[2];
    expect(started).toEqual([1, 2, 3]);

    // A latecomer waits behind those already queued, even when a turn has just ended.
    const late = queue.acquire().then((release) => {
      started.push(6);
      return release;
    });
    releases.get(1)!();
    releases.get(3)!();
    await Promise.all([turns[3], turns[4]]);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(queue.stats).toEqual({ running: 2, waiting: 1 });

    releases.get(4)!();
    (await late)();
    releases.get(5)!();
    expect(started).toEqual([1, 2, 3, 4, 5, 6]);
    expect(queue.stats).toEqual({ running: 0, waiting: 0 });
  });

  test("ending a turn twice frees one place only", async () => {
    const queue = new RenderQueue(1);
    const first = await queue.acquire();
    first();
    first();
    const second = await queue.acquire();
    let thirdStarted = false;
    const third = queue.acquire().then((release) => {
      thirdStarted = true;
      return release;
    });
    await Promise.resolve();
    expect(thirdStarted).toBe(false);
    second();
    (await third)();
    expect(queue.stats).toEqual({ running: 0, waiting: 0 });
  });

  test("a waiter no longer wanted when its turn comes leaves the line, and the next one gets the turn", async () => {
    const queue = new RenderQueue(1);
    const first = await queue.acquire();
    let leftWanted = true;
    const left = queue.acquire(() => leftWanted);
    const next = queue.acquire(() => true);
    expect(queue.stats).toEqual({ running: 1, waiting: 2 });
    leftWanted = false;
    first();
    expect(await left).toBeUndefined();
    const release = await next;
    expect(release).toBeTypeOf("function");
    expect(queue.stats).toEqual({ running: 1, waiting: 0 });
    release!();
    expect(queue.stats).toEqual({ running: 0, waiting: 0 });
  });

  test("requests whose clients closed while waiting are never rendered, and a newcomer is answered", async () => {
    // A real server and real sockets, as after a load test stops: its clients close with their
    // requests still queued behind a render in progress.
    const queue = new RenderQueue(1);
    const rendered: string[] = [];
    let arrived = 0;
    let holdFirst: ServerResponse | undefined;
    const server = createServer((req, res) => {
      arrived += 1;
      void queue.turnFor(req, res).then((turn) => {
        if (!turn) return;
        rendered.push(req.url!);
        if (req.url === "/slow") holdFirst = res;
        else res.end("page");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const slow = fetch(`http://127.0.0.1:${port}/slow`).then((r) => r.text());
      await vi.waitFor(() => expect(holdFirst).toBeDefined());

      // Each client sends two requests on its connection (pipelined: the second's response is
      // queued behind the first's).
      const clients = 4;
      const closed = Array.from({ length: clients }, (_, i) => {
        const socket = connect(port, "127.0.0.1");
        socket.on("error", () => {});
        socket.write(
          `GET /gone-${i}-a HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /gone-${i}-b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
        );
        return socket;
      });
      await vi.waitFor(() => expect(queue.stats.waiting).toBe(2 * clients));
      // One closes the connection outright; the others only their sending side (TCP FIN).
      closed[0]!.destroy();
      for (const socket of closed.slice(1)) socket.end();
      // The server has seen them go: only the connection of the render in progress is left.
      await vi.waitFor(async () => expect(await openConnections(server)).toBe(1));

      holdFirst!.end("slow page");
      await slow;
      const answer = await fetch(`http://127.0.0.1:${port}/after`);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toBe("page");
      expect(arrived).toBe(2 * clients + 2);
      expect(rendered).toEqual(["/slow", "/after"]);
      await vi.waitFor(() => expect(queue.stats).toEqual({ running: 0, waiting: 0 }));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("refuses a limit below one", () => {
    expect(() => new RenderQueue(0)).toThrow();
  });
});
