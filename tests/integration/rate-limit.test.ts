import { expect, test } from "vitest";

const { hitRateLimit } = await import("#app/utils/rate-limit.server.ts");

const rule = { name: "test", limit: 3, windowMs: 60_000 };

test("the limit allows N hits per window, then refuses with the seconds until the window ends", async () => {
  const t0 = Date.UTC(2026, 10, 24, 12, 0, 0);
  const results = [];
  for (let i = 0; i < 4; i++) results.push(await hitRateLimit(rule, "1.2.3.4", t0 + 15_000));
  expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
  expect(results[3]!.retryAfterSeconds).toBe(45);
  // Another address has its own budget.
  expect((await hitRateLimit(rule, "5.6.7.8", t0 + 15_000)).allowed).toBe(true);
  // The next window starts afresh.
  expect((await hitRateLimit(rule, "1.2.3.4", t0 + 60_000)).allowed).toBe(true);
});

test("counts hold across concurrent hits (no lost updates)", async () => {
  const now = Date.UTC(2026, 10, 24, 13, 0, 0);
  const many = await Promise.all(Array.from({ length: 10 }, () => hitRateLimit({ ...rule, limit: 5 }, "9.9.9.9", now)));
  expect(many.filter((r) => r.allowed)).toHaveLength(5);
});
