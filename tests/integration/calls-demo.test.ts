// Demo mode's calls: about 25 of every kind and urgency, some with interests, some filled, and
// GitHub stand-in repositories that let the demo maintainers add packages and post calls.
import { expect, test } from "vitest";

process.env.DEMO_MODE = "true";
const { db, schema } = await import("#app/utils/db.server.ts");
const { seedDemo } = await import("#db/demo.ts");
const { demoRepos } = await import("#db/demo/calls.ts");
const { listCalls, mostUrgentCalls } = await import("#app/models/calls/listing.server.ts");
const { callKinds, callUrgencies } = await import("#db/schema/calls.ts");

test("the demo has lively calls and matching GitHub permissions", async () => {
  expect((await seedDemo(db())).seeded).toBe(true);
  const all = await db().select().from(schema.calls).all();
  expect(all.length).toBeGreaterThanOrEqual(24);
  expect(new Set(all.map((c) => c.kind))).toEqual(new Set(callKinds));
  expect(new Set(all.map((c) => c.urgency))).toEqual(new Set(callUrgencies));
  expect(all.some((c) => c.status === "filled")).toBe(true);
  expect((await db().select().from(schema.callInterests).all()).length).toBeGreaterThan(3);
  expect((await listCalls({})).total).toBeGreaterThanOrEqual(20);
  expect((await mostUrgentCalls(3))[0]!.urgency).toBe("critical");
  // Search works on seeded calls (the FTS triggers indexed them).
  expect((await listCalls({ q: "polymorphic" })).total).toBeGreaterThan(0);

  // Every verified demo maintainer of a package is an admin of its repository in the stand-in.
  const repos = new Map(demoRepos().map((r) => [`${r.owner}/${r.name}`.toLowerCase(), r.permissions]));
  const maintainers = await db()
    .select({ login: schema.packageMaintainers.githubLogin, repository: schema.packages.repository })
    .from(schema.packageMaintainers)
    .innerJoin(
      schema.packages,
      (await import("drizzle-orm")).eq(schema.packages.id, schema.packageMaintainers.packageId),
    )
    .all();
  const mine = maintainers.filter((m) => repos.get(m.repository!.toLowerCase())?.[m.login.toLowerCase()] === "admin");
  expect(mine.length).toBeGreaterThanOrEqual(97);
  expect(demoRepos().some((r) => r.owner === "roadies-demo")).toBe(true);
});
