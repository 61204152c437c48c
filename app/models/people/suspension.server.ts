// Suspension: a suspended account cannot sign in, holds no power, and what it posted is hidden;
// lifting it shows again exactly what the suspension hid. Also what a moderator may name as a
// target (a call, an interest, a profile).
import { asc, eq, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { endOfRoleWrite } from "#app/models/people/powers.server.ts";
import type { HideableType } from "#db/schema.ts";

const u = schema.users;
const s = schema.accountSuspensions;

/** Whether an account is suspended. Suspended people cannot sign in and their content is hidden. */
export async function isSuspended(user: { id: number }): Promise<boolean> {
  const row = await db().select({ id: s.userId }).from(s).where(eq(s.userId, user.id)).get();
  return Boolean(row);
}

/** SQL condition "this user id is not suspended", for other areas' queries: `notSuspendedSql(users.id)`. */
export const notSuspendedSql = (userIdColumn: unknown) =>
  sql`NOT EXISTS (SELECT 1 FROM account_suspensions WHERE account_suspensions.user_id = ${userIdColumn})`;

/**
 * Suspends an account: its sessions end in the same write, so it is signed out at once. Its roles
 * already give no power while it is suspended (powers.server.ts); the same write also clears the
 * admin flag (lifting the suspension does not make anyone an admin again) and hands back the
 * transfers it shepherded.
 */
export async function suspendAccount(userId: number, reason: string, actorUserId: number, now = Date.now()) {
  await db().batch([
    db()
      .insert(s)
      .values({ userId, reason, suspendedByUserId: actorUserId, createdAt: now })
      .onConflictDoUpdate({ target: s.userId, set: { reason } }),
    db().delete(schema.sessions).where(eq(schema.sessions.userId, userId)),
    endOfRoleWrite("working_group", sql`${userId}`, now),
    endOfRoleWrite("roadie", sql`${userId}`, now),
    // Their public content goes out of sight through the same hides every listing already respects.
    db().run(sql`INSERT OR IGNORE INTO moderation_hides (object_type, object_id, reason, hidden_by_user_id, created_at)
      SELECT 'call', CAST(id AS TEXT), ${SUSPENSION_REASON}, ${actorUserId}, ${now} FROM calls WHERE posted_by_user_id = ${userId}`),
    db().run(sql`INSERT OR IGNORE INTO moderation_hides (object_type, object_id, reason, hidden_by_user_id, created_at)
      SELECT 'interest', CAST(id AS TEXT), ${SUSPENSION_REASON}, ${actorUserId}, ${now} FROM call_interests WHERE user_id = ${userId}`),
    auditEntry(
      {
        actorUserId,
        action: "account.suspend",
        objectType: "user",
        objectId: userId,
        detail: { reason: reason.slice(0, 200) },
      },
      now,
    ),
  ]);
}

/** The reason on hides made by a suspension, so lifting it shows exactly those again. */
const SUSPENSION_REASON = "Account suspended";

export async function unsuspendAccount(userId: number, actorUserId: number, now = Date.now()) {
  await db().batch([
    db().delete(s).where(eq(s.userId, userId)),
    db().run(sql`DELETE FROM moderation_hides WHERE reason = ${SUSPENSION_REASON} AND (
      (object_type = 'call' AND object_id IN (SELECT CAST(id AS TEXT) FROM calls WHERE posted_by_user_id = ${userId}))
      OR (object_type = 'interest' AND object_id IN (SELECT CAST(id AS TEXT) FROM call_interests WHERE user_id = ${userId})))`),
    auditEntry({ actorUserId, action: "account.unsuspend", objectType: "user", objectId: userId }, now),
  ]);
}

export function listSuspensions() {
  return db()
    .select({ userId: s.userId, login: u.login, reason: s.reason, createdAt: s.createdAt })
    .from(s)
    .innerJoin(u, eq(u.id, s.userId))
    .orderBy(asc(s.createdAt))
    .all();
}

/**
 * The stored id of a moderation target, or null when there is none: calls and interests by
 * number, profiles by login (stored as the user id, so a rename keeps it hidden).
 */
export async function moderationTargetExists(objectType: HideableType, target: string): Promise<string | null> {
  if (objectType === "profile") {
    const user = await db()
      .select({ id: u.id })
      .from(u)
      .where(sql`lower(${u.login}) = lower(${target})`)
      .get();
    return user ? String(user.id) : null;
  }
  if (!/^\d{1,12}$/.test(target)) return null;
  const table =
    objectType === "call" ? schema.calls : objectType === "message" ? schema.messages : schema.callInterests;
  const row = await db()
    .select({ id: table.id })
    .from(table)
    .where(eq(table.id, Number(target)))
    .get();
  return row ? String(row.id) : null;
}
