// The matching engine: for each person, what they could help with (open calls, mentoring projects
// in programmes open for applications, transfers waiting for a roadie) and, for maintainers, who
// could help with their open calls. Loading (SQL) is separate from ranking (pure functions), so the
// same data always gives the same result, and each source of items is one function that can be
// added or left out on its own. See docs/matching.md for the signals and weights.
import { and, eq, gt, inArray, lte, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { offsetMinutes } from "#app/utils/time.ts";
import { listActiveRoadies } from "#app/models/people/roadies.server.ts";
import { callKindLabels, type CallKind } from "#db/schema/calls.ts";
import { digestSections, type DigestSection } from "#db/schema/digest.ts";
import { utcDate } from "#app/models/digest/weeks.ts";

export type Level = "learning" | "comfortable" | "expert";
const LEVEL_VALUE: Record<Level, number> = { learning: 1, comfortable: 2, expert: 3 };

export type ItemKind = "call" | "project" | "transfer" | "volunteer" | "interest";

/** Something a volunteer could help with. */
export type Opportunity = {
  kind: "call" | "project" | "transfer";
  id: string;
  section: DigestSection;
  packageId: number;
  packageName: string;
  title: string;
  /** Path inside the app, e.g. "/calls/12". */
  path: string;
  /** The call's kind ("co-maintainer" …), when it is a call. */
  callKind: CallKind | null;
  skills: { skillId: string; level: Level }[];
  hoursPerWeek: number | null;
  djangoVersions: string[];
  urgency: "low" | "normal" | "high" | "critical";
  createdAt: number;
  updatedAt: number;
  /** Time-zone offsets (hours from UTC) of the package's maintainers on Roadies. */
  maintainerOffsets: number[];
  /** Only people with this trust status may see it in their digest. */
  requires: "roadie" | "alumni" | null;
};

export type Volunteer = {
  id: number;
  login: string;
  offsetHours: number | null;
  availabilityHours: number | null;
  skills: Map<string, Level>;
  rolesWanted: string[];
  djangoVersions: string[];
  isRoadie: boolean;
  isAlumnus: boolean;
  /** Whether maintainers may be shown this person (profile not hidden). */
  discoverable: boolean;
};

/** Per-person history that removes items: own packages, dismissed, answered, recently shown. */
export type History = {
  ownPackageIds: Set<number>;
  /** "call:12" keys the person dismissed or answered. */
  excluded: Set<string>;
  /** Item key -> when it was last shown in one of the person's previous 4 digests. */
  recentlyShown: Map<string, number>;
};

export type Match = {
  kind: ItemKind;
  id: string;
  section: DigestSection;
  packageId: number;
  packageName: string;
  title: string;
  path: string;
  /** 0..1, two decimals. */
  score: number;
  reasons: string[];
  updatedAt: number;
};

export const MAX_ITEMS = 10;
export const MAX_PER_PACKAGE = 2;
/** Below this a match is not worth an email line. */
export const MIN_SCORE = 0.35;
/** Volunteers suggested per open call of a maintainer. */
const PEOPLE_PER_CALL = 2;
/** Volunteers considered per skill of a maintainer's call before full scoring. */
const PEOPLE_CANDIDATES_PER_SKILL = 80;
/** Calls considered per skill of a volunteer before full scoring (see docs/matching.md). */
const CANDIDATES_PER_SKILL = 40;

export const WEIGHTS = {
  skills: 0.35,
  role: 0.15,
  availability: 0.15,
  django: 0.1,
  timezone: 0.1,
  urgency: 0.08,
  freshness: 0.07,
} as const;

/** Added when the item asks for a trust status the person has (a roadie for a transfer). */
const TRUST_BONUS = 0.1;

const URGENCY_VALUE = { low: 0.25, normal: 0.5, high: 0.75, critical: 1 } as const;

/** Which roles wanted (volunteer profile) fit which kinds of call. */
const ROLES_FOR_KIND: Record<CallKind, string[]> = {
  "co-maintainer": ["co-maintainer"],
  "new-maintainer": ["new-owner", "co-maintainer"],
  "triage-review": ["triager-reviewer", "co-maintainer"],
  "release-management": ["co-maintainer", "triager-reviewer"],
  "django-compat": ["co-maintainer", "triager-reviewer"],
  documentation: ["triager-reviewer", "co-maintainer", "mentee"],
  "ci-packaging": ["co-maintainer", "triager-reviewer"],
};

const ROLE_LABEL: Record<string, string> = {
  "co-maintainer": "a co-maintainer",
  "new-owner": "a new owner of a package",
  "triager-reviewer": "a triager or reviewer",
  mentor: "a mentor",
  mentee: "a mentee",
};

const DAY_MS = 24 * 60 * 60 * 1000;

export type Signal = { value: number; reason: string | null };

// ---- Signals: each returns a value in 0..1 and, when it is worth saying, a reason. ----

export function skillSignal(v: Volunteer, o: Opportunity, skillNames: Map<string, string>): Signal {
  if (o.skills.length === 0) return { value: 0.3, reason: null };
  let total = 0;
  let best: { name: string; level: Level; fit: number } | null = null;
  for (const wanted of o.skills) {
    const have = v.skills.get(wanted.skillId);
    if (!have) continue;
    const fit = Math.min(1, LEVEL_VALUE[have] / LEVEL_VALUE[wanted.level]);
    total += fit;
    const name = skillNames.get(wanted.skillId) ?? wanted.skillId;
    if (!best || fit > best.fit || (fit === best.fit && LEVEL_VALUE[have] > LEVEL_VALUE[best.level])) {
      best = { name, level: have, fit };
    }
  }
  const value = total / o.skills.length;
  if (!best) return { value: 0, reason: null };
  const what = o.kind === "project" ? "this project" : "this call";
  const levelWord = best.level === "learning" ? "learning" : best.level;
  return { value, reason: `${levelWord} in ${best.name}, which ${what} needs` };
}

export function roleSignal(v: Volunteer, o: Opportunity): Signal {
  if (o.kind === "project") {
    const fits = v.rolesWanted.includes("mentee") || v.rolesWanted.includes("mentor");
    return fits
      ? {
          value: 1,
          reason: `you said you would like to be ${ROLE_LABEL[v.rolesWanted.includes("mentee") ? "mentee" : "mentor"]}`,
        }
      : { value: v.rolesWanted.length === 0 ? 0.5 : 0.2, reason: null };
  }
  if (!o.callKind) return { value: 0.5, reason: null };
  if (v.rolesWanted.length === 0) return { value: 0.5, reason: null };
  const fitting = ROLES_FOR_KIND[o.callKind].find((r) => v.rolesWanted.includes(r));
  if (!fitting) return { value: 0.1, reason: null };
  const exact = ROLES_FOR_KIND[o.callKind][0] === fitting;
  return { value: exact ? 1 : 0.7, reason: `you said you would like to be ${ROLE_LABEL[fitting] ?? fitting}` };
}

export function availabilitySignal(v: Volunteer, o: Opportunity): Signal {
  if (o.hoursPerWeek === null || v.availabilityHours === null) return { value: 0.5, reason: null };
  const asks = `asks ${o.hoursPerWeek} ${o.hoursPerWeek === 1 ? "hour" : "hours"} a week`;
  if (v.availabilityHours >= o.hoursPerWeek) {
    return { value: 1, reason: `${asks}; you offered ${v.availabilityHours}` };
  }
  return { value: v.availabilityHours / o.hoursPerWeek, reason: null };
}

export function djangoSignal(v: Volunteer, o: Opportunity): Signal {
  if (o.djangoVersions.length === 0 || v.djangoVersions.length === 0) return { value: 0.5, reason: null };
  const shared = o.djangoVersions.filter((d) => v.djangoVersions.includes(d));
  if (shared.length === 0) return { value: 0.1, reason: null };
  return { value: 1, reason: `targets Django ${shared.join(", ")}, which you know` };
}

/** Hours between two UTC offsets, the short way round the clock. */
export function hoursApart(a: number, b: number): number {
  const d = Math.abs(a - b) % 24;
  return Math.min(d, 24 - d);
}

/** Hours from a person's UTC offset to the nearest of the maintainers' offsets. */
function nearestMaintainer(offset: number, maintainerOffsets: number[]): number {
  let nearest = 24;
  for (const m of maintainerOffsets) nearest = Math.min(nearest, hoursApart(offset, m));
  return nearest;
}

/** The fit of scoreValue and the matcher's fast path: per-person signals, trust bonus and the item's prior. */
function fitScore(
  bonus: number,
  skill: number,
  role: number,
  availability: number,
  django: number,
  timezone: number,
  prior: number,
): number {
  const score =
    bonus +
    WEIGHTS.skills * skill +
    WEIGHTS.role * role +
    WEIGHTS.availability * availability +
    WEIGHTS.django * django +
    WEIGHTS.timezone * timezone +
    prior;
  return score < MIN_SCORE ? -1 : score;
}

export function timezoneSignal(v: Volunteer, o: Opportunity): Signal {
  if (v.offsetHours === null || o.maintainerOffsets.length === 0) return { value: 0.5, reason: null };
  const nearest = nearestMaintainer(v.offsetHours, o.maintainerOffsets);
  const value = 1 - nearest / 12;
  if (nearest > 4) return { value, reason: null };
  const rounded = Math.round(nearest);
  const reason =
    rounded === 0
      ? "its maintainers are in your time zone"
      : `its maintainers are ${rounded} ${rounded === 1 ? "hour" : "hours"} from you`;
  return { value, reason };
}

export function urgencySignal(o: Opportunity): Signal {
  const value = URGENCY_VALUE[o.urgency];
  return {
    value,
    reason: o.urgency === "critical" ? "marked critical" : o.urgency === "high" ? "marked urgent" : null,
  };
}

/** Halves every two weeks after posting. */
export function freshnessSignal(o: Opportunity, now: number): Signal {
  const ageDays = Math.max(0, (now - o.createdAt) / DAY_MS);
  const value = Math.pow(0.5, ageDays / 14);
  if (ageDays < 1) return { value, reason: "posted today" };
  if (ageDays < 7) {
    const days = Math.floor(ageDays);
    return { value, reason: `posted ${days} ${days === 1 ? "day" : "days"} ago` };
  }
  return { value, reason: null };
}

export function trustSignal(v: Volunteer, o: Opportunity): Signal & { allowed: boolean } {
  if (o.requires === "roadie") {
    return { value: 1, allowed: v.isRoadie, reason: v.isRoadie ? "it needs a roadie, and you are one" : null };
  }
  if (o.requires === "alumni") {
    return {
      value: 1,
      allowed: v.isAlumnus,
      reason: v.isAlumnus ? "it asks for programme alumni, and you are one" : null,
    };
  }
  return { value: 1, allowed: true, reason: null };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Scores one opportunity for one volunteer; null when it must not be shown or is not a fit. */
export function scoreOpportunity(
  v: Volunteer,
  o: Opportunity,
  now: number,
  skillNames: Map<string, string>,
): { score: number; reasons: string[] } | null {
  const trust = trustSignal(v, o);
  if (!trust.allowed) return null;
  const skill = skillSignal(v, o, skillNames);
  const role = roleSignal(v, o);
  // Without a shared skill or a role they asked for, nothing says this person fits.
  // Trust-restricted items (transfers for roadies) are for every holder of that trust.
  if (skill.value === 0 && role.value < 0.7 && !o.requires) return null;
  const availability = availabilitySignal(v, o);
  const django = djangoSignal(v, o);
  const timezone = timezoneSignal(v, o);
  const urgency = urgencySignal(o);
  const freshness = freshnessSignal(o, now);
  const score =
    (trust.reason ? TRUST_BONUS : 0) +
    WEIGHTS.skills * skill.value +
    WEIGHTS.role * role.value +
    WEIGHTS.availability * availability.value +
    WEIGHTS.django * django.value +
    WEIGHTS.timezone * timezone.value +
    WEIGHTS.urgency * urgency.value +
    WEIGHTS.freshness * freshness.value;
  if (score < MIN_SCORE) return null;
  // Strongest signals first; at most four reasons keep an email line short.
  const reasons = [trust, skill, role, availability, django, timezone, urgency, freshness]
    .map((s) => s.reason)
    .filter((r): r is string => r !== null)
    .slice(0, 4);
  return { score: round2(Math.min(1, score)), reasons };
}

/**
 * The same score as scoreOpportunity, without building reasons: the matcher ranks hundreds of
 * candidates per person with this and explains only the few it keeps. `prior` is the
 * opportunity's urgency and freshness part (the same for everyone). -1 when not a fit.
 */
export function scoreValue(v: Volunteer, o: Opportunity, prior: number): number {
  let bonus = 0;
  if (o.requires === "roadie") {
    if (!v.isRoadie) return -1;
    bonus = TRUST_BONUS;
  } else if (o.requires === "alumni") {
    if (!v.isAlumnus) return -1;
    bonus = TRUST_BONUS;
  }
  let skill = 0.3;
  if (o.skills.length > 0) {
    let total = 0;
    for (const wanted of o.skills) {
      const have = v.skills.get(wanted.skillId);
      if (have) total += Math.min(1, LEVEL_VALUE[have] / LEVEL_VALUE[wanted.level]);
    }
    skill = total / o.skills.length;
  }
  const role = roleValue(v.rolesWanted, o.kind === "project" ? "project" : o.callKind);
  if (skill === 0 && role < 0.7 && !o.requires) return -1;
  const availability =
    o.hoursPerWeek === null || v.availabilityHours === null
      ? 0.5
      : v.availabilityHours >= o.hoursPerWeek
        ? 1
        : v.availabilityHours / o.hoursPerWeek;
  let django = 0.5;
  if (o.djangoVersions.length > 0 && v.djangoVersions.length > 0) {
    django = o.djangoVersions.some((d) => v.djangoVersions.includes(d)) ? 1 : 0.1;
  }
  const timezone =
    v.offsetHours !== null && o.maintainerOffsets.length > 0
      ? 1 - nearestMaintainer(v.offsetHours, o.maintainerOffsets) / 12
      : 0.5;
  return fitScore(bonus, skill, role, availability, django, timezone, prior);
}

/** The role signal's value (roleSignal without the reason) for a project, a kind of call, or a call without kind. */
function roleValue(rolesWanted: string[], kind: CallKind | null | "project"): number {
  if (kind === "project") {
    return rolesWanted.includes("mentee") || rolesWanted.includes("mentor") ? 1 : rolesWanted.length === 0 ? 0.5 : 0.2;
  }
  if (!kind || rolesWanted.length === 0) return 0.5;
  const fits = ROLES_FOR_KIND[kind];
  const fitting = fits.find((r) => rolesWanted.includes(r));
  return !fitting ? 0.1 : fits[0] === fitting ? 1 : 0.7;
}

export function itemKey(kind: string, id: string): string {
  return `${kind}:${id}`;
}

/** Whether an item may appear for this person at all (own packages, dismissed, answered, shown recently). */
export function isExcluded(h: History, o: { kind: string; id: string; packageId: number; updatedAt: number }): boolean {
  if (h.ownPackageIds.has(o.packageId)) return true;
  if (h.excluded.size === 0 && h.recentlyShown.size === 0) return false;
  const key = itemKey(o.kind, o.id);
  if (h.excluded.has(key)) return true;
  const shownAt = h.recentlyShown.get(key);
  return shownAt !== undefined && o.updatedAt <= shownAt;
}

/** Deterministic order: best score, then newest, then key. */
export function compareMatches(a: Match, b: Match): number {
  return b.score - a.score || b.updatedAt - a.updatedAt || itemKey(a.kind, a.id).localeCompare(itemKey(b.kind, b.id));
}

/** Applies the caps: at most 2 per package, at most 10 in all. `matches` must be in priority order. */
export function applyCaps(matches: Match[], max = MAX_ITEMS, perPackage = MAX_PER_PACKAGE): Match[] {
  const perPkg = new Map<number, number>();
  const chosen: Match[] = [];
  for (const m of matches) {
    if (chosen.length >= max) break;
    const n = perPkg.get(m.packageId) ?? 0;
    if (n >= perPackage) continue;
    perPkg.set(m.packageId, n + 1);
    chosen.push(m);
  }
  return chosen;
}

// ---- The data the engine ranks, loaded in bulk once per run. ----

/** What a maintainer's side of the digest needs about one of their open calls. */
export type MaintainerCall = Opportunity & { maintainerIds: number[] };

export type NewInterest = {
  id: number;
  callId: number;
  packageId: number;
  packageName: string;
  callTitle: string;
  volunteerLogin: string;
  volunteerId: number;
  createdAt: number;
};

export type MatchingData = {
  now: number;
  skillNames: Map<string, string>;
  volunteers: Map<number, Volunteer>;
  opportunities: Opportunity[];
  /** Open calls, with who maintains their package (for the "people for my calls" section). */
  maintainerCalls: MaintainerCall[];
  interests: NewInterest[];
  history: Map<number, History>;
  /** When each person's last digest was sent (for "new interests since the last digest"). */
  lastDigestAt: Map<number, number>;
};

const offsetCache = new Map<string, number | null>();

/** A time zone's UTC offset in hours at `now`, or null for an unknown zone. Cached per zone and UTC day. */
export function utcOffsetHours(timeZone: string | null, now: number): number | null {
  if (!timeZone) return null;
  const cacheKey = `${timeZone}@${Math.floor(now / DAY_MS)}`;
  if (offsetCache.has(cacheKey)) return offsetCache.get(cacheKey)!;
  const minutes = offsetMinutes(timeZone, now);
  const offset = minutes === null ? null : minutes / 60;
  offsetCache.set(cacheKey, offset);
  return offset;
}

function parseList(json: string | null | undefined): string[] {
  if (!json) return [];
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

function emptyHistory(): History {
  return { ownPackageIds: new Set(), excluded: new Set(), recentlyShown: new Map() };
}

function historyOf(map: Map<number, History>, userId: number): History {
  let h = map.get(userId);
  if (!h) {
    h = emptyHistory();
    map.set(userId, h);
  }
  return h;
}

/** Rows of people read per query: keeps the rows in flight small next to what is kept. */
const PEOPLE_PAGE = 5000;

/**
 * Everyone who could receive or be suggested: not suspended. Skills, profiles, trust. Read a
 * page of people at a time, one row each (skills folded into one string by SQLite), because
 * materialising every skill row as an object cost more memory at peak than the result itself.
 * Lists many people share (roles, Django versions) are one array each.
 */
async function loadVolunteers(now: number): Promise<Map<number, Volunteer>> {
  const volunteers = new Map<number, Volunteer>();
  const lists = new Map<string, string[]>();
  const shared = (json: string | null) => {
    const key = json ?? "";
    let list = lists.get(key);
    if (!list) lists.set(key, (list = parseList(json)));
    return list;
  };
  for (let after = 0; ;) {
    const rows = await db().all<{
      id: number;
      login: string;
      timezone: string | null;
      availability_hours: number | null;
      skills: string | null;
      roles_wanted: string | null;
      django_versions: string | null;
      visibility: string | null;
    }>(sql`
      SELECT u.id, u.login, u.timezone, u.availability_hours,
        (SELECT group_concat(s.skill_id || ' ' || s.level, char(30)) FROM ${schema.userSkills} s
          WHERE s.user_id = u.id) AS skills,
        p.roles_wanted, p.django_versions, p.visibility
      FROM ${schema.users} u LEFT JOIN ${schema.volunteerProfiles} p ON p.user_id = u.id
      WHERE u.id > ${after} AND u.id NOT IN (SELECT user_id FROM ${schema.accountSuspensions})
      ORDER BY u.id LIMIT ${PEOPLE_PAGE}`);
    for (const row of rows) {
      const skills = new Map<string, Level>();
      if (row.skills) {
        for (const pair of row.skills.split("\u001e")) {
          const space = pair.lastIndexOf(" ");
          skills.set(pair.slice(0, space), pair.slice(space + 1) as Level);
        }
      }
      volunteers.set(row.id, {
        id: row.id,
        login: row.login,
        offsetHours: utcOffsetHours(row.timezone, now),
        availabilityHours: row.availability_hours,
        skills,
        rolesWanted: shared(row.roles_wanted),
        djangoVersions: shared(row.django_versions),
        isRoadie: false,
        isAlumnus: false,
        discoverable: row.visibility !== "hidden",
      });
    }
    if (rows.length < PEOPLE_PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
  for (const r of await listActiveRoadies(now)) {
    const v = volunteers.get(r.userId);
    if (v) v.isRoadie = true;
  }
  const alumni = await db().selectDistinct({ userId: schema.programAlumni.userId }).from(schema.programAlumni).all();
  for (const a of alumni) {
    const v = volunteers.get(a.userId);
    if (v) v.isAlumnus = true;
  }
  return volunteers;
}

/** Maintainers' offsets and ids per package (verified or invited with an account). */
async function loadMaintainers(
  volunteers: Map<number, Volunteer>,
): Promise<{ byPackage: Map<number, number[]>; offsets: Map<number, number[]> }> {
  const rows = await db()
    .select({ packageId: schema.packageMaintainers.packageId, userId: schema.packageMaintainers.userId })
    .from(schema.packageMaintainers)
    .where(sql`${schema.packageMaintainers.userId} IS NOT NULL`)
    .all();
  const byPackage = new Map<number, number[]>();
  const offsets = new Map<number, number[]>();
  for (const r of rows) {
    const list = byPackage.get(r.packageId) ?? [];
    list.push(r.userId!);
    byPackage.set(r.packageId, list);
    const offset = volunteers.get(r.userId!)?.offsetHours;
    if (offset !== undefined && offset !== null) {
      const o = offsets.get(r.packageId) ?? [];
      o.push(offset);
      offsets.set(r.packageId, o);
    }
  }
  return { byPackage, offsets };
}

/** Source: open calls that are not expired, filled, closed or hidden. */
async function loadOpenCalls(now: number, offsets: Map<number, number[]>): Promise<Opportunity[]> {
  const c = schema.calls;
  const today = utcDate(now);
  const rows = await db()
    .select({
      id: c.id,
      packageId: c.packageId,
      packageName: schema.packages.name,
      kind: c.kind,
      title: c.title,
      hoursPerWeek: c.hoursPerWeek,
      djangoVersions: c.djangoVersions,
      urgency: c.urgency,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    })
    .from(c)
    .innerJoin(schema.packages, eq(schema.packages.id, c.packageId))
    .where(
      and(
        eq(c.status, "open"),
        sql`${c.expiresOn} >= ${today}`,
        sql`NOT EXISTS (SELECT 1 FROM ${schema.moderationHides} h WHERE h.object_type = 'call' AND h.object_id = CAST(${c.id} AS TEXT))`,
      ),
    )
    .all();
  const skills = await db()
    .select({ callId: schema.callSkills.callId, skillId: schema.callSkills.skillId, level: schema.callSkills.level })
    .from(schema.callSkills)
    .innerJoin(c, eq(c.id, schema.callSkills.callId))
    .where(eq(c.status, "open"))
    .all();
  const skillsByCall = new Map<number, { skillId: string; level: Level }[]>();
  for (const s of skills) {
    const list = skillsByCall.get(s.callId) ?? [];
    list.push({ skillId: s.skillId, level: s.level });
    skillsByCall.set(s.callId, list);
  }
  return rows.map((r) => ({
    kind: "call" as const,
    id: String(r.id),
    // Ownership transfers are listed as calls too; they read as "transfers" in the digest.
    section: r.kind === "new-maintainer" ? ("transfers" as const) : ("calls" as const),
    packageId: r.packageId,
    packageName: r.packageName,
    title: r.title,
    path: `/calls/${r.id}`,
    callKind: r.kind,
    skills: (skillsByCall.get(r.id) ?? []).sort((a, b) => a.skillId.localeCompare(b.skillId)),
    hoursPerWeek: r.hoursPerWeek,
    djangoVersions: parseList(r.djangoVersions),
    urgency: r.urgency,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    maintainerOffsets: offsets.get(r.packageId) ?? [],
    requires: null,
  }));
}

/** Source: mentoring projects in programmes whose application window is open now. */
async function loadOpenProjects(now: number, offsets: Map<number, number[]>): Promise<Opportunity[]> {
  const p = schema.mentoringProjects;
  const rows = await db()
    .select({
      id: p.id,
      packageId: p.packageId,
      packageName: schema.packages.name,
      title: p.title,
      skills: p.skills,
      programSlug: schema.programs.slug,
      programName: schema.programs.name,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    })
    .from(p)
    .innerJoin(schema.programs, eq(schema.programs.id, p.programId))
    .innerJoin(schema.packages, eq(schema.packages.id, p.packageId))
    .where(and(lte(schema.programs.opensAt, now), gt(schema.programs.closesAt, now)))
    .all();
  if (rows.length === 0) return [];
  // Projects name their skills; match them to skill ids by name.
  const allSkills = await db().select({ id: schema.skills.id, name: schema.skills.name }).from(schema.skills).all();
  const idByName = new Map(allSkills.map((s) => [s.name.toLowerCase(), s.id]));
  return rows.map((r) => ({
    kind: "project" as const,
    id: String(r.id),
    section: "programs" as const,
    packageId: r.packageId,
    packageName: r.packageName,
    title: `${r.title} (${r.programName})`,
    path: `/programs/${r.programSlug}`,
    callKind: null,
    skills: parseList(r.skills)
      .map((name) => idByName.get(name.toLowerCase()) ?? null)
      .filter((id): id is string => id !== null)
      .sort()
      .map((skillId) => ({ skillId, level: "learning" as Level })),
    hoursPerWeek: null,
    djangoVersions: [],
    urgency: "normal" as const,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    maintainerOffsets: offsets.get(r.packageId) ?? [],
    requires: null,
  }));
}

/** Source: ownership transfers in progress that no roadie has taken yet (roadies only). */
async function loadTransfersForRoadies(offsets: Map<number, number[]>): Promise<Opportunity[]> {
  const t = schema.transfers;
  const c = schema.calls;
  const rows = await db()
    .select({
      id: t.id,
      callId: c.id,
      packageId: c.packageId,
      packageName: schema.packages.name,
      title: c.title,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    })
    .from(t)
    .innerJoin(c, eq(c.id, t.callId))
    .innerJoin(schema.packages, eq(schema.packages.id, c.packageId))
    .where(and(eq(t.status, "in_progress"), sql`${t.roadieUserId} IS NULL`))
    .all();
  return rows.map((r) => ({
    kind: "transfer" as const,
    id: String(r.id),
    section: "transfers" as const,
    packageId: r.packageId,
    packageName: r.packageName,
    title: `Transfer of ${r.packageName} needs a roadie`,
    path: `/calls/${r.callId}`,
    callKind: "new-maintainer" as const,
    // A roadie's skill here is running the handover, not the package's code.
    skills: [{ skillId: "governance", level: "comfortable" as Level }],
    hoursPerWeek: null,
    djangoVersions: [],
    urgency: "high" as const,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    maintainerOffsets: offsets.get(r.packageId) ?? [],
    requires: "roadie" as const,
  }));
}

/** Interests still waiting for an answer, on open calls. */
async function loadPendingInterests(): Promise<NewInterest[]> {
  const i = schema.callInterests;
  return db()
    .select({
      id: i.id,
      callId: i.callId,
      packageId: schema.calls.packageId,
      packageName: schema.packages.name,
      callTitle: schema.calls.title,
      volunteerLogin: schema.users.login,
      volunteerId: i.userId,
      createdAt: i.createdAt,
    })
    .from(i)
    .innerJoin(schema.calls, eq(schema.calls.id, i.callId))
    .innerJoin(schema.packages, eq(schema.packages.id, schema.calls.packageId))
    .innerJoin(schema.users, eq(schema.users.id, i.userId))
    .where(and(eq(i.status, "pending"), inArray(schema.calls.status, ["open", "in_conversation"])))
    .all();
}

/** Own packages, dismissed and answered items, and the items of each person's previous 4 digests. */
async function loadHistory(
  week: string,
  byPackage: Map<number, number[]>,
): Promise<{
  history: Map<number, History>;
  lastDigestAt: Map<number, number>;
}> {
  const history = new Map<number, History>();
  for (const [packageId, ids] of byPackage) for (const id of ids) historyOf(history, id).ownPackageIds.add(packageId);
  const posted = await db()
    .select({ userId: schema.calls.postedByUserId, packageId: schema.calls.packageId })
    .from(schema.calls)
    .where(sql`${schema.calls.postedByUserId} IS NOT NULL`)
    .all();
  for (const p of posted) historyOf(history, p.userId!).ownPackageIds.add(p.packageId);
  for (const d of await db().select().from(schema.matchDismissals).all()) {
    historyOf(history, d.userId).excluded.add(itemKey(d.itemKind, d.itemId));
  }
  const answered = await db()
    .select({ userId: schema.callInterests.userId, callId: schema.callInterests.callId })
    .from(schema.callInterests)
    .all();
  for (const a of answered) historyOf(history, a.userId).excluded.add(itemKey("call", String(a.callId)));

  const shown = await db().all<{ user_id: number; items: string; shown_at: number }>(sql`
    SELECT user_id, items, COALESCE(sent_at, created_at) AS shown_at FROM (
      SELECT user_id, items, sent_at, created_at,
             ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY week DESC) AS n
      FROM ${schema.digestDeliveries}
      WHERE status = 'sent' AND week < ${week}
    ) WHERE n <= 4`);
  const lastDigestAt = new Map<number, number>();
  for (const row of shown) {
    const h = historyOf(history, row.user_id);
    lastDigestAt.set(row.user_id, Math.max(lastDigestAt.get(row.user_id) ?? 0, row.shown_at));
    let items: { kind: string; id: string }[] = [];
    try {
      items = JSON.parse(row.items) as { kind: string; id: string }[];
    } catch {
      items = [];
    }
    for (const item of items) {
      const key = itemKey(item.kind, item.id);
      h.recentlyShown.set(key, Math.max(h.recentlyShown.get(key) ?? 0, row.shown_at));
    }
  }
  return { history, lastDigestAt };
}

/** Loads everything a run ranks, in a few bulk queries. */
export async function loadMatchingData(week: string, now = Date.now()): Promise<MatchingData> {
  const skillRows = await db().select({ id: schema.skills.id, name: schema.skills.name }).from(schema.skills).all();
  const volunteers = await loadVolunteers(now);
  const { byPackage, offsets } = await loadMaintainers(volunteers);
  const [calls, projects, transfers, interests, { history, lastDigestAt }] = await Promise.all([
    loadOpenCalls(now, offsets),
    loadOpenProjects(now, offsets),
    loadTransfersForRoadies(offsets),
    loadPendingInterests(),
    loadHistory(week, byPackage),
  ]);
  const maintainerCalls: MaintainerCall[] = calls.map((c) => ({
    ...c,
    maintainerIds: byPackage.get(c.packageId) ?? [],
  }));
  return {
    now,
    skillNames: new Map(skillRows.map((s) => [s.id, s.name])),
    volunteers,
    opportunities: [...calls, ...projects, ...transfers],
    maintainerCalls,
    interests,
    history,
    lastDigestAt,
  };
}

/** The sources this engine reads, for docs and operators. */
export const wiredSources = [
  "open calls",
  "mentoring projects (open programmes)",
  "transfers waiting for a roadie",
  "interests on calls",
] as const;

// ---- Ranking ----

export type Matcher = {
  /** Everything for one person, capped, in priority order. */
  matchesFor(userId: number, sections: readonly DigestSection[]): Match[];
};

/**
 * Builds the indexes once per run: opportunities by skill, each list sorted by a
 * volunteer-independent prior (urgency and freshness), so ranking one person scores a few
 * hundred candidates instead of every open call. Scoring those candidates is the hot loop of a
 * digest run (50,000 people × ~150 candidates), so each person and item is turned once into
 * numbers (skill levels in a byte table, a role value per kind of item, Django versions as bits)
 * and `fastScore` computes exactly what `scoreValue` does from them, in the same order of
 * operations, so the ranking is the same to the last bit (tested against scoreValue).
 */
export function createMatcher(data: MatchingData): Matcher {
  const { now, skillNames } = data;
  const prior = (o: Opportunity) =>
    WEIGHTS.urgency * urgencySignal(o).value + WEIGHTS.freshness * freshnessSignal(o, now).value;

  // ---- Items: the opportunities, then the maintainers' calls (scored for the people section). ----
  const opps = data.opportunities;
  const items: Opportunity[] = [...opps, ...data.maintainerCalls];
  const I = items.length;
  const itemPrior = new Float64Array(I);
  for (let j = 0; j < I; j++) itemPrior[j] = prior(items[j]!);
  const keys = items.map((o) => itemKey(o.kind, o.id));
  const byPrior = (a: number, b: number) =>
    itemPrior[b]! - itemPrior[a]! || items[b]!.createdAt - items[a]!.createdAt || keys[a]!.localeCompare(keys[b]!);
  const bySkill = new Map<string, number[]>();
  const withoutSkills: number[] = [];
  const restricted: number[] = [];
  for (let j = 0; j < opps.length; j++) {
    const o = opps[j]!;
    if (o.requires !== null) restricted.push(j);
    if (o.skills.length === 0) withoutSkills.push(j);
    for (const s of o.skills) {
      const list = bySkill.get(s.skillId) ?? [];
      list.push(j);
      bySkill.set(s.skillId, list);
    }
  }
  for (const [skillId, list] of bySkill) bySkill.set(skillId, list.sort(byPrior).slice(0, CANDIDATES_PER_SKILL));
  const firstWithoutSkills = withoutSkills.sort(byPrior).slice(0, CANDIDATES_PER_SKILL);
  // One global order by prior, so ranking breaks ties with a number instead of a comparison.
  const rank = new Int32Array(I);
  opps
    .map((_, j) => j)
    .sort(byPrior)
    .forEach((j, position) => (rank[j] = position));

  // ---- People ----
  const people = [...data.volunteers.values()];
  const V = people.length;
  const personIndex = new Map<number, number>();
  people.forEach((v, i) => personIndex.set(v.id, i));

  // Skills and Django versions as small numbers.
  const skillNo = new Map<string, number>();
  const noOf = (skillId: string) => {
    let n = skillNo.get(skillId);
    if (n === undefined) skillNo.set(skillId, (n = skillNo.size));
    return n;
  };
  for (const o of items) for (const s of o.skills) noOf(s.skillId);
  for (const v of people) for (const skillId of v.skills.keys()) noOf(skillId);
  const S = skillNo.size;
  const versionBit = new Map<string, number>();
  const maskOf = (versions: string[]) => {
    let mask = 0;
    for (const d of versions) {
      let bit = versionBit.get(d);
      if (bit === undefined) versionBit.set(d, (bit = versionBit.size));
      mask |= 2 ** Math.min(bit, 30);
    }
    return mask;
  };
  const itemVersions = items.map((o) => maskOf(o.djangoVersions));
  const personVersions = people.map((v) => maskOf(v.djangoVersions));
  // More than 30 versions would share a bit: then compare the lists themselves.
  const versionsAsBits = versionBit.size <= 30;

  // Kinds of item, for the role signal: each call kind, a call without kind, a project.
  const roleKinds: (CallKind | null | "project")[] = [...(Object.keys(ROLES_FOR_KIND) as CallKind[]), null, "project"];
  const K = roleKinds.length;
  const kindNo = (o: Opportunity) => roleKinds.indexOf(o.kind === "project" ? "project" : o.callKind);

  const levels = new Uint8Array(V * S);
  const roleOf = new Float64Array(V * K);
  const hoursOffered = new Float64Array(V);
  const offset = new Float64Array(V);
  const trust = new Uint8Array(V); // 1 roadie, 2 alumnus
  for (let i = 0; i < V; i++) {
    const v = people[i]!;
    for (const [skillId, level] of v.skills) levels[i * S + skillNo.get(skillId)!] = LEVEL_VALUE[level];
    for (let k = 0; k < K; k++) roleOf[i * K + k] = roleValue(v.rolesWanted, roleKinds[k]!);
    hoursOffered[i] = v.availabilityHours ?? NaN;
    offset[i] = v.offsetHours ?? NaN;
    trust[i] = (v.isRoadie ? 1 : 0) | (v.isAlumnus ? 2 : 0);
  }

  const skillStart = new Int32Array(I + 1);
  const wantedSkill: number[] = [];
  const wantedLevel: number[] = [];
  const itemKind = new Int32Array(I);
  const hoursAsked = new Float64Array(I);
  const requires = new Uint8Array(I); // 1 roadie, 2 alumni
  const sectionNo = new Int32Array(I);
  for (let j = 0; j < I; j++) {
    const o = items[j]!;
    skillStart[j] = wantedSkill.length;
    for (const s of o.skills) {
      wantedSkill.push(skillNo.get(s.skillId)!);
      wantedLevel.push(LEVEL_VALUE[s.level]);
    }
    itemKind[j] = kindNo(o);
    hoursAsked[j] = o.hoursPerWeek ?? NaN;
    requires[j] = o.requires === "roadie" ? 1 : o.requires === "alumni" ? 2 : 0;
    sectionNo[j] = digestSections.indexOf(o.section);
  }
  skillStart[I] = wantedSkill.length;
  const wantedSkills = Int32Array.from(wantedSkill);
  const wantedLevels = Int32Array.from(wantedLevel);

  /** scoreValue(people[i], items[j], itemPrior[j]), from the numbers above. */
  function fastScore(i: number, j: number): number {
    let bonus = 0;
    const req = requires[j]!;
    if (req === 1) {
      if (!(trust[i]! & 1)) return -1;
      bonus = TRUST_BONUS;
    } else if (req === 2) {
      if (!(trust[i]! & 2)) return -1;
      bonus = TRUST_BONUS;
    }
    let skill = 0.3;
    const from = skillStart[j]!;
    const to = skillStart[j + 1]!;
    if (to > from) {
      let total = 0;
      const row = i * S;
      for (let k = from; k < to; k++) {
        const have = levels[row + wantedSkills[k]!]!;
        if (have) total += Math.min(1, have / wantedLevels[k]!);
      }
      skill = total / (to - from);
    }
    const role = roleOf[i * K + itemKind[j]!]!;
    if (skill === 0 && role < 0.7 && req === 0) return -1;
    const asked = hoursAsked[j]!;
    const offered = hoursOffered[i]!;
    const availability = Number.isNaN(asked) || Number.isNaN(offered) ? 0.5 : offered >= asked ? 1 : offered / asked;
    let django = 0.5;
    const o = items[j]!;
    if (o.djangoVersions.length > 0 && people[i]!.djangoVersions.length > 0) {
      const shared = versionsAsBits
        ? (itemVersions[j]! & personVersions[i]!) !== 0
        : o.djangoVersions.some((d) => people[i]!.djangoVersions.includes(d));
      django = shared ? 1 : 0.1;
    }
    const mine = offset[i]!;
    const timezone =
      !Number.isNaN(mine) && o.maintainerOffsets.length > 0
        ? 1 - nearestMaintainer(mine, o.maintainerOffsets) / 12
        : 0.5;
    return fitScore(bonus, skill, role, availability, django, timezone, itemPrior[j]!);
  }

  // Volunteers by skill, for the maintainers' side: strongest first, so a maintainer's call looks
  // at the best-placed few hundred people only.
  const volunteersBySkill = new Map<string, number[]>();
  for (let i = 0; i < V; i++) {
    if (!people[i]!.discoverable) continue;
    for (const skillId of people[i]!.skills.keys()) {
      const list = volunteersBySkill.get(skillId) ?? [];
      list.push(i);
      volunteersBySkill.set(skillId, list);
    }
  }
  for (const [skillId, list] of volunteersBySkill) {
    const s = skillNo.get(skillId)!;
    list.sort(
      (a, b) =>
        levels[b * S + s]! - levels[a * S + s]! ||
        (people[b]!.availabilityHours ?? 0) - (people[a]!.availabilityHours ?? 0) ||
        people[a]!.id - people[b]!.id,
    );
    list.length = Math.min(list.length, PEOPLE_CANDIDATES_PER_SKILL);
  }
  const callsByMaintainer = new Map<number, number[]>();
  for (let c = 0; c < data.maintainerCalls.length; c++) {
    for (const id of data.maintainerCalls[c]!.maintainerIds) {
      const list = callsByMaintainer.get(id) ?? [];
      list.push(opps.length + c);
      callsByMaintainer.set(id, list);
    }
  }
  const interestsByCall = new Map<number, Set<number>>();
  for (const i of data.interests) {
    const set = interestsByCall.get(i.callId) ?? new Set();
    set.add(i.volunteerId);
    interestsByCall.set(i.callId, set);
  }

  function toMatch(v: Volunteer, o: Opportunity): Match | null {
    const scored = scoreOpportunity(v, o, now, skillNames);
    if (!scored) return null;
    return {
      kind: o.kind,
      id: o.id,
      section: o.section,
      packageId: o.packageId,
      packageName: o.packageName,
      title: o.title,
      path: o.path,
      score: scored.score,
      reasons: scored.reasons,
      updatedAt: o.updatedAt,
    };
  }

  // Reused between people: which items are already candidates (stamped with the person's turn).
  const seenAt = new Int32Array(Math.max(I, V));
  let turn = 0;
  const candidates = new Int32Array(I);
  const scores = new Float64Array(I);

  function forVolunteer(i: number, h: History, sections: readonly DigestSection[], room: number): Match[] {
    const v = people[i]!;
    turn += 1;
    let n = 0;
    const add = (list: number[]) => {
      for (const j of list) {
        if (seenAt[j] === turn) continue;
        seenAt[j] = turn;
        candidates[n++] = j;
      }
    };
    for (const skillId of v.skills.keys()) {
      const list = bySkill.get(skillId);
      if (list) add(list);
    }
    if (v.rolesWanted.length > 0) add(firstWithoutSkills);
    if (v.isRoadie || v.isAlumnus) add(restricted);
    const wanted = digestSections.map((s) => sections.includes(s));
    const ranked: number[] = [];
    for (let c = 0; c < n; c++) {
      const j = candidates[c]!;
      if (!wanted[sectionNo[j]!] || isExcluded(h, opps[j]!)) continue;
      const score = fastScore(i, j);
      if (score >= 0) {
        scores[j] = score;
        ranked.push(j);
      }
    }
    ranked.sort((a, b) => scores[b]! - scores[a]! || rank[a]! - rank[b]!);
    // Explain only what can still make the email (the caps, with `room` for the people section).
    const perPkg = new Map<number, number>();
    const out: Match[] = [];
    for (const j of ranked) {
      if (out.length >= room) break;
      const o = opps[j]!;
      const count = perPkg.get(o.packageId) ?? 0;
      if (count >= MAX_PER_PACKAGE) continue;
      const match = toMatch(v, o);
      if (!match) continue;
      perPkg.set(o.packageId, count + 1);
      out.push(match);
    }
    return out.sort(compareMatches);
  }

  function forMaintainer(userId: number, h: History): Match[] {
    const out: Match[] = [];
    const mineIdx = callsByMaintainer.get(userId);
    if (!mineIdx) return out;
    const since = data.lastDigestAt.get(userId) ?? now - 7 * DAY_MS;
    const mine = [...mineIdx].sort((a, b) => Number(items[a]!.id) - Number(items[b]!.id));
    const mineIds = new Set(mine.map((j) => Number(items[j]!.id)));
    // New interests since the last digest come first: they wait for an answer.
    for (const i of data.interests) {
      if (!mineIds.has(i.callId) || i.createdAt <= since) continue;
      out.push({
        kind: "interest",
        id: String(i.id),
        section: "people",
        packageId: i.packageId,
        packageName: i.packageName,
        title: `@${i.volunteerLogin} is interested in “${i.callTitle}”`,
        path: `/calls/${i.callId}`,
        score: 1,
        reasons: ["new since your last digest; they are waiting for your answer"],
        updatedAt: i.createdAt,
      });
    }
    const checkHistory = h.excluded.size > 0 || h.recentlyShown.size > 0;
    // Each volunteer once per digest: under the first of the maintainer's calls (by id) they fit.
    const suggested = new Set<number>();
    for (const j of mine) {
      const call = items[j] as MaintainerCall;
      turn += 1;
      const seen: number[] = [];
      for (const s of call.skills) {
        for (const i of volunteersBySkill.get(s.skillId) ?? []) {
          if (seenAt[i] === turn) continue;
          seenAt[i] = turn;
          seen.push(i);
        }
      }
      const answered = interestsByCall.get(Number(call.id));
      // The best PEOPLE_PER_CALL by score, then id: the first of a full sort, without sorting.
      const best: { i: number; score: number }[] = [];
      const before = (a: { i: number; score: number }, score: number, i: number) =>
        a.score > score || (a.score === score && people[a.i]!.id < people[i]!.id);
      for (const i of seen) {
        const v = people[i]!;
        if (v.id === userId || suggested.has(v.id) || answered?.has(v.id) || call.maintainerIds.includes(v.id))
          continue;
        if (
          checkHistory &&
          isExcluded(h, { kind: "volunteer", id: `${v.login}@${call.id}`, packageId: -1, updatedAt: 0 })
        ) {
          continue;
        }
        const score = fastScore(i, j);
        if (score < 0) continue;
        if (best.length === PEOPLE_PER_CALL && before(best[best.length - 1]!, score, i)) continue;
        let at = best.length;
        while (at > 0 && !before(best[at - 1]!, score, i)) at -= 1;
        best.splice(at, 0, { i, score });
        if (best.length > PEOPLE_PER_CALL) best.pop();
      }
      const explained: Match[] = [];
      for (const { i } of best) {
        const v = people[i]!;
        suggested.add(v.id);
        const scored = scoreOpportunity(v, call, now, skillNames);
        if (!scored) continue;
        explained.push({
          kind: "volunteer",
          id: `${v.login}@${call.id}`,
          section: "people",
          packageId: call.packageId,
          packageName: call.packageName,
          title: `@${v.login} could help with “${call.title}”`,
          path: `/people/${v.login}`,
          score: scored.score,
          reasons: scored.reasons.map(theirReason).filter((r): r is string => r !== null),
          updatedAt: call.updatedAt,
        });
      }
      out.push(...explained.sort(compareMatches));
    }
    return out;
  }

  return {
    matchesFor(userId, sections) {
      const i = personIndex.get(userId);
      if (i === undefined) return [];
      const h = data.history.get(userId) ?? emptyHistory();
      const forCalls = sections.includes("people") ? forMaintainer(userId, h) : [];
      // People items can push some of these out of the caps: explain a few more then.
      const mine = forVolunteer(i, h, sections, forCalls.length > 0 ? MAX_ITEMS * 2 : MAX_ITEMS);
      // Interests first, then people and opportunities by score.
      const interests = forCalls.filter((m) => m.kind === "interest").sort(compareMatches);
      const rest = [...forCalls.filter((m) => m.kind !== "interest"), ...mine].sort(compareMatches);
      return applyCaps([...interests, ...rest]);
    },
  };
}

/** Reasons are written to the volunteer; on the maintainer's side they describe the volunteer. */
function theirReason(reason: string): string | null {
  // What is said about the call (urgency, age) is no news to its own maintainer.
  if (/^(posted|marked) /.test(reason)) return null;
  return reason
    .replace(/^(learning|comfortable|expert) in (.+), which this call needs$/, "$1 in $2, which your call needs")
    .replace(/^you said you would like to be /, "would like to be ")
    .replace(/; you offered (\d+)$/, "; they offered $1")
    .replace(/^targets Django (.+), which you know$/, "knows Django $1")
    .replace(/^its maintainers are in your time zone$/, "in your time zone")
    .replace(/^its maintainers are (\d+) (hours?) from you$/, "$1 $2 from you")
    .replace(/^it needs a roadie, and you are one$/, "an active roadie");
}

export function callKindLabel(kind: CallKind): string {
  return callKindLabels[kind];
}
