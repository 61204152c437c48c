// The admin role: granted to and removed from working-group members by an admin (or, for the
// first one, by the operator's `npm run admin:grant`). The power itself is derived in
// powers.server.ts; this module only writes the flag, never below one admin.
import { and, eq, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { auditEntry, recordAudit } from "#app/models/moderation/audit.server.ts";
import { isAdminSql, isEffectiveAdmin } from "#app/models/people/powers.server.ts";
import { isWorkingGroupMember, membershipStart } from "#app/models/people/roadies.server.ts";

const u = schema.users;

export type AdminChangeResult =
  { ok: true } | { ok: false; reason: "not-allowed" | "not-member" | "suspended" | "last-admin"; message: string };

const adminChangeMessages = {
  "not-allowed": "Only a working-group admin can grant or remove the admin role.",
  "not-member": "Only current working-group members can be admins: invite them first.",
  suspended: "That account is suspended.",
  "last-admin": "This is the last working-group admin: make another member an admin first.",
} as const;
const refuse = (reason: keyof typeof adminChangeMessages): AdminChangeResult => ({
  ok: false,
  reason,
  message: adminChangeMessages[reason],
});

/**
 * Makes a working-group member an admin. `actorUserId` must be an admin now; null is the operator's
 * `npm run admin:grant`, the only way in without one, which also starts a working-group stint (an
 * admin is always a member: admin rights derive from the membership).
 */
export async function grantAdmin(
  userId: number,
  actorUserId: number | null,
  now = Date.now(),
): Promise<AdminChangeResult> {
  if (actorUserId !== null && !(await isEffectiveAdmin(actorUserId, now))) return refuse("not-allowed");
  const suspended = await db()
    .select({ id: schema.accountSuspensions.userId })
    .from(schema.accountSuspensions)
    .where(eq(schema.accountSuspensions.userId, userId))
    .get();
  if (suspended) return refuse("suspended");
  const member = await isWorkingGroupMember(userId, now);
  if (!member && actorUserId !== null) return refuse("not-member");
  await db().batch([
    db().update(u).set({ adminFlag: true, updatedAt: now }).where(eq(u.id, userId)),
    ...(member ? [] : [membershipStart(userId, "working_group", now)]),
    auditEntry({ actorUserId, action: "admin.grant", objectType: "user", objectId: userId }, now),
  ]);
  return { ok: true };
}

/**
 * Removes someone's admin flag. Only an admin (now) may, and never the last one: the check is
 * inside the write, so two admins removing each other at the same moment cannot both succeed.
 */
export async function revokeAdmin(userId: number, actorUserId: number, now = Date.now()): Promise<AdminChangeResult> {
  if (!(await isEffectiveAdmin(actorUserId, now))) return refuse("not-allowed");
  const updated = await db()
    .update(u)
    .set({ adminFlag: false, updatedAt: now })
    .where(
      and(
        eq(u.id, userId),
        isAdminSql(actorUserId, now),
        sql`EXISTS (SELECT 1 FROM users other WHERE other.id <> ${userId} AND ${isAdminSql(sql`other.id`, now)})`,
      ),
    )
    .returning({ id: u.id });
  if (!updated.length) return refuse((await isEffectiveAdmin(actorUserId, now)) ? "last-admin" : "not-allowed");
  await recordAudit({ actorUserId, action: "admin.revoke", objectType: "user", objectId: userId }, now);
  return { ok: true };
}
