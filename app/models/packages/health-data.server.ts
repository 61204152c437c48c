// What the package health rules (health.server.ts) read, loaded for one package or all; the
// package page's health section; and maintainers' compatibility reports.
import { and, asc, count, eq, gt, inArray, isNotNull, sql } from "drizzle-orm";
import { db, prepared, schema } from "#app/utils/db.server.ts";
import { listDjangoReleases, todayOf } from "#app/models/ecosystem/releases.server.ts";
import { isEffectiveAdmin } from "#app/models/people/powers.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import {
  isVerifiedMaintainer,
  verifiedMaintainerSql,
  verifiedRowSql,
} from "#app/models/packages/maintainers.server.ts";
import {
  assessState,
  compatFor,
  healthSignals,
  practiceChecks,
  type HealthInput,
  type RuleInput,
} from "#app/models/packages/health.server.ts";
import type { CheckinAnswer, CompatStatus } from "#db/schema/ecosystem.ts";
import type { User } from "#db/schema.ts";

/**
 * [directory] package_metadata a page at a time: with their release dates, 5,000 rows come near the
 * 10 MB a libSQL server sends in one response.
 */
async function readMetadataPaged(packageIds?: number[]) {
  const md = schema.packageMetadata;
  const PAGE = 1000;
  const rows: (typeof md.$inferSelect)[] = [];
  let after = 0;
  for (;;) {
    const page = await db()
      .select()
      .from(md)
      .where(and(gt(md.packageId, after), packageIds ? inArray(md.packageId, packageIds) : undefined))
      .orderBy(asc(md.packageId))
      .limit(PAGE)
      .all();
    rows.push(...page);
    if (page.length < PAGE) return rows;
    after = page.at(-1)!.packageId;
  }
}

/**
 * [scale] The packages with their classifiers a page at a time too: a Django package declares
 * dozens of classifiers, so 12,000 packages in one answer would pass a libSQL server's 10 MB limit.
 */
async function readPackagesPaged(packageIds?: number[]) {
  const p = schema.packages;
  const PAGE = 1000;
  const rows: { id: number; name: string; normalizedName: string; repository: string | null; classifiers: string[] }[] =
    [];
  let after = 0;
  for (;;) {
    const page = await db()
      .select({
        id: p.id,
        name: p.name,
        normalizedName: p.normalizedName,
        repository: p.repository,
        classifiers: p.classifiers,
      })
      .from(p)
      .where(and(gt(p.id, after), packageIds ? inArray(p.id, packageIds) : undefined))
      .orderBy(asc(p.id))
      .limit(PAGE)
      .all();
    rows.push(...page);
    if (page.length < PAGE) return rows;
    after = page.at(-1)!.id;
  }
}

/** Everything the rules need, for some packages or all, in a handful of queries. */
export async function loadHealthInputs(packageIds?: number[]): Promise<HealthInput[]> {
  const only = <T extends { packageId: unknown }>(col: T["packageId"]) =>
    packageIds ? inArray(col as never, packageIds) : undefined;
  // Side by side, so that one package's inputs (its page) are one round trip (db.server.ts).
  const [packages, metas, maintainers, reports, checkins, calls] = await Promise.all([
    readPackagesPaged(packageIds),
    readMetadataPaged(packageIds),
    db()
      .select({ packageId: schema.packageMaintainers.packageId, n: count() })
      .from(schema.packageMaintainers)
      .where(and(verifiedRowSql, only(schema.packageMaintainers.packageId)))
      .groupBy(schema.packageMaintainers.packageId)
      .all(),
    db().select().from(schema.compatReports).where(only(schema.compatReports.packageId)).all(),
    db()
      .select()
      .from(schema.maintenanceCheckins)
      .where(and(isNotNull(schema.maintenanceCheckins.answeredAt), only(schema.maintenanceCheckins.packageId)))
      .all(),
    db()
      .select({ packageId: schema.calls.packageId, n: count() })
      .from(schema.calls)
      .where(and(inArray(schema.calls.status, ["open", "in_conversation"]), only(schema.calls.packageId)))
      .groupBy(schema.calls.packageId)
      .all(),
  ]);
  const openCalls = new Map(calls.map((r) => [r.packageId, r.n]));
  const metaBy = new Map(metas.map((m) => [m.packageId, m]));
  const maintainersBy = new Map(maintainers.map((m) => [m.packageId, m.n]));
  const reportsBy = new Map<number, Map<string, CompatStatus>>();
  for (const r of reports)
    reportsBy.set(r.packageId, (reportsBy.get(r.packageId) ?? new Map()).set(r.version, r.status));
  const checkinBy = new Map<number, HealthInput["checkin"]>();
  for (const c of checkins) {
    const prev = checkinBy.get(c.packageId);
    if (c.answer && c.answeredAt && (!prev || prev.answeredAt < c.answeredAt)) {
      checkinBy.set(c.packageId, { answer: c.answer, answeredAt: c.answeredAt });
    }
  }
  return packages.map((pkg) => ({
    ...pkg,
    meta: metaBy.get(pkg.id) ?? null,
    verifiedMaintainers: maintainersBy.get(pkg.id) ?? 0,
    openCalls: openCalls.get(pkg.id) ?? 0,
    reports: reportsBy.get(pkg.id) ?? new Map(),
    checkin: checkinBy.get(pkg.id) ?? null,
  }));
}

const md = schema.packageMetadata;
const pm = schema.packageMaintainers;
const cr = schema.compatReports;
const ci = schema.maintenanceCheckins;
const pc = schema.calls;
const pkgId = schema.packages.id;

// One package's figures, each a subquery of its `packages` row.
const verifiedCount = sql<number>`(SELECT count(*) FROM ${pm} WHERE ${pm.packageId} = ${pkgId} AND ${verifiedRowSql})`;
const openCallCount = sql<number>`(SELECT count(*) FROM ${pc}
  WHERE ${pc.packageId} = ${pkgId} AND ${pc.status} IN ('open', 'in_conversation'))`;
const reportPairs = sql<string>`(SELECT json_group_array(json_array(${cr.version}, ${cr.status}))
  FROM ${cr} WHERE ${cr.packageId} = ${pkgId})`;
// The latest answer; of two given at the same moment, the first recorded (as loadHealthInputs).
const latestCheckin = sql<string | null>`(SELECT json_array(${ci.answer}, ${ci.answeredAt}) FROM ${ci}
  WHERE ${ci.packageId} = ${pkgId} AND ${ci.answeredAt} IS NOT NULL AND ${ci.answer} IS NOT NULL
  ORDER BY ${ci.answeredAt} DESC, ${ci.id} ASC LIMIT 1)`;

/**
 * One package's inputs, as loadHealthInputs([id]) gives them but with only the metadata the rules
 * read (HealthMeta), and whether the viewer is one of its verified maintainers: one statement, built
 * once. The package page asked six (and two more for the viewer), each rebuilt on every view.
 */
const packageHealthInput = prepared((d) =>
  d
    .select({
      id: pkgId,
      name: schema.packages.name,
      normalizedName: schema.packages.normalizedName,
      repository: schema.packages.repository,
      classifiers: schema.packages.classifiers,
      // What the rules read and when it was synced; null when it never was (left joined). drizzle
      // makes a left-joined object null when its FIRST column is null: that is a NOT NULL column.
      meta: {
        pypiMissing: md.pypiMissing,
        latestVersion: md.latestVersion,
        latestReleaseOn: md.latestReleaseOn,
        releaseDates: md.releaseDates,
        requiresPython: md.requiresPython,
        license: md.license,
        projectUrls: md.projectUrls,
        githubOpenIssues: md.githubOpenIssues,
        githubPushedAt: md.githubPushedAt,
        githubArchived: md.githubArchived,
        githubLicense: md.githubLicense,
        pypiSyncedAt: md.pypiSyncedAt,
      },
      verifiedMaintainers: verifiedCount.mapWith(Number),
      openCalls: openCallCount.mapWith(Number),
      reports: reportPairs,
      checkin: latestCheckin,
      viewerMaintains: verifiedMaintainerSql(sql`${sql.placeholder("viewerId")}`, pkgId).mapWith((v) =>
        Boolean(Number(v)),
      ),
    })
    .from(schema.packages)
    .leftJoin(md, eq(md.packageId, pkgId))
    .where(eq(pkgId, sql.placeholder("packageId")))
    .prepare(),
);

type PageHealthInput = RuleInput & { meta: { pypiSyncedAt: number | null } | null };

async function loadPackageHealthInput(
  packageId: number,
  viewerId: number | null,
): Promise<{ input: PageHealthInput; viewerMaintains: boolean } | null> {
  const row = await packageHealthInput().get({ packageId, viewerId });
  if (!row) return null;
  const { viewerMaintains, reports, checkin, ...rest } = row;
  const pairs = JSON.parse(reports) as [string, CompatStatus][];
  const answer = checkin ? (JSON.parse(checkin) as [CheckinAnswer, number]) : null;
  return {
    input: {
      ...rest,
      reports: new Map(pairs),
      checkin: answer ? { answer: answer[0], answeredAt: answer[1] } : null,
    },
    viewerMaintains,
  };
}

/** The package page's health section: signals, state, best practices and compatibility. */
export async function getPackageHealth(
  packageId: number,
  viewer: Pick<User, "id" | "isAdmin"> | null,
  now = Date.now(),
) {
  const [loaded, releases] = await Promise.all([
    loadPackageHealthInput(packageId, viewer?.id ?? null),
    listDjangoReleases(),
  ]);
  if (!loaded) return null;
  const { input } = loaded;
  const today = todayOf(now);
  // Releases worth a status: still supported or not out yet.
  const relevant = releases.filter((r) => (r.dates.extendedSupportEnd ?? "9999") >= today);
  return {
    packageName: input.normalizedName,
    ...assessState(input, releases, now),
    signals: healthSignals(input, releases, now),
    practices: practiceChecks(input, releases, now),
    compat: relevant.map((r) => ({
      version: r.version,
      status: compatFor(input, r.version, releases),
      reported: input.reports.get(r.version) ?? null,
      upcoming: !r.dates.releaseDate || r.dates.releaseDate > today,
    })),
    // canReportCompat's rule, with the viewer's isAdmin (derived from its source, powers.server.ts).
    canReport: Boolean(viewer && (viewer.isAdmin || loaded.viewerMaintains)),
    syncedAt: input.meta?.pypiSyncedAt ?? null,
  };
}

/** Verified maintainers of the package, and working-group admins, may report its status. */
export async function canReportCompat(packageId: number, userId: number): Promise<boolean> {
  const [maintainer, admin] = await Promise.all([isVerifiedMaintainer(userId, packageId), isEffectiveAdmin(userId)]);
  return maintainer || admin;
}

export async function reportCompat(
  packageId: number,
  version: string,
  status: CompatStatus | "none",
  userId: number,
  now = Date.now(),
) {
  const r = schema.compatReports;
  const audit = auditEntry(
    {
      actorUserId: userId,
      action: "compat.report",
      objectType: "package",
      objectId: packageId,
      detail: { version, status },
    },
    now,
  );
  if (status === "none") {
    await db().batch([
      db()
        .delete(r)
        .where(and(eq(r.packageId, packageId), eq(r.version, version))),
      audit,
    ]);
    return;
  }
  await db().batch([
    db()
      .insert(r)
      .values({ packageId, version, status, reportedByUserId: userId, updatedAt: now })
      .onConflictDoUpdate({
        target: [r.packageId, r.version],
        set: { status, reportedByUserId: userId, updatedAt: now },
      }),
    audit,
  ]);
}

/** Maintenance state of every package, for the ecosystem review and the check-in job. */
export async function assessAllPackages(now = Date.now()) {
  const [inputs, releases] = await Promise.all([loadHealthInputs(), listDjangoReleases()]);
  return { releases, packages: inputs.map((input) => ({ input, ...assessState(input, releases, now) })) };
}
