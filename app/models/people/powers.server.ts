// Where every power comes from, decided in one place. A power lasts exactly as long as its source:
// - a trust role (roadie, working-group member) needs a current stint in `memberships` and an
//   account that is not suspended;
// - admin rights need the `users.is_admin` flag AND a current working-group stint AND no
//   suspension. The flag alone grants nothing: the session's user (app/models/people/sessions.server.ts)
//   and every other check read `isAdminSql`, never the raw column, so a removal vote, a lapsed
//   term, stepping down or a suspension ends the power at once, before any job runs or any flag
//   is cleared (tests/security/powers.test.ts also fails if app/ reads the raw column elsewhere).
import { eq, getTableColumns, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { db, schema } from "#app/utils/db.server.ts";
import type { TrustRole } from "#db/schema.ts";

/** A user id: a number, or a column/expression of the surrounding query (e.g. `schema.users.id`). */
type UserId = number | SQL | SQLiteColumn;
/** Now: a time in ms, or an expression (a prepared query's `sql.placeholder("now")`). */
type Now = number | SQL;

/** SQL: the user holds `role` now (a current stint) and is not suspended. */
export function hasRoleSql(userId: UserId, roles: readonly TrustRole[], now: Now): SQL {
  return sql`(EXISTS (SELECT 1 FROM memberships pw_m WHERE pw_m.user_id = ${userId}
      AND pw_m.role IN (${sql.join(
        roles.map((r) => sql`${r}`),
        sql`, `,
      )}) AND pw_m.status = 'active' AND pw_m.term_ends_at > ${now})
    AND NOT EXISTS (SELECT 1 FROM account_suspensions pw_s WHERE pw_s.user_id = ${userId}))`;
}

/** SQL: the user is an admin now: the flag, a current working-group stint, not suspended. */
export function isAdminSql(userId: UserId, now: Now): SQL<boolean> {
  return sql<boolean>`(EXISTS (SELECT 1 FROM users pw_u WHERE pw_u.id = ${userId} AND pw_u.is_admin = 1)
    AND ${hasRoleSql(userId, ["working_group"], now)})`.mapWith((v) => Boolean(Number(v)));
}

/**
 * SQL: an expert-pool seat (`expert_pool_members` row) can take and hold requests now: admitted,
 * the person not suspended, and, for a seat taken because they were a roadie or working-group
 * member, still one.
 */
export function poolSeatActiveSql(now: Now): SQL {
  const pm = schema.expertPoolMembers;
  return sql`(${pm.status} = 'active'
    AND NOT EXISTS (SELECT 1 FROM account_suspensions pw_ps WHERE pw_ps.user_id = ${pm.userId})
    AND (${pm.viaTrustRole} = 0 OR ${hasRoleSql(pm.userId, ["roadie", "working_group"], now)}))`;
}

/**
 * The columns of a person as the app sees them (the `User` type): every column of `users` but the
 * raw flag, and `isAdmin` as derived above. Select these wherever a loaded user decides a power.
 */
export function personColumns(now: Now) {
  const { adminFlag: _flag, ...columns } = getTableColumns(schema.users);
  return { ...columns, isAdmin: isAdminSql(schema.users.id, now) };
}

async function check(condition: SQL, userId: number): Promise<boolean> {
  const row = await db()
    .select({ ok: sql<number>`${condition}` })
    .from(schema.users)
    .where(eq(schema.users.id, userId))
    .get();
  return Boolean(row?.ok);
}

export const hasRole = (userId: number, role: TrustRole, now = Date.now()) =>
  check(hasRoleSql(userId, [role], now), userId);

export const isEffectiveAdmin = (userId: number, now = Date.now()) => check(isAdminSql(userId, now), userId);

/** How many people are admins now (flag, current working-group stint, not suspended). */
export async function countEffectiveAdmins(now = Date.now()): Promise<number> {
  const row = await db()
    .select({ n: sql<number>`count(*)` })
    .from(schema.users)
    .where(isAdminSql(schema.users.id, now))
    .get();
  return Number(row?.n ?? 0);
}

/**
 * The write that goes in the same batch as the end of a stint in `role` (a removal vote, stepping
 * down, a lapse, a suspension), for the user ids `userIds` selects. Power is already derived, so
 * this only keeps the stored state honest: an admin flag does not come back by itself with a later
 * stint, and a transfer whose roadie is gone shows as needing one again. Guarded by "no longer
 * holds the role", so running it for someone who still does changes nothing.
 */
export function endOfRoleWrite(role: TrustRole, userIds: SQL, now: number) {
  if (role === "working_group") {
    return db().run(sql`UPDATE users SET is_admin = 0, updated_at = ${now}
      WHERE is_admin = 1 AND id IN (${userIds}) AND NOT ${hasRoleSql(sql`users.id`, ["working_group"], now)}`);
  }
  return db().run(sql`UPDATE transfers SET roadie_user_id = NULL, updated_at = ${now}
    WHERE status = 'in_progress' AND roadie_user_id IN (${userIds})
      AND NOT ${hasRoleSql(sql`transfers.roadie_user_id`, ["roadie"], now)}`);
}
