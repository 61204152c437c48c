// Finding people (/people): volunteers who chose to be found, by skill and least level, role, time
// zone (within n hours of a zone or offset, across the date line), weekly hours and "open to taking
// over a package". Only what a profile's visibility allows: public profiles for visitors, public and
// "signed-in only" ones for signed-in people; hidden, suspended and moderated profiles never.
// One round trip (the count and the page with its skills, side by side), two when a zone is asked
// (the zones in use first) or a page past the last (read again as the last).
import { and, asc, eq, gte, inArray, sql, type SQL } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { hiddenSql } from "#app/models/moderation/hides.server.ts";
import { notSuspendedSql } from "#app/models/people/suspension.server.ts";
import {
  DEFAULT_WITHIN_HOURS,
  levelsFrom,
  PEOPLE_PAGE_SIZE,
  type PeopleQueryValue,
} from "#app/models/people/directory.ts";
import { offsetDistanceMinutes, offsetMinutes, zoneOrOffsetMinutes } from "#app/utils/time.ts";
import { skillTaxonomy } from "#db/reference/skills.ts";
import type { ProfileRole, SkillLevel } from "#db/schema.ts";

const u = schema.users;
const vp = schema.volunteerProfiles;
const us = schema.userSkills;

export type ListedPerson = {
  id: number;
  login: string;
  name: string | null;
  avatarUrl: string | null;
  timezone: string | null;
  /** Minutes east of UTC now, for the zone's label and the distance from the chosen zone. */
  offset: number | null;
  availabilityHours: number | null;
  rolesWanted: ProfileRole[];
  openToTakeover: boolean;
  skills: { skillId: string; name: string; level: SkillLevel }[];
};

export type PeopleSearch = { people: ListedPerson[]; total: number; page: number; pageCount: number };

/** SQL: the profile may be listed for this viewer. */
function listedSql(viewerSignedIn: boolean): SQL {
  return and(
    inArray(vp.visibility, viewerSignedIn ? ["public", "users"] : ["public"]),
    notSuspendedSql(u.id),
    sql`NOT ${hiddenSql("profile", u.id)}`,
  )!;
}

/**
 * Which of these people's profile pages the viewer may open (a profile with no settings is public),
 * so that lists of names elsewhere (/roadies) link only to pages that answer.
 */
export async function profilesOpenTo(userIds: number[], viewerSignedIn: boolean): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const rows = await db()
    .select({ id: u.id })
    .from(u)
    .leftJoin(vp, eq(vp.userId, u.id))
    .where(
      and(
        inArray(u.id, userIds),
        sql`coalesce(${vp.visibility}, 'public') IN ${viewerSignedIn ? ["public", "users"] : ["public"]}`,
        notSuspendedSql(u.id),
        sql`NOT ${hiddenSql("profile", u.id)}`,
      ),
    )
    .all();
  return new Set(rows.map((r) => r.id));
}

/**
 * The stored zones within `hours` of the chosen zone or offset at `now`. Offsets are read per zone in
 * use (a few hundred at most), so daylight saving counts as it is today.
 */
async function zonesWithin(
  viewerSignedIn: boolean,
  chosen: string,
  hours: number,
  now: number,
): Promise<Map<string, number>> {
  const center = zoneOrOffsetMinutes(chosen, now);
  if (center === null) return new Map();
  const rows = await db()
    .selectDistinct({ zone: u.timezone })
    .from(vp)
    .innerJoin(u, eq(u.id, vp.userId))
    .where(and(listedSql(viewerSignedIn), sql`${u.timezone} IS NOT NULL`))
    .all();
  const distances = new Map<string, number>();
  for (const { zone } of rows) {
    const offset = offsetMinutes(zone, now);
    const distance = offset === null ? null : offsetDistanceMinutes(offset, center);
    if (distance !== null && distance <= hours * 60) distances.set(zone!, distance);
  }
  return distances;
}

export async function searchPeople(
  viewerSignedIn: boolean,
  q: PeopleQueryValue,
  now = Date.now(),
): Promise<PeopleSearch> {
  const zones = q.tz ? await zonesWithin(viewerSignedIn, q.tz, q.within ?? DEFAULT_WITHIN_HOURS, now) : null;
  const where = and(
    listedSql(viewerSignedIn),
    q.role ? sql`EXISTS (SELECT 1 FROM json_each(${vp.rolesWanted}) WHERE value = ${q.role})` : undefined,
    q.skill
      ? sql`EXISTS (SELECT 1 FROM ${us} WHERE ${us.userId} = ${u.id} AND ${us.skillId} = ${q.skill} AND ${inArray(
          us.level,
          levelsFrom(q.level ?? "learning"),
        )})`
      : undefined,
    zones ? (zones.size ? inArray(u.timezone, [...zones.keys()]) : sql`0`) : undefined,
    q.hours ? gte(u.availabilityHours, q.hours) : undefined,
    q.takeover ? eq(vp.openToTakeover, true) : undefined,
  );
  // The count and the page asked for side by side (one round trip); a page past the last is read
  // again as the last page.
  const pageOf = (page: number) =>
    db()
      .select({
        id: u.id,
        login: u.login,
        name: u.name,
        avatarUrl: u.avatarUrl,
        timezone: u.timezone,
        availabilityHours: u.availabilityHours,
        rolesWanted: vp.rolesWanted,
        openToTakeover: vp.openToTakeover,
        skills: sql<string>`(SELECT json_group_array(json_array(${us.skillId}, ${us.level})) FROM ${us} WHERE ${us.userId} = ${u.id})`,
      })
      .from(vp)
      .innerJoin(u, eq(u.id, vp.userId))
      .where(where)
      // Nearest first when a zone is chosen, then by login.
      .orderBy(
        ...(zones?.size
          ? [
              sql`CASE ${u.timezone} ${sql.join(
                [...zones].map(([zone, d]) => sql`WHEN ${zone} THEN ${d}`),
                sql` `,
              )} END`,
            ]
          : []),
        asc(sql`lower(${u.login})`),
      )
      .limit(PEOPLE_PAGE_SIZE)
      .offset((page - 1) * PEOPLE_PAGE_SIZE)
      .all();
  const asked = q.page ?? 1;
  const [[{ total }], askedRows] = (await Promise.all([
    db()
      .select({ total: sql<number>`count(*)` })
      .from(vp)
      .innerJoin(u, eq(u.id, vp.userId))
      .where(where)
      .all(),
    pageOf(asked),
  ])) as [[{ total: number }], Awaited<ReturnType<typeof pageOf>>];
  const pageCount = Math.max(1, Math.ceil(total / PEOPLE_PAGE_SIZE));
  const page = Math.min(asked, pageCount);
  const rows = page === asked ? askedRows : await pageOf(page);
  const order = new Map(skillTaxonomy.map((s, i) => [s.id, i] as const));
  const names = new Map(skillTaxonomy.map((s) => [s.id, s.name] as const));
  const rank = (level: SkillLevel) => ({ expert: 0, comfortable: 1, learning: 2 })[level];
  const people = rows.map((r) => ({
    ...r,
    offset: offsetMinutes(r.timezone, now),
    skills: (JSON.parse(r.skills) as [string, SkillLevel][])
      .map(([skillId, level]) => ({ skillId, name: names.get(skillId) ?? skillId, level }))
      // The skill searched for first, then the strongest, then the taxonomy's order.
      .sort(
        (a, b) =>
          Number(b.skillId === q.skill) - Number(a.skillId === q.skill) ||
          rank(a.level) - rank(b.level) ||
          (order.get(a.skillId) ?? 0) - (order.get(b.skillId) ?? 0),
      ),
  }));
  return { people, total, page, pageCount };
}
