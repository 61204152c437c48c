// The account export (/settings/account/export) holds what the person wrote or received in the
// newer areas too: messages (a deleted one as its trace), blocks, the inbox, guide suggestions and
// their own survey answers. Checked on the demo, where each of these exists.
import { expect, test } from "vitest";

test("the export holds the person's messages, blocks, notifications, guide suggestions and survey answers", async () => {
  const { db, schema } = await import("#app/utils/db.server.ts");
  const { seedDemo } = await import("#db/demo.ts");
  const { exportAccount } = await import("#app/models/people/account.server.ts");
  const { eq, isNotNull } = await import("drizzle-orm");
  expect(await seedDemo(db(), Date.now())).toEqual({ seeded: true });

  const countBy = <T>(rows: T[], key: (row: T) => number | null) => {
    const counts = new Map<number, number>();
    for (const row of rows) {
      const id = key(row);
      if (id !== null) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  };

  const messages = await db().select().from(schema.messages).where(isNotNull(schema.messages.authorId)).all();
  const [author, written] = [...countBy(messages, (m) => m.authorId)][0]!;
  expect((await exportAccount(author))!.messagesWritten).toHaveLength(written);

  const notifications = await db().select().from(schema.notifications).all();
  const [recipient, received] = [...countBy(notifications, (n) => n.userId)][0]!;
  const exported = (await exportAccount(recipient))!;
  expect(exported.notifications).toHaveLength(received);
  expect(exported.notifications[0]).toHaveProperty("href");

  const suggestions = await db().select().from(schema.guideSuggestions).all();
  const [proposer, proposed] = [...countBy(suggestions, (s) => s.authorUserId)][0]!;
  expect((await exportAccount(proposer))!.guideSuggestions).toHaveLength(proposed);

  const response = (await db().select().from(schema.surveyResponses).limit(1).all())[0]!;
  const answers = await db()
    .select()
    .from(schema.surveyAnswers)
    .where(eq(schema.surveyAnswers.responseId, response.id))
    .all();
  const own = (await exportAccount(response.userId))!.surveyAnswers;
  expect(own.length).toBeGreaterThanOrEqual(answers.length);
  expect(own.length).toBeGreaterThan(0);

  // A block is the blocker's: they see whom they blocked; the blocked person's export does not say.
  const [a, b] = (await db()
    .select({ id: schema.users.id, login: schema.users.login })
    .from(schema.users)
    .limit(2)
    .all())!;
  await db().insert(schema.userBlocks).values({ blockerId: a!.id, blockedId: b!.id, createdAt: Date.now() });
  expect((await exportAccount(a!.id))!.blocked.map((x) => x.login)).toEqual([b!.login]);
  expect((await exportAccount(b!.id))!.blocked).toEqual([]);
});
