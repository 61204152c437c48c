// The demo's inbox: the personas find believable notifications of the demo's own events (offers of
// help, answers, votes to cast, assignments, decisions), some read and some not, each leading to a
// demo page; no confidential request's title is in any of them.
import { expect, test } from "vitest";

process.env.DEMO_MODE = "true";
const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");
const { seedDemo } = await import("#db/demo.ts");
const { listInbox, unreadCount } = await import("#app/models/inbox/notifications.server.ts");
const { isNotificationKind } = await import("#app/models/inbox/catalogue.ts");

test("the demo personas have an inbox with read and unread notifications, and no confidential title", async () => {
  expect((await seedDemo(db())).seeded).toBe(true);
  const idOf = async (login: string) =>
    (await db().select().from(schema.users).where(eq(schema.users.login, login)).get())!.id;

  const all = await db().select().from(schema.notifications).all();
  expect(all.length).toBeGreaterThan(10);
  expect(all.every((n) => isNotificationKind(n.kind) && n.href.startsWith("/"))).toBe(true);
  expect(all.some((n) => n.readAt === null)).toBe(true);
  expect(all.some((n) => n.readAt !== null)).toBe(true);
  const kinds = new Set(all.map((n) => n.kind));
  for (const kind of ["interest-new", "interest-accepted", "vote-needed", "request-assigned"])
    expect(kinds).toContain(kind);

  // The admin persona has votes to cast; every persona who maintains a package with offers hears of them.
  const ada = await idOf("ada-demo");
  expect((await listInbox(ada)).entries.some((e) => e.kind === "vote-needed")).toBe(true);
  expect(await unreadCount(ada)).toBeGreaterThan(0);

  const confidential = await db()
    .select({ title: schema.specialRequests.title })
    .from(schema.specialRequests)
    .where(eq(schema.specialRequests.confidential, true))
    .all();
  expect(confidential.length).toBeGreaterThan(0);
  for (const { title } of confidential) expect(all.filter((n) => n.title.includes(title))).toEqual([]);
});
