// The demo data of the special-requests area: pools with members, requests of several kinds, one
// confidential security report that stays out of the public list.
import { expect, test } from "vitest";

test("the demo seeds pools and requests, and the confidential one is not public", async () => {
  const { db, schema } = await import("#app/utils/db.server.ts");
  const { seedDemo } = await import("#db/demo.ts");
  const { listPublicRequests } = await import("#app/models/requests/requests.server.ts");
  const { sweepRequests } = await import("#app/models/requests/routing.server.ts");
  const now = Date.parse("2026-05-01T09:00:00Z");
  expect(await seedDemo(db(), now)).toEqual({ seeded: true });
  const all = await db().select().from(schema.specialRequests).all();
  expect(new Set(all.map((r) => r.kind))).toEqual(new Set(["security", "funding", "transfer", "infrastructure"]));
  const confidential = all.filter((r) => r.confidential);
  expect(confidential.map((r) => r.kind)).toEqual(["security"]);
  const members = await db().select().from(schema.expertPoolMembers).all();
  expect(members.filter((m) => m.kind === "security" && m.status === "active")).toHaveLength(2);
  expect(members.some((m) => m.status === "pending")).toBe(true);
  const open = await listPublicRequests();
  expect(open.length).toBeGreaterThan(0);
  expect(open.some((r) => r.id === confidential[0]!.id)).toBe(false);
  // Nothing in the demo is overdue: the sweeper leaves it alone.
  expect(await sweepRequests(now)).toEqual({ reassigned: 0, assigned: 0 });
});
