import { describe, expect, test } from "vitest";
import { RenderQueue } from "#app/utils/render-queue.server.ts";

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

  test("refuses a limit below one", () => {
    expect(() => new RenderQueue(0)).toThrow();
  });
});
