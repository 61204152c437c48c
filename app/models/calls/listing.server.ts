// Finding calls: the lists built on the one rule of which calls are listed (`listedCallSql`, in
// listed.server.ts), full-text search (FTS5, bm25), the home page, similar calls
// and the package page's calls section.
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { db, prepared, schema } from "#app/utils/db.server.ts";
import { isoDay } from "#app/utils/dates.ts";
import { publicMemo } from "#app/utils/public-memo.server.ts";
import { listedCallSql, publicCallSql } from "#app/models/calls/listed.server.ts";
import { canManagePackage, listMaintainers, pendingMaintainership } from "#app/models/packages/maintainers.server.ts";
import type { CallDetail } from "#app/models/calls/calls.server.ts";
import { defaultCallSort, type CallSort } from "#app/models/calls/labels.ts";
import { djangoVersionChoices } from "#app/models/ecosystem/releases.server.ts";
import type { CallKind, CallStatus, CallUrgency, User } from "#db/schema.ts";

export const CALLS_PAGE_SIZE = 20;

const c = schema.calls;
const p = schema.packages;

// The rule of which calls are listed lives in listed.server.ts; re-exported for the pages' models.
export { listedCallSql, publicCallSql };

export type { CallSort };
export type CallFilter = {
  q?: string | undefined;
  kind?: CallKind | undefined;
  skill?: string | undefined;
  django?: string | undefined;
  urgency?: CallUrgency | undefined;
  package?: string | undefined;
  sort?: CallSort | undefined;
  page?: number | undefined;
};

/** Turns what a person typed into an FTS5 query: each word quoted (no operators), prefix-matched. */
export function ftsQuery(q: string): string | null {
  const words = q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 12);
  if (!words.length) return null;
  return words.map((w) => `"${w}"*`).join(" ");
}

const urgencyRank = sql`CASE ${c.urgency} WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 ELSE 1 END`;

export type CallSummary = {
  id: number;
  title: string;
  kind: CallKind;
  urgency: CallUrgency;
  status: CallStatus;
  hoursPerWeek: number;
  expiresOn: string;
  createdAt: number;
  updatedAt: number;
  packageName: string;
  packageSlug: string;
  description: string;
  djangoVersions: string[];
  /** Published from a nomination no maintainer could answer, in nobody's name. */
  communityNomination: boolean;
  skills: { skillId: string; name: string; level: string }[];
};

function listedWhere(filter: CallFilter, now: number) {
  const where: SQL[] = [listedCallSql(now)];
  if (filter.kind) where.push(sql`${c.kind} = ${filter.kind}`);
  if (filter.urgency) where.push(sql`${c.urgency} = ${filter.urgency}`);
  if (filter.package) where.push(sql`${p.normalizedName} = ${filter.package}`);
  if (filter.skill)
    where.push(sql`EXISTS (SELECT 1 FROM call_skills s WHERE s.call_id = ${c.id} AND s.skill_id = ${filter.skill})`);
  if (filter.django)
    where.push(sql`EXISTS (SELECT 1 FROM json_each(${c.djangoVersions}) WHERE json_each.value = ${filter.django})`);
  return sql.join(where, sql` AND `);
}

/** The summaries of these calls (in this order) with their skills, both read side by side: one round trip. */
async function summariesWithSkills(ids: number[]): Promise<SummaryWithSkills[]> {
  if (!ids.length) return [];
  const [rows, skills] = await Promise.all([summaries(ids), skillsOf(ids)]);
  return withSkills(rows, skills);
}

function withSkills(rows: Summary[], skills: Awaited<ReturnType<typeof skillsOf>>): SummaryWithSkills[] {
  return rows.map((r) => ({
    ...r,
    skills: skills.filter((s) => s.callId === r.id).map(({ skillId, name, level }) => ({ skillId, name, level })),
  }));
}

/** The skills of these calls: their ids, or a statement choosing them. */
function skillsOf(ids: number[] | SQL) {
  return db()
    .select({
      callId: schema.callSkills.callId,
      skillId: schema.callSkills.skillId,
      name: schema.skills.name,
      level: schema.callSkills.level,
    })
    .from(schema.callSkills)
    .innerJoin(schema.skills, eq(schema.skills.id, schema.callSkills.skillId))
    .where(Array.isArray(ids) ? inArray(schema.callSkills.callId, ids) : sql`${schema.callSkills.callId} IN (${ids})`)
    .orderBy(asc(schema.skills.position))
    .all();
}

/**
 * The summaries of these calls, in this order. The lists choose and order their calls in SQL
 * (search, filters, ranking) and load them here, through the schema, so the JSON column arrives
 * decoded.
 */
async function summaries(ids: number[]) {
  if (!ids.length) return [];
  const rows = await summarySelect().where(inArray(c.id, ids)).all();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** What a summary shows of a call, for a list that can choose its calls in the same statement. */
function summarySelect() {
  return db()
    .select({
      id: c.id,
      title: c.title,
      kind: c.kind,
      urgency: c.urgency,
      status: c.status,
      hoursPerWeek: c.hoursPerWeek,
      expiresOn: c.expiresOn,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      packageName: p.name,
      packageSlug: p.normalizedName,
      description: c.description,
      djangoVersions: c.djangoVersions,
      communityNomination: c.communityNomination,
    })
    .from(c)
    .innerJoin(p, eq(p.id, c.packageId));
}
type Summary = Awaited<ReturnType<typeof summaries>>[number];
type SummaryWithSkills = Summary & { skills: CallSummary["skills"] };

type IdRow = { id: number };
const callsWithPackage = sql`${c} JOIN ${p} ON ${p.id} = ${c.packageId}`;

/**
 * Which calls a listing shows, remembered until what visitors see changes (public-memo.server.ts):
 * a listing applies the listing rule to every open call, which a page of 20 should not pay for on
 * every request. Keys hold the day, on which the rule depends. The page's summaries are kept with
 * it: every table they are read from bumps the generation when written (calls, call_skills, package
 * renames; skills are the fixed taxonomy), and reading them again cost a page more than the rest of
 * its SQL. A page of 20 summaries is a few kilobytes.
 */
const listings = publicMemo<{ calls: SummaryWithSkills[]; total: number }>(500);
const urgentLists = publicMemo<SummaryWithSkills[]>(100);
const similarLists = publicMemo<Summary[]>(1_000);

/** Open, public calls with filters, full-text search (bm25) and pages of 20. */
export async function listCalls(filter: CallFilter, now = Date.now()) {
  const match = filter.q ? ftsQuery(filter.q) : null;
  const sort: CallSort = filter.sort ?? defaultCallSort(Boolean(match));
  const page = Math.max(1, filter.page ?? 1);
  const key = JSON.stringify([
    isoDay(now),
    match,
    sort,
    page,
    filter.kind,
    filter.urgency,
    filter.package,
    filter.skill,
    filter.django,
  ]);
  // The SQL is built only when the memo has no answer.
  const { calls, total: n } = await listings(key, async () => {
    const where = listedWhere(filter, now);
    // The search runs once, materialized with its bm25 rank, then joined: left to itself SQLite may
    // re-run the whole FTS query for every open call (24 s instead of 30 ms on 10,000 calls).
    // Weights: title first, then package name, then description.
    const searched = match
      ? sql`WITH f AS MATERIALIZED (SELECT rowid AS id, bm25(calls_fts, 10.0, 1.0, 5.0) AS rank FROM calls_fts WHERE calls_fts MATCH ${match}) `
      : sql``;
    const search = match ? sql`JOIN f ON f.id = ${c.id}` : sql``;
    // Every call has its package (a foreign key): the join only serves the package filter.
    const from = filter.package ? callsWithPackage : sql`${c}`;
    const order =
      sort === "relevance" && match
        ? sql`f.rank ASC, ${c.createdAt} DESC`
        : sort === "urgent"
          ? sql`${urgencyRank} DESC, ${c.expiresOn} ASC, ${c.createdAt} DESC`
          : sql`${c.createdAt} DESC, ${c.id} DESC`;
    const [rows, [total]] = await Promise.all([
      db().all<IdRow>(sql`${searched}
        SELECT ${c.id} AS id
        FROM ${from} ${search}
        WHERE ${where}
        ORDER BY ${order}
        LIMIT ${CALLS_PAGE_SIZE} OFFSET ${(page - 1) * CALLS_PAGE_SIZE}`),
      db().all<{ n: number }>(sql`${searched}SELECT count(*) AS n FROM ${from} ${search} WHERE ${where}`),
    ]);
    return { calls: await summariesWithSkills(rows.map((r) => r.id)), total: total?.n ?? 0 };
  });
  return { calls, total: n, page, pageCount: Math.max(1, Math.ceil(n / CALLS_PAGE_SIZE)), sort };
}

/** The home page's most urgent open calls. */
export async function mostUrgentCalls(limit = 6, now = Date.now()) {
  return urgentLists(`most-urgent:${isoDay(now)}:${limit}`, async () => {
    // Chosen and read in one batch, the calls and their skills (the same choice, the id breaking
    // ties): the home page reads this list after its other reads when a change made it stale.
    const where = listedWhere({}, now);
    const order = [sql`${urgencyRank} DESC`, asc(c.expiresOn), desc(c.createdAt), desc(c.id)];
    const chosen = sql`SELECT ${c.id} FROM ${callsWithPackage} WHERE ${where} ORDER BY ${sql.join(order, sql`, `)} LIMIT ${limit}`;
    const [rows, skills] = await Promise.all([
      summarySelect()
        .where(where)
        .orderBy(...order)
        .limit(limit)
        .all(),
      skillsOf(chosen),
    ]);
    return withSkills(rows, skills);
  });
}

/** The feed: the 50 newest open calls. */
export async function newestCalls(limit = 50, now = Date.now()) {
  const rows = await db().all<IdRow>(sql`
    SELECT ${c.id} AS id FROM ${callsWithPackage}
    WHERE ${listedWhere({}, now)}
    ORDER BY ${c.createdAt} DESC, ${c.id} DESC LIMIT ${limit}`);
  return summariesWithSkills(rows.map((r) => r.id));
}

/** Open calls sharing the kind or a skill, most shared skills first. */
export async function similarCalls(call: Pick<CallDetail, "id" | "kind" | "skills">, limit = 4, now = Date.now()) {
  const skillIds = call.skills.map((s) => s.skillId);
  const key = JSON.stringify(["similar", isoDay(now), call.id, call.kind, skillIds, limit]);
  return similarLists(key, async () => {
    const shared = skillIds.length
      ? sql`(SELECT count(*) FROM call_skills s WHERE s.call_id = ${c.id} AND s.skill_id IN (${sql.join(
          skillIds.map((s) => sql`${s}`),
          sql`, `,
        )}))`
      : sql`0`;
    // Chosen and read in one statement: a call page's first view after a change reads this list
    // after its other reads, so a second statement would be a fourth round trip.
    return summarySelect()
      .where(sql`${listedWhere({}, now)} AND ${c.id} <> ${call.id} AND (${c.kind} = ${call.kind} OR ${shared} > 0)`)
      .orderBy(sql`${shared} + (${c.kind} = ${call.kind}) DESC`, desc(c.createdAt))
      .limit(limit)
      .all();
  });
}

/**
 * A package's calls still taking interest (open or in conversation), for its page: what it shows of
 * each. Built once (db.server.ts `prepared`): the package page asks it on every view.
 */
const packageCalls = prepared((d) =>
  d
    .select({
      id: c.id,
      title: c.title,
      kind: c.kind,
      status: c.status,
      communityNomination: c.communityNomination,
    })
    .from(c)
    .where(
      and(
        eq(c.packageId, sql.placeholder("packageId")),
        inArray(c.status, ["open", "in_conversation"]),
        sql`${c.expiresOn} >= ${sql.placeholder("today")}`,
        publicCallSql,
      ),
    )
    .orderBy(desc(c.createdAt))
    .limit(50)
    .prepare(),
);

function listPackageCalls(packageId: number, now: number) {
  return packageCalls().all({ packageId, today: isoDay(now) });
}

const skillChoices = prepared((d) =>
  d
    .select({ id: schema.skills.id, name: schema.skills.name, group: schema.skills.group })
    .from(schema.skills)
    .orderBy(asc(schema.skills.position))
    .prepare(),
);

/**
 * Filter choices, remembered like the listings (public-memo.server.ts): reading the skills and the
 * releases and labelling the versions cost /calls more than the rest of its SQL. Writes to the
 * skills, releases and their corrections bump the generation (db/migrations/0037); the versions
 * offered and their labels depend on the day, which is the key.
 */
const filterChoices = publicMemo<{
  skills: { id: string; name: string; group: string }[];
  djangoVersions: Awaited<ReturnType<typeof djangoVersionChoices>>;
}>(4);

/** Filter choices for /calls: skills, and the Django versions a call can name (the release calendar's). */
export async function callFilterChoices(now = Date.now()) {
  return filterChoices(isoDay(now), async () => {
    const [skills, djangoVersions] = await Promise.all([skillChoices().all(), djangoVersionChoices("filter", [], now)]);
    return { skills, djangoVersions };
  });
}

/** What the package page shows of the calls area: maintainers, open calls, and what this viewer may do. */
export async function packageCallsSection(
  pkg: { id: number },
  viewer: Pick<User, "id" | "login" | "isAdmin"> | null,
  now = Date.now(),
) {
  const [maintainers, calls, manage, pending] = await Promise.all([
    listMaintainers(pkg.id),
    listPackageCalls(pkg.id, now),
    canManagePackage(viewer, pkg.id),
    viewer ? pendingMaintainership(viewer, pkg.id) : undefined,
  ]);
  return {
    maintainers: maintainers.map((m) => ({ login: m.login, name: m.name, status: m.status })),
    calls,
    canManage: manage,
    canConfirm: Boolean(pending),
  };
}
