// Volunteers: their profile, who may see it, their badges, suspension and moderation of what
// they post, and their own data (export, deletion).
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { endOfRoleWrite, isEffectiveAdmin } from "#app/models/people/powers.server.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";
import { isActiveRoadie, isWorkingGroupMember, listMemberships, parseList } from "#app/models/people/roadies.server.ts";
import { skillTaxonomy } from "#db/reference/skills.ts";
import { type HideableType, type ProfileRole, type ProfileVisibility, type SkillLevel, type User } from "#db/schema.ts";

export {
  isActiveRoadie,
  isWorkingGroupMember,
  listActiveRoadies,
  listWorkingGroupAdmins,
  listWorkingGroupMembers,
} from "#app/models/people/roadies.server.ts";

const u = schema.users;
const s = schema.accountSuspensions;

// ---------------------------------------------------------------------------------------------
// Suspension

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

// ---------------------------------------------------------------------------------------------
// Moderation: hiding a call, an interest or a profile

const h = schema.moderationHides;

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

/** The moderation note on an object, or null when it is visible. */
export function getHide(objectType: HideableType, objectId: string | number) {
  return db()
    .select()
    .from(h)
    .where(and(eq(h.objectType, objectType), eq(h.objectId, String(objectId))))
    .get();
}

/** Ids hidden by moderation, for other areas' listings: `isHiddenSql("call", calls.id)`. */
export const isHiddenSql = (objectType: HideableType, idColumn: unknown) =>
  sql`EXISTS (SELECT 1 FROM moderation_hides WHERE moderation_hides.object_type = ${objectType} AND moderation_hides.object_id = CAST(${idColumn} AS TEXT))`;

export function listHidden() {
  return db()
    .select({ objectType: h.objectType, objectId: h.objectId, reason: h.reason, createdAt: h.createdAt, by: u.login })
    .from(h)
    .leftJoin(u, eq(u.id, h.hiddenByUserId))
    .orderBy(asc(h.createdAt))
    .all();
}

// ---------------------------------------------------------------------------------------------
// Profile

export {
  levelLabels,
  profileSchema,
  roleLabels,
  visibilityLabels,
  type ProfileInput,
} from "#app/models/people/profile.ts";
import type { ProfileInput } from "#app/models/people/profile.ts";

export type ProfileData = {
  timezone: string | null;
  availabilityHours: number | null;
  bio: string;
  rolesWanted: ProfileRole[];
  djangoVersions: string[];
  categories: string[];
  openToTakeover: boolean;
  visibility: ProfileVisibility;
  skills: { skillId: string; level: SkillLevel }[];
  updatedAt: number | null;
};

export async function getProfile(
  user: Pick<User, "id" | "timezone" | "availabilityHours" | "bio">,
): Promise<ProfileData> {
  const row = await db()
    .select()
    .from(schema.volunteerProfiles)
    .where(eq(schema.volunteerProfiles.userId, user.id))
    .get();
  const skills = await db()
    .select({ skillId: schema.userSkills.skillId, level: schema.userSkills.level })
    .from(schema.userSkills)
    .where(eq(schema.userSkills.userId, user.id))
    .all();
  return {
    timezone: user.timezone,
    availabilityHours: user.availabilityHours,
    bio: user.bio ?? "",
    rolesWanted: parseList(row?.rolesWanted ?? "[]") as ProfileRole[],
    djangoVersions: parseList(row?.djangoVersions ?? "[]"),
    categories: parseList(row?.categories ?? "[]"),
    openToTakeover: row?.openToTakeover ?? false,
    visibility: row?.visibility ?? "public",
    skills,
    updatedAt: row?.updatedAt ?? null,
  };
}

/** Saves the whole profile in one batch: nothing half-written. */
export async function saveProfile(userId: number, input: ProfileInput, now = Date.now()) {
  const skills = Object.entries(input.skills).filter((e): e is [string, SkillLevel] => Boolean(e[1]));
  const values = {
    rolesWanted: JSON.stringify([...new Set(input.rolesWanted)]),
    djangoVersions: JSON.stringify([...new Set(input.djangoVersions)]),
    categories: JSON.stringify([...new Set(input.categories)]),
    openToTakeover: input.openToTakeover,
    visibility: input.visibility,
    updatedAt: now,
  };
  await db().batch([
    db()
      .update(u)
      .set({
        timezone: input.timezone,
        availabilityHours: input.availabilityHours,
        bio: input.bio || null,
        updatedAt: now,
      })
      .where(eq(u.id, userId)),
    db()
      .insert(schema.volunteerProfiles)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: schema.volunteerProfiles.userId, set: values }),
    db().delete(schema.userSkills).where(eq(schema.userSkills.userId, userId)),
    ...(skills.length
      ? [
          db()
            .insert(schema.userSkills)
            .values(skills.map(([skillId, level]) => ({ userId, skillId, level }))),
        ]
      : []),
  ]);
}

export type Badge = "roadie" | "working-group" | "admin" | "programme-alumni";

/** Badges shown next to a person: trust roles now, and past programme participation. */
export async function badgesFor(user: Pick<User, "id">, now = Date.now()): Promise<Badge[]> {
  const badges: Badge[] = [];
  if (await isActiveRoadie(user.id, now)) badges.push("roadie");
  if (await isWorkingGroupMember(user.id, now)) badges.push("working-group");
  if (await isEffectiveAdmin(user.id, now)) badges.push("admin");
  if (await isProgrammeAlumnus(user.id)) badges.push("programme-alumni");
  return badges;
}

/** Programme alumni are recorded by [programs] in program_alumni. */
async function isProgrammeAlumnus(userId: number): Promise<boolean> {
  const row = await db()
    .select({ userId: schema.programAlumni.userId })
    .from(schema.programAlumni)
    .where(eq(schema.programAlumni.userId, userId))
    .get();
  return Boolean(row);
}

export type PublicProfile = {
  login: string;
  name: string | null;
  avatarUrl: string | null;
  bioHtml: string;
  timezone: string | null;
  availabilityHours: number | null;
  rolesWanted: ProfileRole[];
  djangoVersions: string[];
  categories: string[];
  openToTakeover: boolean;
  skills: { skillId: string; name: string; level: SkillLevel }[];
  badges: Badge[];
  memberSince: number;
  filledCalls: { id: number; title: string; packageName: string | null }[];
};

/**
 * The profile as `viewer` may see it, or null (shown as 404) when they may not: hidden profiles,
 * "signed-in only" profiles for visitors, suspended accounts and moderated profiles. The person
 * themselves and admins always see it.
 */
export async function getPublicProfile(
  login: string,
  viewer: Pick<User, "id" | "isAdmin"> | null,
  now = Date.now(),
): Promise<
  (PublicProfile & { visibility: ProfileVisibility; hiddenReason: string | null; suspended: boolean }) | null
> {
  const user = await db()
    .select()
    .from(u)
    .where(sql`lower(${u.login}) = lower(${login})`)
    .get();
  if (!user) return null;
  const profile = await getProfile(user);
  const self = viewer?.id === user.id;
  const admin = viewer?.isAdmin ?? false;
  const suspended = await isSuspended(user);
  const hide = await getHide("profile", user.id);
  if (!self && !admin) {
    if (suspended || hide) return null;
    if (profile.visibility === "hidden") return null;
    if (profile.visibility === "users" && !viewer) return null;
  }
  const skillName = new Map(skillTaxonomy.map((x) => [x.id, x.name]));
  return {
    login: user.login,
    name: user.name,
    avatarUrl: user.avatarUrl,
    bioHtml: profile.bio ? renderMarkdown(profile.bio) : "",
    timezone: profile.timezone,
    availabilityHours: profile.availabilityHours,
    rolesWanted: profile.rolesWanted,
    djangoVersions: profile.djangoVersions,
    categories: profile.categories,
    openToTakeover: profile.openToTakeover,
    skills: profile.skills
      .map((x) => ({ ...x, name: skillName.get(x.skillId) ?? x.skillId }))
      .sort(
        (a, b) =>
          skillTaxonomy.findIndex((t) => t.id === a.skillId) - skillTaxonomy.findIndex((t) => t.id === b.skillId),
      ),
    badges: await badgesFor(user, now),
    memberSince: user.createdAt,
    filledCalls: await filledCallsOf(user.id),
    visibility: profile.visibility,
    hiddenReason: hide?.reason ?? null,
    suspended,
  };
}

/** Calls this person filled (from [calls]), except those hidden by moderation. */
function filledCallsOf(userId: number): Promise<PublicProfile["filledCalls"]> {
  const c = schema.calls;
  return db()
    .select({ id: c.id, title: c.title, packageName: schema.packages.name })
    .from(c)
    .innerJoin(schema.packages, eq(schema.packages.id, c.packageId))
    .where(and(eq(c.filledByUserId, userId), eq(c.status, "filled"), sql`NOT ${isHiddenSql("call", c.id)}`))
    .orderBy(desc(c.filledAt))
    .limit(50)
    .all();
}

/** A people directory: public profiles (and "signed-in only" ones for signed-in viewers). */
export async function listPeople(viewerSignedIn: boolean, { role }: { role?: ProfileRole } = {}) {
  const vp = schema.volunteerProfiles;
  const rows = await db()
    .select({
      id: u.id,
      login: u.login,
      name: u.name,
      avatarUrl: u.avatarUrl,
      availabilityHours: u.availabilityHours,
      rolesWanted: vp.rolesWanted,
    })
    .from(vp)
    .innerJoin(u, eq(u.id, vp.userId))
    .where(
      and(
        inArray(vp.visibility, viewerSignedIn ? ["public", "users"] : ["public"]),
        notSuspendedSql(u.id),
        sql`NOT ${isHiddenSql("profile", u.id)}`,
        role ? sql`EXISTS (SELECT 1 FROM json_each(${vp.rolesWanted}) WHERE value = ${role})` : undefined,
      ),
    )
    .orderBy(asc(sql`lower(${u.login})`))
    .limit(500)
    .all();
  return rows.map((r) => ({ ...r, rolesWanted: parseList(r.rolesWanted) as ProfileRole[] }));
}

// ---------------------------------------------------------------------------------------------
// The person's own data

/** Everything Roadies holds about a person, as plain JSON (no secrets: the GitHub token stays out). */
export async function exportAccount(userId: number) {
  const user = await db().select().from(u).where(eq(u.id, userId)).get();
  if (!user) return null;
  const { githubTokenEnc: _token, ...account } = user;
  void _token;
  const q = (text: ReturnType<typeof sql>) =>
    db()
      .all<Record<string, unknown>>(text)
      .catch(() => []);
  return {
    exportedAt: new Date().toISOString(),
    account,
    profile: await getProfile(user),
    memberships: await listMemberships(userId),
    // What the person wrote, and the outcome of votes about them once decided. An open proposal by
    // someone else (a removal, an invitation), its reason and its proposer stay with the voters, as
    // in the app.
    applicationsAndProposals: await q(sql`
      SELECT id, kind, status, created_at, decided_at,
        CASE WHEN proposed_by_user_id = ${userId} THEN motivation END AS motivation,
        CASE WHEN proposed_by_user_id = ${userId} THEN evidence END AS evidence
      FROM trust_proposals
      WHERE subject_user_id = ${userId} AND (proposed_by_user_id = ${userId} OR status <> 'open')`),
    votes: await q(
      sql`SELECT proposal_id, choice, comment, created_at FROM trust_votes WHERE voter_user_id = ${userId}`,
    ),
    nominations: await q(sql`SELECT * FROM nominations WHERE nominator_user_id = ${userId}`),
    maintainedPackages: await q(
      sql`SELECT p.name, pm.verified_at, pm.created_at FROM package_maintainers pm JOIN packages p ON p.id = pm.package_id WHERE pm.user_id = ${userId}`,
    ),
    calls: await q(sql`SELECT * FROM calls WHERE posted_by_user_id = ${userId}`),
    interests: await q(sql`SELECT * FROM call_interests WHERE user_id = ${userId}`),
    // A decision is the applicant's once it is sent; until then it is the organisers' (and who
    // decided stays with them).
    programApplications: await q(sql`
      SELECT id, program_id, role_id, status, project_ranking, timezone, available_from, available_to,
        CASE WHEN decision_sent_at IS NOT NULL THEN decision END AS decision,
        decision_sent_at, declined_at, submitted_at, withdrawn_at, created_at, updated_at
      FROM applications WHERE user_id = ${userId}`),
    transfers: await q(sql`SELECT * FROM transfers WHERE successor_user_id = ${userId} OR roadie_user_id = ${userId}`),
    sessions: await q(sql`SELECT user_agent, created_at, last_used_at FROM sessions WHERE user_id = ${userId}`),
    emailsSent: await q(
      sql`SELECT template, status, created_at, sent_at FROM email_deliveries WHERE user_id = ${userId}`,
    ),
  };
}

/**
 * Deletes an account: the users row goes, and with it (by foreign keys) sessions, skills, profile,
 * memberships and suspensions; votes and audit entries keep their row with the person's id
 * cleared, so votes stay counted anonymously. Calls stay with the package (see [calls]'s
 * foreign key), shown as "a former maintainer".
 */
export async function deleteAccount(userId: number, now = Date.now()) {
  await db().batch([
    auditEntry({ actorUserId: null, action: "account.delete", objectType: "user", objectId: userId }, now),
    db().delete(u).where(eq(u.id, userId)),
  ]);
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
  const table = objectType === "call" ? schema.calls : schema.callInterests;
  const row = await db()
    .select({ id: table.id })
    .from(table)
    .where(eq(table.id, Number(target)))
    .get();
  return row ? String(row.id) : null;
}
