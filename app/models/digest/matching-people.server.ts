// The people in the data the matching engine ranks, loaded in bulk once per run: everyone who could
// receive or be suggested (with their skills in one shared pool) and the maintainers of each
// package; also the paged reader that these and the open calls (matching.server.ts) are read with.
import { sql, type SQL } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { offsetMinutes } from "#app/utils/time.ts";
import { DAY_MS } from "#app/utils/dates.ts";
// The rule itself, from a module that holds little else (see matching.server.ts).
import { hasRoleSql } from "#app/models/people/powers.server.ts";
import type { Level, Volunteer } from "#app/models/digest/matching-rules.ts";

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

/**
 * Rows read per query: keeps the rows in flight small next to what is kept, and each answer well
 * under a libSQL server's 10 MB response limit.
 */
export const PAGE = 5000;

/**
 * Hands `each` the rows of `select` a page at a time, as columns: `select(after)` gives at most
 * PAGE rows above `after` by id, and its columns, named in `columns` (id first), come back in that
 * order, each an array with a value per row. SQLite folds a page into one JSON value, so one value
 * crosses the driver instead of one per column and row (the driver makes an object per row with a
 * property per column, which cost more than SQLite's own work), and a page parses into a handful of
 * arrays rather than an array per row, taken apart again by every reader.
 *
 * The fold takes the rows in the order `select` gives them (by id). Asking it to order them
 * (`ORDER BY` inside the aggregate) made SQLite sort every page again, a fifth of the query, so
 * the order is checked here instead, and a page that ever came otherwise would be put in order.
 */
export async function readPages<Columns extends [number[], ...unknown[][]]>(
  columns: string,
  select: (after: number) => SQL,
  each: (page: Columns) => void,
): Promise<void> {
  const names = columns.split(",").map((name) => name.trim());
  const fold = sql.raw(`json_array(${names.map((name) => `json_group_array(${name})`).join(", ")})`);
  for (let after = 0; ;) {
    const [row] = await db().all<{ page: string }>(sql`SELECT ${fold} AS page FROM (${select(after)})`);
    let page = JSON.parse(row!.page) as Columns;
    const ids = page[0];
    if (!ids.every((id, k) => k === 0 || ids[k - 1]! < id)) {
      const order = ids.map((_, k) => k).sort((a, b) => ids[a]! - ids[b]!);
      page = page.map((column) => order.map((k) => column[k])) as Columns;
    }
    each(page);
    if (ids.length < PAGE) return;
    after = page[0][ids.length - 1]!;
  }
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

/** The level a folded skill names, as one shared string (see SkillPool). */
export const LEVELS: Record<string, Level> = { learning: "learning", comfortable: "comfortable", expert: "expert" };

/**
 * The skill id a folded skill names, interned through `ids`: every person and call holding
 * "testing" then shares one string, instead of a slice that keeps its whole row's text alive (with
 * the levels, about 20 MB at 50,000 people).
 */
export function internedSkillId(raw: string, ids: Map<string, string>): string {
  let id = ids.get(raw);
  if (id === undefined) ids.set((id = raw), id);
  return id;
}

/**
 * Everyone's skills, end to end, as numbers: a person's are `size` entries from `start`, each a
 * skill (its index in `skillIds`) and a level (its index in `levels`).
 */
class SkillPool {
  readonly skillIds: string[] = [];
  readonly levels: Level[] = ["learning", "comfortable", "expert"];
  private readonly numbers = new Map<string, number>();
  /** A (skill, level) pair's text as SQLite folds it -> skill number × 256 + level number. */
  private readonly pairs = new Map<string, number>();
  skill = new Int32Array(1 << 16);
  level = new Uint8Array(1 << 16);
  length = 0;

  /**
   * Appends the skills SQLite folded (`id level` pairs joined by char(30)). Each pair is cut out of
   * the text once and looked up whole: a pair seen before (nearly all of them) is one lookup, with
   * no id or level string cut out of it.
   */
  pushFolded(folded: string | null, ids: Map<string, string>) {
    if (!folded) return;
    for (let from = 0; from < folded.length;) {
      let end = folded.indexOf("\u001e", from);
      if (end < 0) end = folded.length;
      const pair = folded.slice(from, end);
      let code = this.pairs.get(pair);
      if (code === undefined) this.pairs.set(pair, (code = this.number(pair, ids)));
      this.append(code >> 8, code & 255);
      from = end + 1;
    }
  }

  private number(pair: string, ids: Map<string, string>): number {
    const space = pair.lastIndexOf(" ");
    const id = internedSkillId(pair.slice(0, space), ids);
    let n = this.numbers.get(id);
    if (n === undefined) this.numbers.set(id, (n = this.skillIds.push(id) - 1));
    const level = pair.slice(space + 1);
    let l = this.levels.indexOf(LEVELS[level] ?? (level as Level));
    if (l < 0) l = this.levels.push(level as Level) - 1;
    return n * 256 + l;
  }

  private append(n: number, l: number) {
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
 * roadie by the rule of powers.server.ts, a programme alumnus). Read a page of people at a time,
 * one row each (skills folded into one string by SQLite), because materialising every skill row as
 * an object cost more memory at peak than the result itself. Lists many people share (roles,
 * Django versions) are one array each.
 */
export async function loadVolunteers(now: number, skillIds: Map<string, string>): Promise<Map<number, Volunteer>> {
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
  const pool = new SkillPool();
  type Nullable<T> = (T | null)[];
  await readPages<
    [
      number[],
      string[],
      Nullable<string>,
      Nullable<number>,
      Nullable<string>,
      Nullable<string>,
      Nullable<string>,
      number[],
      number[],
      number[],
    ]
  >(
    "id, login, timezone, availability_hours, skills, roles_wanted, django_versions, discoverable, is_roadie, is_alumnus",
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
    ([ids, logins, zones, hours, skills, roles, versions, discoverable, roadies, alumni]) => {
      for (let k = 0; k < ids.length; k++) {
        const start = pool.length;
        pool.pushFolded(skills[k] ?? null, skillIds);
        volunteers.set(ids[k]!, {
          id: ids[k]!,
          login: logins[k]!,
          offsetHours: offsetOf(zones[k] ?? null),
          availabilityHours: hours[k] ?? null,
          skills: new PooledSkills(pool, start, pool.length - start),
          rolesWanted: shared(roles[k] ?? null),
          djangoVersions: shared(versions[k] ?? null),
          isRoadie: roadies[k] === 1,
          isAlumnus: alumni[k] === 1,
          discoverable: discoverable[k] === 1,
        });
      }
    },
  );
  return volunteers;
}

/** Maintainers' ids and time-zone offsets per package (verified or invited with an account). */
export type Maintainers = { byPackage: Map<number, number[]>; offsets: Map<number, number[]> };

export async function loadMaintainers(volunteers: Map<number, Volunteer>): Promise<Maintainers> {
  const m = schema.packageMaintainers;
  const byPackage = new Map<number, number[]>();
  const offsets = new Map<number, number[]>();
  await readPages<[number[], number[], number[]]>(
    "id, package_id, user_id",
    (after) => sql`SELECT ${m.id}, ${m.packageId}, ${m.userId} FROM ${m}
      WHERE ${m.userId} IS NOT NULL AND ${m.id} > ${after} ORDER BY ${m.id} LIMIT ${PAGE}`,
    ([ids, packageIds, userIds]) => {
      for (let k = 0; k < ids.length; k++) {
        const packageId = packageIds[k]!;
        const userId = userIds[k]!;
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
    },
  );
  return { byPackage, offsets };
}
