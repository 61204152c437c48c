// The demo's conversations: thread 1 is the django-dbtemplates handover (the security suite's route
// matrix opens it), and the accepted offers of help have their threads with messages; every message is written by
// someone who is in the thread, and each member has the newest message of a thread waiting unread.
import { expect, test } from "vitest";

test("the demo has believable conversations, each message written by a member of its thread", async () => {
  const { db, schema } = await import("#app/utils/db.server.ts");
  const { seedDemo } = await import("#db/demo.ts");
  const { subjectOf } = await import("#app/models/conversations/membership.server.ts");
  const { unreadCount } = await import("#app/models/inbox/notifications.server.ts");
  expect(await seedDemo(db(), Date.now())).toEqual({ seeded: true });
  const threads = await db().select().from(schema.threads).all();
  expect(threads.find((t) => t.id === 1)?.subjectType).toBe("transfer");
  expect(threads.filter((t) => t.subjectType === "interest" && t.lastMessageAt !== null).length).toBeGreaterThanOrEqual(
    2,
  );
  // The other open subjects have their conversation from the start, still empty (as the app makes them).
  for (const thread of threads.filter((t) => t.lastMessageAt !== null)) {
    const subject = (await subjectOf(thread))!;
    const messages = await db().select().from(schema.messages).all();
    const mine = messages.filter((m) => m.threadId === thread.id);
    expect(mine.length, subject.title).toBeGreaterThanOrEqual(2);
    const members = new Set(subject.members.map((m) => m.userId));
    for (const m of mine) expect(members.has(m.authorId!), `${subject.title}: message ${m.id}`).toBe(true);
    // Someone besides the newest message's author has it unread.
    const newest = mine.at(-1)!;
    const others = [...members].filter((id) => id !== newest.authorId);
    expect((await Promise.all(others.map((id) => unreadCount(id)))).some((n) => n > 0)).toBe(true);
  }
});
