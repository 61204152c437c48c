// Demo mode's outbox: the emails the app would have sent, kept in the database instead.
import { desc, eq } from "drizzle-orm";
import { db } from "#app/utils/db.server.ts";
import { outboxEmails } from "#db/schema.ts";

export type OutboxEntry = { id: number; to: string; subject: string; createdAt: number };
export type OutboxEmail = typeof outboxEmails.$inferSelect;

/** The newest emails first. */
export async function listOutbox(limit = 200): Promise<OutboxEntry[]> {
  return db()
    .select({
      id: outboxEmails.id,
      to: outboxEmails.to,
      subject: outboxEmails.subject,
      createdAt: outboxEmails.createdAt,
    })
    .from(outboxEmails)
    .orderBy(desc(outboxEmails.createdAt), desc(outboxEmails.id))
    .limit(limit);
}

export async function getOutboxEmail(id: number): Promise<OutboxEmail | null> {
  const [row] = await db().select().from(outboxEmails).where(eq(outboxEmails.id, id));
  return row ?? null;
}
