// Volunteers' profiles: what they tell Roadies, who may see it (visibility, suspension,
// moderation) and their badges. The people directory is directory.server.ts.
import { and, desc, eq, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { getHide, hiddenSql } from "#app/models/moderation/hides.server.ts";
import { isEffectiveAdmin } from "#app/models/people/powers.server.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";
import { isActiveRoadie, isWorkingGroupMember } from "#app/models/people/roadies.server.ts";
import { isSuspended } from "#app/models/people/suspension.server.ts";
import type { ProfileInput } from "#app/models/people/profile.ts";
import { skillTaxonomy } from "#db/reference/skills.ts";
import { type ProfileRole, type ProfileVisibility, type SkillLevel, type User } from "#db/schema.ts";

const u = schema.users;

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
  const [row, skills] = await Promise.all([
    db().select().from(schema.volunteerProfiles).where(eq(schema.volunteerProfiles.userId, user.id)).get(),
    db()
      .select({ skillId: schema.userSkills.skillId, level: schema.userSkills.level })
      .from(schema.userSkills)
      .where(eq(schema.userSkills.userId, user.id))
      .all(),
  ]);
  return {
    timezone: user.timezone,
    availabilityHours: user.availabilityHours,
    bio: user.bio ?? "",
    rolesWanted: row?.rolesWanted ?? [],
    djangoVersions: row?.djangoVersions ?? [],
    categories: row?.categories ?? [],
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
    rolesWanted: [...new Set(input.rolesWanted)],
    djangoVersions: [...new Set(input.djangoVersions)],
    categories: [...new Set(input.categories)],
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
  // Asked side by side: one round trip (db.server.ts batches a request's reads).
  const held = await Promise.all([
    isActiveRoadie(user.id, now),
    isWorkingGroupMember(user.id, now),
    isEffectiveAdmin(user.id, now),
    isProgrammeAlumnus(user.id),
  ]);
  const badges: Badge[] = ["roadie", "working-group", "admin", "programme-alumni"];
  return badges.filter((_, i) => held[i]);
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
 * themselves and admins always see it. The viewer may still be on its way (a loader reading the
 * session and the profile side by side): nothing is answered before it is known.
 */
export async function getPublicProfile(
  login: string,
  viewerPending: Pick<User, "id" | "isAdmin"> | null | Promise<Pick<User, "id" | "isAdmin"> | null>,
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
  // Everything of the profile side by side (one round trip), then the checks, before any of it is returned.
  const [viewer, profile, suspended, hide, badges, filledCalls] = await Promise.all([
    viewerPending,
    getProfile(user),
    isSuspended(user),
    getHide("profile", user.id),
    badgesFor(user, now),
    filledCallsOf(user.id),
  ]);
  const self = viewer?.id === user.id;
  const admin = viewer?.isAdmin ?? false;
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
    badges,
    memberSince: user.createdAt,
    filledCalls,
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
    .where(and(eq(c.filledByUserId, userId), eq(c.status, "filled"), sql`NOT ${hiddenSql("call", c.id)}`))
    .orderBy(desc(c.filledAt))
    .limit(50)
    .all();
}
