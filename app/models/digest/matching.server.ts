// The data the matching engine ranks, loaded in bulk once per run: people, open calls, mentoring
// projects, transfers waiting for a roadie, pending interests and each person's history. Each
// source of items is one function that can be added or left out on its own.
import { and, eq, gt, inArray, lte, sql, type SQL } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { offsetMinutes } from "#app/utils/time.ts";
import { DAY_MS } from "#app/utils/dates.ts";
// The rules themselves, from modules that hold little else: this module is all a matching run
// imports besides the engine, so it stays clear of the pages' models (auth, email, markdown).
import { hasRoleSql } from "#app/models/people/powers.server.ts";
import { listedCallSql } from "#app/models/calls/listed.server.ts";
import {
  emptyHistory,
  type History,
  type Level,
  type MaintainerCall,
  type MatchingData,
  type NewInterest,
  type Opportunity,
  type Volunteer,
} from "#app/models/digest/matching-rules.ts";
import { itemKey } from "#app/models/digest/matching-order.ts";
import type { CallKind, CallUrgency } from "#db/schema.ts";

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

function historyOf(map: Map<number, History>, userId: number): History {
  let h = map.get(userId);
  if (!h) {
    h = emptyHistory();
    map.set(userId, h);
  }
  return h;
}

/**
 * Rows read per query: keeps the rows in flight small next to what is kept, and each answer well
 * under a libSQL server's 10 MB response limit.
 */
const PAGE = 5000;

/**
 * The rows of `select` (its first column `id`; `select(after)` gives the rows above `after`, by id,
 * at most PAGE) read a page at a time, each page folded by SQLite into one JSON array of row arrays,
 * columns in `columns`' order. One value per page crosses the driver instead of one per column and
 * row: the driver makes an object per row with a property per column, which cost more than SQLite's
 * own work and most of loading's garbage.
 */
async function* jsonRows(columns: string[], select: (after: number) => SQL): AsyncGenerator<unknown[]> {
  const row = sql.raw(`json_array(${columns.join(", ")})`);
  for (let after = 0; ;) {
    const [page] = await db().all<{ rows: string; last: number | null; n: number }>(
      sql`SELECT json_group_array(${row} ORDER BY id) AS rows, max(id) AS last, count(*) AS n FROM (${select(after)})`,
    );
    yield* JSON.parse(page!.rows) as unknown[][];
    if (page!.n < PAGE) return;
    after = page!.last!;
  }
}

const LEVELS: Record<string, Level> = { learning: "learning", comfortable: "comfortable", expert: "expert" };

/**
 * Skills folded by SQLite (`id level` pairs joined by char(30)) into (skill, level) pairs. The skill
 * ids are interned through `ids`: every person holding "testing" then shares one string, instead of
 * a slice that keeps its whole row's text alive (with the levels, about 20 MB at 50,000 people).
 */
function unfoldSkills(folded: string | null, ids: Map<string, string>, each: (skillId: string, level: Level) => void) {
  if (!folded) return;
  for (const pair of folded.split("\u001e")) {
    const space = pair.lastIndexOf(" ");
    const raw = pair.slice(0, space);
    let id = ids.get(raw);
    if (id === undefined) ids.set((id = raw), id);
    const level = pair.slice(space + 1);
    each(id, LEVELS[level] ?? (level as Level));
  }
}

/**
 * Everyone's skills, end to end, as numbers: a person's are `size` entries from `start`, each a
 * skill (its index in `skillIds`) and a level (its index in `levels`).
 */
class SkillPool {
  readonly skillIds: string[] = [];
  readonly levels: Level[] = ["learning", "comfortable", "expert"];
  private readonly numbers = new Map<string, number>();
  skill = new Int32Array(1 << 16);
  level = new Uint8Array(1 << 16);
  length = 0;

  /**
   * Appends the skills SQLite folded (as unfoldSkills reads them), numbering each skill id once: a
   * known id is one lookup, a new one is interned through `ids`. Only the id and the level are cut
   * out of the text (no array or pair string per skill).
   */
  pushFolded(folded: string | null, ids: Map<string, string>) {
    if (!folded) return;
    for (let from = 0; from < folded.length;) {
      let end = folded.indexOf("\u001e", from);
      if (end < 0) end = folded.length;
      const space = folded.lastIndexOf(" ", end - 1);
      const raw = folded.slice(from, space);
      let n = this.numbers.get(raw);
      if (n === undefined) {
        let id = ids.get(raw);
        if (id === undefined) ids.set((id = raw), id);
        this.numbers.set(id, (n = this.skillIds.push(id) - 1));
      }
      this.append(n, folded.slice(space + 1, end) as Level);
      from = end + 1;
    }
  }

  private append(n: number, level: Level) {
    let l = this.levels.indexOf(level);
    if (l < 0) l = this.levels.push(level) - 1;
    if (this.length === this.skill.length) {
      const skill = new Int32Array(this.length * 2);
      const levels = new Uint8Array(this.length * 2);
      skill.set(this.skill);
      levels.set(this.level);
      [this.skill, this.level] = [skill, levels];
    }
    this.skill[this.length] = n;
    this.level[this.length++] = l;
  }
}

/**
 * One person's skills as a read-only map over the run's shared pool. A `Map` per person cost about
 * 200 bytes each (10.6 of the 33 MB loaded at 50,000 people); this is one small object. A person
 * lists a handful of skills, so a lookup scans them.
 */
class PooledSkills implements ReadonlyMap<string, Level> {
  constructor(
    private readonly pool: SkillPool,
    private readonly start: number,
    readonly size: number,
  ) {}

  get(skillId: string): Level | undefined {
    const { skillIds, levels, skill, level } = this.pool;
    for (let k = this.start, end = this.start + this.size; k < end; k++) {
      if (skillIds[skill[k]!] === skillId) return levels[level[k]!];
    }
    return undefined;
  }

  has(skillId: string): boolean {
    return this.get(skillId) !== undefined;
  }

  *entries(): MapIterator<[string, Level]> {
    const { skillIds, levels, skill, level } = this.pool;
    for (let k = this.start, end = this.start + this.size; k < end; k++) {
      yield [skillIds[skill[k]!]!, levels[level[k]!]!];
    }
  }

  *keys(): MapIterator<string> {
    for (const [skillId] of this.entries()) yield skillId;
  }

  *values(): MapIterator<Level> {
    for (const [, level] of this.entries()) yield level;
  }

  forEach(each: (level: Level, skillId: string, map: ReadonlyMap<string, Level>) => void): void {
    // A plain loop (prepare reads everyone's skills this way): no iterator or pair per skill.
    const { skillIds, levels, skill, level } = this.pool;
    for (let k = this.start, end = this.start + this.size; k < end; k++)
      each(levels[level[k]!]!, skillIds[skill[k]!]!, this);
  }

  [Symbol.iterator](): MapIterator<[string, Level]> {
    return this.entries();
  }
}

/**
 * Everyone who could receive or be suggested: not suspended. Skills, profiles, trust (an active
 * roadie by the rule of powers.server.ts, a programme alumnus). Read a
 * page of people at a time, one row each (skills folded into one string by SQLite), because
 * materialising every skill row as an object cost more memory at peak than the result itself.
 * Lists many people share (roles, Django versions) are one array each.
 */
async function loadVolunteers(now: number, skillIds: Map<string, string>): Promise<Map<number, Volunteer>> {
  const volunteers = new Map<number, Volunteer>();
  const lists = new Map<string, string[]>();
  const shared = (json: string | null) => {
    const key = json ?? "";
    let list = lists.get(key);
    if (!list) lists.set(key, (list = parseList(json)));
    return list;
  };
  const offsets = new Map<string | null, number | null>();
  const offsetOf = (timeZone: string | null) => {
    let offset = offsets.get(timeZone);
    if (offset === undefined) offsets.set(timeZone, (offset = utcOffsetHours(timeZone, now)));
    return offset;
  };
  const rows = jsonRows(
    [
      "id",
      "login",
      "timezone",
      "availability_hours",
      "skills",
      "roles_wanted",
      "django_versions",
      "discoverable",
      "is_roadie",
      "is_alumnus",
    ],
    (after) => sql`
      SELECT u.id, u.login, u.timezone, u.availability_hours,
        (SELECT group_concat(s.skill_id || ' ' || s.level, char(30)) FROM ${schema.userSkills} s
          WHERE s.user_id = u.id) AS skills,
        p.roles_wanted, p.django_versions, IFNULL(p.visibility, '') <> 'hidden' AS discoverable,
        ${hasRoleSql(sql`u.id`, ["roadie"], now)} AS is_roadie,
        EXISTS (SELECT 1 FROM ${schema.programAlumni} a WHERE a.user_id = u.id) AS is_alumnus
      FROM ${schema.users} u LEFT JOIN ${schema.volunteerProfiles} p ON p.user_id = u.id
      WHERE u.id > ${after} AND u.id NOT IN (SELECT user_id FROM ${schema.accountSuspensions})
      ORDER BY u.id LIMIT ${PAGE}`,
  );
  const pool = new SkillPool();
  for await (const row of rows) {
    const [id, login, timezone, availabilityHours, folded, rolesWanted, djangoVersions, discoverable, roadie, alumnus] =
      row as [
        number,
        string,
        string | null,
        number | null,
        string | null,
        string | null,
        string | null,
        number,
        number,
        number,
      ];
    const start = pool.length;
    pool.pushFolded(folded, skillIds);
    volunteers.set(id, {
      id,
      login,
      offsetHours: offsetOf(timezone),
      availabilityHours,
      skills: new PooledSkills(pool, start, pool.length - start),
      rolesWanted: shared(rolesWanted),
      djangoVersions: shared(djangoVersions),
      isRoadie: roadie === 1,
      isAlumnus: alumnus === 1,
      discoverable: discoverable === 1,
    });
  }
  return volunteers;
}

/** Maintainers' offsets and ids per package (verified or invited with an account). */
async function loadMaintainers(
  volunteers: Map<number, Volunteer>,
): Promise<{ byPackage: Map<number, number[]>; offsets: Map<number, number[]> }> {
  const m = schema.packageMaintainers;
  const byPackage = new Map<number, number[]>();
  const offsets = new Map<number, number[]>();
  const rows = jsonRows(
    ["id", "package_id", "user_id"],
    (after) => sql`SELECT ${m.id}, ${m.packageId}, ${m.userId} FROM ${m}
      WHERE ${m.userId} IS NOT NULL AND ${m.id} > ${after} ORDER BY ${m.id} LIMIT ${PAGE}`,
  );
  for await (const row of rows) {
    const [, packageId, userId] = row as [number, number, number];
    const list = byPackage.get(packageId) ?? [];
    list.push(userId);
    byPackage.set(packageId, list);
    const offset = volunteers.get(userId)?.offsetHours;
    if (offset !== undefined && offset !== null) {
      const o = offsets.get(packageId) ?? [];
      o.push(offset);
      offsets.set(packageId, o);
    }
  }
  return { byPackage, offsets };
}

/**
 * Source: open calls that are not expired, filled, closed or hidden. Each is also its maintainers'
 * call (the people section), with their ids: one object serves both lists.
 */
async function loadOpenCalls(
  now: number,
  { byPackage, offsets }: { byPackage: Map<number, number[]>; offsets: Map<number, number[]> },
  skillIds: Map<string, string>,
): Promise<MaintainerCall[]> {
  const c = schema.calls;
  const calls: MaintainerCall[] = [];
  // Many calls ask the same (skill, level) pairs and the same Django versions: one object each.
  const entries = new Map<string, { skillId: string; level: Level }>();
  const skillEntry = (skillId: string, level: Level) => {
    const key = `${skillId} ${level}`;
    let entry = entries.get(key);
    if (!entry) entries.set(key, (entry = { skillId, level }));
    return entry;
  };
  const lists = new Map<string, string[]>();
  const versionLists = (json: string) => {
    let list = lists.get(json);
    if (!list) lists.set(json, (list = JSON.parse(json) as string[]));
    return list;
  };
  const rows = jsonRows(
    [
      "id",
      "package_id",
      "package_name",
      "kind",
      "title",
      "hours_per_week",
      "django_versions",
      "urgency",
      "mentoring",
      "created_at",
      "updated_at",
      "skills",
    ],
    (after) => sql`
      SELECT ${c.id}, ${c.packageId}, ${schema.packages.name} AS package_name, ${c.kind}, ${c.title},
        ${c.hoursPerWeek}, ${c.djangoVersions}, ${c.urgency}, ${c.mentoring}, ${c.createdAt}, ${c.updatedAt},
        -- Folded into one string by SQLite, as people's skills are.
        (SELECT group_concat(s.skill_id || ' ' || s.level, char(30)) FROM ${schema.callSkills} s
          WHERE s.call_id = ${c.id}) AS skills
      FROM ${c} JOIN ${schema.packages} ON ${schema.packages.id} = ${c.packageId}
      WHERE ${listedCallSql(now)} AND ${c.id} > ${after} ORDER BY ${c.id} LIMIT ${PAGE}`,
  );
  for await (const row of rows) {
    const [
      id,
      packageId,
      packageName,
      kind,
      title,
      hoursPerWeek,
      djangoVersions,
      urgency,
      mentoring,
      createdAt,
      updatedAt,
      folded,
    ] = row as [
      number,
      number,
      string,
      CallKind,
      string,
      number,
      string,
      CallUrgency,
      number,
      number,
      number,
      string | null,
    ];
    const skills: { skillId: string; level: Level }[] = [];
    unfoldSkills(folded, skillIds, (skillId, level) => skills.push(skillEntry(skillId, level)));
    calls.push({
      kind: "call" as const,
      id: String(id),
      // Ownership transfers are listed as calls too; they read as "transfers" in the digest.
      section: kind === "new-maintainer" ? ("transfers" as const) : ("calls" as const),
      packageId,
      packageName,
      title,
      path: `/calls/${id}`,
      callKind: kind,
      skills: skills.sort((a, b) => a.skillId.localeCompare(b.skillId)),
      hoursPerWeek,
      djangoVersions: versionLists(djangoVersions),
      urgency,
      createdAt,
      updatedAt,
      maintainerOffsets: offsets.get(packageId) ?? [],
      requires: null,
      mentoring: mentoring === 1,
      maintainerIds: byPackage.get(packageId) ?? [],
    });
  }
  return calls;
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
    skills: r.skills
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
    mentoring: true,
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
    mentoring: false,
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

  // Whether (and when) a digest went out is the email ledger's to say.
  const shown = await db().all<{ user_id: number; items: string; shown_at: number }>(sql`
    SELECT user_id, items, COALESCE(sent_at, created_at) AS shown_at FROM (
      SELECT d.user_id, d.items, e.sent_at, d.created_at,
             ROW_NUMBER() OVER (PARTITION BY d.user_id ORDER BY d.week DESC) AS n
      FROM ${schema.digestDeliveries} d
      JOIN ${schema.emailDeliveries} e ON e.idempotency_key = d.email_key
      WHERE e.status = 'sent' AND d.week < ${week}
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
  // Skill ids shared by everyone's skills and every call's (see unfoldSkills).
  const skillIds = new Map(skillRows.map((s) => [s.id, s.id]));
  const volunteers = await loadVolunteers(now, skillIds);
  const maintainers = await loadMaintainers(volunteers);
  const { byPackage, offsets } = maintainers;
  const [calls, projects, transfers, interests, { history, lastDigestAt }] = await Promise.all([
    loadOpenCalls(now, maintainers, skillIds),
    loadOpenProjects(now, offsets),
    loadTransfersForRoadies(offsets),
    loadPendingInterests(),
    loadHistory(week, byPackage),
  ]);
  return {
    now,
    skillNames: new Map(skillRows.map((s) => [s.id, s.name])),
    volunteers,
    opportunities: [...calls, ...projects, ...transfers],
    maintainerCalls: calls,
    interests,
    history,
    lastDigestAt,
  };
}
