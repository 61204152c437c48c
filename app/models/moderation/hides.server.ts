// Hidden by moderation: the one rule every listing uses (`hiddenSql`), and the working group's
// hiding and unhiding of a call, an interest or a profile.
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { AnyColumn } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import type { HideableType } from "#db/schema.ts";

const h = schema.moderationHides;

/**
 * SQL condition "this object is hidden by moderation", for any area's query:
 * `NOT ${hiddenSql("call", calls.id)}`. A suspension hides its account's calls and interests
 * through the same rows, so this one condition covers both.
 */
export const hiddenSql = (objectType: HideableType, id: AnyColumn | SQL | number) =>
  sql`EXISTS (SELECT 1 FROM ${h} WHERE ${h.objectType} = ${objectType} AND ${h.objectId} = CAST(${id} AS TEXT))`;

/** The moderation note on an object, or undefined when it is visible. */
export function getHide(objectType: HideableType, objectId: string | number) {
  return db()
    .select()
    .from(h)
    .where(and(eq(h.objectType, objectType), eq(h.objectId, String(objectId))))
    .get();
}

export async function hideContent(
  objectType: HideableType,
  objectId: string | number,
  reason: string,
  actorUserId: number,
  now = Date.now(),
) {
  await db().batch([
    db()
      .insert(h)
      .values({ objectType, objectId: String(objectId), reason, hiddenByUserId: actorUserId, createdAt: now })
      .onConflictDoUpdate({ target: [h.objectType, h.objectId], set: { reason } }),
    auditEntry(
      { actorUserId, action: `${objectType}.hide`, objectType, objectId, detail: { reason: reason.slice(0, 200) } },
      now,
    ),
  ]);
}

export async function unhideContent(
  objectType: HideableType,
  objectId: string | number,
  actorUserId: number,
  now = Date.now(),
) {
  await db().batch([
    db()
      .delete(h)
      .where(and(eq(h.objectType, objectType), eq(h.objectId, String(objectId)))),
    auditEntry({ actorUserId, action: `${objectType}.unhide`, objectType, objectId }, now),
  ]);
}

export function listHidden() {
  const u = schema.users;
  return db()
    .select({ objectType: h.objectType, objectId: h.objectId, reason: h.reason, createdAt: h.createdAt, by: u.login })
    .from(h)
    .leftJoin(u, eq(u.id, h.hiddenByUserId))
    .orderBy(asc(h.createdAt))
    .all();
}
