// The package directory: every tracked package with its summary, popularity (GitHub stars, PyPI
// downloads over 30 days), last release, declared Django and Python support, maintenance state,
// open calls and verified maintainers; filtered, sorted and paged the same way for the page, its
// JSON and its CSV. One query loads what the rules read for every matching package (name and
// category are filtered in SQL); the maintenance state is health.server.ts's rule, so it is judged
// here in code, then the rows are filtered, sorted and cut to a page.
import { and, eq, inArray, like, sql, type SQL } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import {
  compareVersions,
  declaresRelease,
  parseClassifiers,
  pythonsAllowed,
} from "#app/models/ecosystem/classifiers.ts";
import { listDjangoReleases, type Release } from "#app/models/ecosystem/releases.server.ts";
import { assessState } from "#app/models/packages/health.server.ts";
import { maintenanceStates, stateLabels, type MaintenanceState } from "#app/models/packages/labels.ts";
import { verifiedRowSql } from "#app/models/packages/maintainers.server.ts";
import { normalizePackageName } from "#app/models/packages/names.ts";
import { listedCallSql } from "#app/models/calls/listing.server.ts";
import { isRoadieOrWorkingGroup } from "#app/models/people/roadies.server.ts";
import {
  DEFAULT_SORT,
  DIRECTORY_PAGE_SIZE,
  sortColumns,
  type DirectoryQuery,
  type DirectorySort,
  type SortOrder,
} from "#app/models/packages/directory.ts";
import type { CsvValue } from "#app/utils/csv.ts";
import { DAY_MS } from "#app/utils/dates.ts";
import type { CheckinAnswer } from "#db/schema/ecosystem.ts";

/** A maintainer's check-in answer asking for help counts for this long, as in assessState. */
const CHECKIN_VALID_MS = 92 * DAY_MS;

export type DirectoryRow = {
  name: string;
  normalizedName: string;
  summary: string | null;
  repository: string | null;
  categories: string[];
  githubStars: number | null;
  downloadsLastMonth: number | null;
  latestVersion: string | null;
  lastRelease: string | null;
  /** Django versions the classifiers declare, oldest first. */
  django: string[];
  /** Python minors the classifiers declare, or else those requires_python allows. */
  python: string[];
  pythonFrom: "classifiers" | "requires_python" | null;
  requiresPython: string | null;
  state: MaintenanceState;
  stateLabel: string;
  stateRule: string;
  openCalls: number;
  verifiedMaintainers: number;
  /** An open call, or its maintainers said in a check-in that they want help (or, for roadies, nominated). */
  needsHelp: boolean;
};

export type DirectoryViewer = {
  /** Roadies and the working group see nominations (kept from everyone else) in "needs help". */
  seesNominations: boolean;
};

type Loaded = { id: number; row: DirectoryRow; newestDjango: string | null };

/** The Python minors any Django release supports, oldest first: what requires_python is read against. */
const pythonCandidates = (releases: Release[]) =>
  [...new Set(releases.flatMap((r) => r.pythonVersions))].sort(compareVersions);

/**
 * Every package matching `where`, with what the rules and the columns need, in one query: only
 * the columns used (a whole metadata row costs more to read than the rules do), and the counts as
 * correlated subqueries on indexed columns, so it stays one pass for thousands of packages.
 */
async function loadRows(
  where: SQL | undefined,
  releases: Release[],
  viewer: DirectoryViewer | Promise<DirectoryViewer>,
  now: number,
) {
  const p = schema.packages;
  const md = schema.packageMetadata;
  const m = schema.packageMaintainers;
  const c = schema.calls;
  const ci = schema.maintenanceCheckins;
  const n = schema.nominations;
  const lastAnswer = (column: SQL) =>
    sql`(SELECT ${column} FROM ${ci} WHERE ${ci.packageId} = ${p.id} AND ${ci.answeredAt} IS NOT NULL ORDER BY ${ci.answeredAt} DESC LIMIT 1)`;
  // The viewer may still be on its way (their powers, asked beside this read: db.server.ts).
  const [rows, { seesNominations }] = await Promise.all([
    db()
      .select({
        id: p.id,
        name: p.name,
        normalizedName: p.normalizedName,
        repository: p.repository,
        description: p.description,
        categories: p.categories,
        classifiers: p.classifiers,
        synced: md.packageId,
        latestVersion: md.latestVersion,
        latestReleaseOn: md.latestReleaseOn,
        requiresPython: md.requiresPython,
        pypiMissing: md.pypiMissing,
        githubStars: md.githubStars,
        githubPushedAt: md.githubPushedAt,
        githubArchived: md.githubArchived,
        downloadsLastMonth: md.downloadsLastMonth,
        verified: sql<number>`(SELECT count(*) FROM ${m} WHERE ${m.packageId} = ${p.id} AND ${verifiedRowSql})`.mapWith(
          Number,
        ),
        openCalls:
          sql<number>`(SELECT count(*) FROM ${c} WHERE ${c.packageId} = ${p.id} AND ${listedCallSql(now)})`.mapWith(
            Number,
          ),
        checkinAnswer: sql<CheckinAnswer | null>`${lastAnswer(sql`${ci.answer}`)}`,
        checkinAt: sql<number | null>`${lastAnswer(sql`${ci.answeredAt}`)}`,
        nominated: sql<number>`EXISTS (SELECT 1 FROM ${n} WHERE ${n.normalizedName} = ${p.normalizedName}
        AND ${n.status} IN ('open', 'contacted', 'proposed'))`.mapWith(Number),
      })
      .from(p)
      .leftJoin(md, eq(md.packageId, p.id))
      .where(where)
      .all(),
    viewer,
  ]);
  const candidates = pythonCandidates(releases);
  return rows.map((r): Loaded => {
    const checkin = r.checkinAnswer && r.checkinAt ? { answer: r.checkinAnswer, answeredAt: r.checkinAt } : null;
    const meta =
      r.synced === null
        ? null
        : {
            githubArchived: r.githubArchived,
            latestReleaseOn: r.latestReleaseOn,
            pypiMissing: r.pypiMissing ?? false,
            githubPushedAt: r.githubPushedAt,
          };
    const { state, rule } = assessState({ classifiers: r.classifiers, checkin, meta }, releases, now);
    const declared = parseClassifiers(r.classifiers);
    const requiresPython = r.requiresPython;
    const derived = declared.python.length ? [] : requiresPython ? pythonsAllowed(requiresPython, candidates) : [];
    const askedForHelp =
      checkin !== null && checkin.answer !== "still_maintained" && now - checkin.answeredAt < CHECKIN_VALID_MS;
    return {
      id: r.id,
      newestDjango: declared.django.at(-1) ?? null,
      row: {
        name: r.name,
        normalizedName: r.normalizedName,
        summary: r.description,
        repository: r.repository,
        categories: r.categories,
        githubStars: r.githubStars,
        downloadsLastMonth: r.downloadsLastMonth,
        latestVersion: r.latestVersion,
        lastRelease: r.latestReleaseOn,
        django: declared.django,
        python: declared.python.length ? declared.python : derived,
        pythonFrom: declared.python.length ? "classifiers" : derived.length ? "requires_python" : null,
        requiresPython,
        state,
        stateLabel: stateLabels[state],
        stateRule: rule,
        openCalls: r.openCalls,
        verifiedMaintainers: r.verified,
        needsHelp: r.openCalls > 0 || askedForHelp || (seesNominations && Boolean(r.nominated)),
      },
    };
  });
}

function sqlFilters(query: Pick<DirectoryQuery, "q" | "category">): SQL | undefined {
  const p = schema.packages;
  const conditions: SQL[] = [];
  // Normalised names hold only [a-z0-9-], so anything else (LIKE wildcards too) cannot match.
  const needle = query.q ? normalizePackageName(query.q).replace(/[^a-z0-9-]/g, "") : "";
  if (needle) conditions.push(like(p.normalizedName, `%${needle}%`));
  if (query.category) {
    conditions.push(sql`EXISTS (SELECT 1 FROM json_each(${p.categories}) WHERE json_each.value = ${query.category})`);
  }
  return conditions.length ? and(...conditions) : undefined;
}

const stateRank = (s: MaintenanceState) => maintenanceStates.indexOf(s);

/** The value a column sorts by; null sorts last in either order. */
function sortValue(l: Loaded, sort: DirectorySort): string | number | null {
  const r = l.row;
  switch (sort) {
    case "name":
      return r.normalizedName;
    case "stars":
      return r.githubStars;
    case "downloads":
      return r.downloadsLastMonth;
    case "release":
      return r.lastRelease;
    case "django":
      return l.newestDjango;
    case "python":
      return r.python.at(-1) ?? null;
    case "state":
      return stateRank(r.state);
    case "calls":
      return r.openCalls;
    case "maintainers":
      return r.verifiedMaintainers;
  }
}

function compareBy(sort: DirectorySort, order: SortOrder) {
  const versions = sort === "django" || sort === "python";
  return (a: Loaded, b: Loaded) => {
    const va = sortValue(a, sort);
    const vb = sortValue(b, sort);
    if (va !== vb) {
      if (va === null) return 1;
      if (vb === null) return -1;
      const d = versions
        ? compareVersions(String(va), String(vb))
        : typeof va === "number" && typeof vb === "number"
          ? va - vb
          : String(va).localeCompare(String(vb));
      if (d !== 0) return order === "asc" ? d : -d;
    }
    return a.row.normalizedName.localeCompare(b.row.normalizedName);
  };
}

export type DirectoryPage = {
  packages: DirectoryRow[];
  total: number;
  page: number;
  pageCount: number;
  sort: DirectorySort;
  order: SortOrder;
};

/**
 * The directory for a query: filtered, sorted, and cut to the query's page (or every matching
 * package with `all`, for a download of the whole list).
 */
export async function listDirectory(
  query: DirectoryQuery,
  viewer: DirectoryViewer | Promise<DirectoryViewer>,
  { all = false, now = Date.now() }: { all?: boolean; now?: number } = {},
): Promise<DirectoryPage> {
  const releases = await listDjangoReleases();
  const loaded = await loadRows(sqlFilters(query), releases, viewer, now);
  const matching = loaded.filter(
    (l) =>
      (!query.state || l.row.state === query.state) &&
      (!query.django || declaresRelease(l.row.django, query.django)) &&
      (!query.help || l.row.needsHelp),
  );
  const sort = query.sort ?? DEFAULT_SORT;
  const order = query.order ?? sortColumns[sort].first;
  matching.sort(compareBy(sort, order));
  const total = matching.length;
  const pageCount = Math.max(1, Math.ceil(total / DIRECTORY_PAGE_SIZE));
  const page = Math.min(query.page ?? 1, pageCount);
  const shown = all ? matching : matching.slice((page - 1) * DIRECTORY_PAGE_SIZE, page * DIRECTORY_PAGE_SIZE);
  return {
    packages: shown.map((l) => l.row),
    total,
    page: all ? 1 : page,
    pageCount: all ? 1 : pageCount,
    sort,
    order,
  };
}

/** The directory's rows as CSV records, header first (written by app/utils/csv.ts). */
export function directoryCsvRows(rows: DirectoryRow[], appUrl: string): CsvValue[][] {
  return [
    [
      "name",
      "url",
      "summary",
      "categories",
      "github_stars",
      "downloads_last_30_days",
      "latest_version",
      "last_release",
      "django_declared",
      "python",
      "python_from",
      "requires_python",
      "maintenance_state",
      "open_calls",
      "verified_maintainers",
      "needs_help",
    ],
    ...rows.map((r) => [
      r.name,
      `${appUrl}/packages/${r.normalizedName}`,
      r.summary,
      r.categories.join("; "),
      r.githubStars,
      r.downloadsLastMonth,
      r.latestVersion,
      r.lastRelease,
      r.django.join(" "),
      r.python.join(" "),
      r.pythonFrom,
      r.requiresPython,
      r.stateLabel,
      r.openCalls,
      r.verifiedMaintainers,
      r.needsHelp ? "yes" : "no",
    ]),
  ];
}

/** What this person's view of the directory includes: nominations only for roadies and the working group. */
export async function directoryViewer(user: { id: number; isAdmin: boolean } | null): Promise<DirectoryViewer> {
  return { seesNominations: user ? await isRoadieOrWorkingGroup(user) : false };
}

/** The directory's rows (with the rules' inputs) of these packages, by PEP 503 name, in that order. */
export async function directoryRowsByName(
  names: string[],
  viewer: DirectoryViewer | Promise<DirectoryViewer>,
  now = Date.now(),
) {
  if (names.length === 0) return { releases: await listDjangoReleases(), rows: [] };
  const releases = await listDjangoReleases();
  const loaded = await loadRows(inArray(schema.packages.normalizedName, names), releases, viewer, now);
  const byName = new Map(loaded.map((l) => [l.row.normalizedName, l]));
  return { releases, rows: names.flatMap((n) => byName.get(n) ?? []) };
}
