// What the package health rules (health.server.ts) read, loaded for one package or all; the
// package page's health section; and maintainers' compatibility reports.
import { and, asc, count, eq, gt, inArray, isNotNull } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { listDjangoReleases, todayOf } from "#app/models/ecosystem/releases.server.ts";
import { isEffectiveAdmin } from "#app/models/people/powers.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { isVerifiedMaintainer, verifiedRowSql } from "#app/models/packages/maintainers.server.ts";
import {
  assessState,
  compatFor,
  healthSignals,
  practiceChecks,
  type HealthInput,
} from "#app/models/packages/health.server.ts";
import type { CompatStatus } from "#db/schema/ecosystem.ts";

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

/** The package page's health section: signals, state, best practices and compatibility. */
export async function getPackageHealth(packageId: number, userId: number | null, now = Date.now()) {
  const [[input], releases, canReport] = await Promise.all([
    loadHealthInputs([packageId]),
    listDjangoReleases(),
    userId ? canReportCompat(packageId, userId) : false,
  ]);
  if (!input) return null;
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
    canReport,
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
