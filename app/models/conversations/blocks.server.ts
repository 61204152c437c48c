// Blocks between people: a person blocks another from their profile or from a thread. The blocked
// person cannot post into a thread the blocker is in, and the blocker is never notified of their
// messages. Blocking is private: only the blocker sees it (and the blocked person, when a post is refused).
import { and, eq, inArray } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";

const b = schema.userBlocks;

export async function blockUser(blockerId: number, blockedId: number, now = Date.now()) {
  if (blockerId === blockedId) return;
  await db().insert(b).values({ blockerId, blockedId, createdAt: now }).onConflictDoNothing().run();
}

export async function unblockUser(blockerId: number, blockedId: number) {
  await db()
    .delete(b)
    .where(and(eq(b.blockerId, blockerId), eq(b.blockedId, blockedId)))
    .run();
}

export async function hasBlocked(blockerId: number, blockedId: number): Promise<boolean> {
  const row = await db()
    .select({ at: b.createdAt })
    .from(b)
    .where(and(eq(b.blockerId, blockerId), eq(b.blockedId, blockedId)))
    .get();
  return Boolean(row);
}

/** Which of `userIds` blocked `authorId`. */
export async function blockersOf(authorId: number, userIds: number[]): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const rows = await db()
    .select({ id: b.blockerId })
    .from(b)
    .where(and(eq(b.blockedId, authorId), inArray(b.blockerId, userIds)))
    .all();
  return new Set(rows.map((r) => r.id));
}

/**
 * Everyone this person blocked (for the thread page's block buttons): few, so asked whole, beside
 * the thread's members rather than after them.
 */
export async function blockedBy(blockerId: number): Promise<Set<number>> {
  const rows = await db().select({ id: b.blockedId }).from(b).where(eq(b.blockerId, blockerId)).all();
  return new Set(rows.map((r) => r.id));
}
