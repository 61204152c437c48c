// The trust ladder: who is a roadie or working-group member now, their stints, and the guards of
// the working group's pages. One set of rules for both roles, so they cannot drift apart. Applying
// is in applications.server.ts, votes in votes.server.ts, terms in terms.server.ts, the admin role
// in admins.server.ts; what a role gives is decided in powers.server.ts.
import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { hasRoleSql, isAdminSql } from "#app/models/people/powers.server.ts";
import { requireUser } from "#app/models/people/auth.server.ts";
import type { ProposalKind, TrustRole } from "#db/schema.ts";

/** GitHub accounts younger than this cannot apply to be a roadie. */
export const MIN_GITHUB_ACCOUNT_AGE_DAYS = 90;
export const TERM_MONTHS = 6;
/** Days before a term ends when the "stay on" email goes out. */
export const RENEWAL_REMINDER_DAYS = [14, 3] as const;
export const RENEW_TOKEN_PURPOSE = "renew-term";

const m = schema.memberships;
const u = schema.users;

/** The same day of the month, `months` later (clamped to the month's last day), in UTC. */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

/** SQL: a current stint in `role` (whatever the account's suspension). */
export const activeIn = (role: TrustRole, now: number) =>
  and(eq(m.role, role), eq(m.status, "active"), gt(m.termEndsAt, now));
const notSuspended = sql`NOT EXISTS (SELECT 1 FROM account_suspensions s WHERE s.user_id = ${u.id})`;

/** Holds the role now: a current stint and not suspended (the rule lives in powers.server.ts). */
export async function hasActive(userId: number, role: TrustRole, now: number) {
  const row = await db()
    .select({ id: u.id })
    .from(u)
    .where(and(eq(u.id, userId), hasRoleSql(u.id, [role], now)))
    .get();
  return Boolean(row);
}

export const isActiveRoadie = (userId: number, now = Date.now()) => hasActive(userId, "roadie", now);
export const isWorkingGroupMember = (userId: number, now = Date.now()) => hasActive(userId, "working_group", now);

export type TrustMember = {
  userId: number;
  login: string;
  name: string | null;
  avatarUrl: string | null;
  email: string | null;
  membershipId: number;
  startedAt: number;
  termEndsAt: number;
  isAdmin: boolean;
};

function listActive(role: TrustRole, now: number): Promise<TrustMember[]> {
  return db()
    .select({
      userId: u.id,
      login: u.login,
      name: u.name,
      avatarUrl: u.avatarUrl,
      email: deliveryAddress,
      membershipId: m.id,
      startedAt: m.startedAt,
      termEndsAt: m.termEndsAt,
      isAdmin: isAdminSql(u.id, now),
    })
    .from(m)
    .innerJoin(u, eq(u.id, m.userId))
    .where(and(activeIn(role, now), notSuspended))
    .orderBy(asc(sql`lower(${u.login})`))
    .all();
}

/** Active roadies (not suspended), by login. */
export const listActiveRoadies = (now = Date.now()) => listActive("roadie", now);
/** Active working-group members (not suspended), by login: the electorate of every vote. */
export const listWorkingGroupMembers = (now = Date.now()) => listActive("working_group", now);

/** Working-group admins now: the flag, a current working-group stint, not suspended. */
export function listWorkingGroupAdmins(now = Date.now()) {
  return db()
    .select({ userId: u.id, login: u.login, name: u.name, email: deliveryAddress })
    .from(u)
    .where(isAdminSql(u.id, now))
    .orderBy(asc(sql`lower(${u.login})`))
    .all();
}

/** The votes needed to decide: a majority of active working-group members, 50% + 1. */
export const majorityOf = (activeMembers: number) => Math.floor(activeMembers / 2) + 1;

export function roleOfKind(kind: ProposalKind): TrustRole {
  return kind === "roadie_application" || kind === "roadie_removal" ? "roadie" : "working_group";
}
export const isRemoval = (kind: ProposalKind) => kind === "roadie_removal" || kind === "wg_removal";

/** The insert that starts a fresh 6-month stint. */
export function membershipStart(userId: number, role: TrustRole, now: number, proposalId: number | null = null) {
  return db()
    .insert(m)
    .values({
      userId,
      role,
      status: "active",
      startedAt: now,
      termEndsAt: addMonths(now, TERM_MONTHS),
      terms: 1,
      proposalId,
    });
}

/** Every stint a person had, newest first: shown on their profile and in the export. */
export function listMemberships(userId: number) {
  return db().select().from(m).where(eq(m.userId, userId)).orderBy(desc(m.startedAt)).all();
}

/** Users who are neither suspended nor deleted, for pickers: login lookups only. */
export function findUserIdByLogin(login: string) {
  return db()
    .select({ id: u.id })
    .from(u)
    .where(sql`lower(${u.login}) = lower(${login})`)
    .get();
}

// ---------------------------------------------------------------------------------------------
// Guards for the working group's pages

/** A working-group member or admin; everyone else gets 403 (signed-out people go to sign in). */
export async function requireWorkingGroup(request: Request, now = Date.now()) {
  const user = await requireUser(request);
  if (!user.isAdmin && !(await isWorkingGroupMember(user.id, now))) throw new Response("Forbidden", { status: 403 });
  return user;
}

/** Roadies triage nominations and shepherd transfers; the working group may too. */
export async function isRoadieOrWorkingGroup(user: { id: number; isAdmin: boolean }, now = Date.now()) {
  if (user.isAdmin) return true;
  // Both roles asked side by side: one round trip.
  const [workingGroup, roadie] = await Promise.all([isWorkingGroupMember(user.id, now), isActiveRoadie(user.id, now)]);
  return workingGroup || roadie;
}

export async function requireRoadieOrWorkingGroup(request: Request, now = Date.now()) {
  const user = await requireUser(request);
  if (await isRoadieOrWorkingGroup(user, now)) return user;
  throw new Response("Forbidden", { status: 403 });
}
