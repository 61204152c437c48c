// What a package sync still has to do, read a page at a time (a libSQL server caps one response at
// 10 MB; 5,000 packages with their metadata do not fit), and where a crashed run stopped.
//
// A run over every package records `freshSince`: parts of a package synced at or after it are fresh.
// A run that did not finish (the process died) is resumed by the next run over every package, which
// keeps the crashed run's `freshSince`: what was already fetched is skipped, the rest continues.
import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { verifiedRowSql } from "#app/models/packages/maintainers.server.ts";
import { DAY_MS } from "#app/utils/dates.ts";

const p = schema.packages;
const pm = schema.packageMetadata;
const m = schema.packageMaintainers;

/** A crashed run older than this is not resumed: its figures are a day old, so everything is due again. */
export const RESUME_WITHIN_MS = DAY_MS;

export type SyncScope = {
  /** Normalised names; every package when absent. */
  wanted?: string[];
  /** Parts synced at or after this instant are fresh (for a run over every package). */
  freshSince: number;
  /** Downloads fetched at or after this instant are fresh; null when downloads are not fetched. */
  downloadsFreshSince: number | null;
};

/** The unfinished run over every package that the next such run should resume, if any. */
export async function findCrashedRun(now: number) {
  const last = await db()
    .select()
    .from(schema.syncRuns)
    .where(eq(schema.syncRuns.allPackages, true))
    .orderBy(desc(schema.syncRuns.id))
    .limit(1)
    .get();
  if (!last || last.finishedAt !== null) return null;
  const freshSince = last.freshSince ?? last.startedAt;
  return now - freshSince <= RESUME_WITHIN_MS ? { ...last, freshSince } : null;
}

/** SQL: some part of the package is not fresh for this scope. */
function dueSql(scope: SyncScope) {
  if (scope.wanted) return undefined; // named packages are always synced
  const since = scope.freshSince;
  const downloadsFresh =
    scope.downloadsFreshSince === null
      ? sql`1`
      : sql`coalesce(${pm.downloadsSyncedAt}, 0) >= ${Math.min(scope.downloadsFreshSince, since)}`;
  return sql`NOT (coalesce(${pm.pypiSyncedAt}, 0) >= ${since}
    AND (${p.repository} IS NULL OR coalesce(${pm.githubSyncedAt}, 0) >= ${since})
    AND ${downloadsFresh})`;
}

function scopeWhere(scope: SyncScope) {
  return and(scope.wanted ? inArray(p.normalizedName, scope.wanted) : undefined, dueSql(scope));
}

/** How many packages the run has to sync. */
export async function countDue(scope: SyncScope): Promise<number> {
  const row = await db()
    .select({ n: sql<number>`count(*)` })
    .from(p)
    .leftJoin(pm, eq(pm.packageId, p.id))
    .where(scopeWhere(scope))
    .get();
  return row?.n ?? 0;
}

export type DuePackage = {
  pkg: typeof schema.packages.$inferSelect;
  previous: typeof schema.packageMetadata.$inferSelect | null;
  hasVerifiedMaintainers: boolean;
};

/** The next page of packages to sync, after `afterName` in name order (keyset paging). */
export async function readDuePage(scope: SyncScope, afterName: string | null, limit: number): Promise<DuePackage[]> {
  const rows = await db()
    .select({
      pkg: p,
      previous: pm,
      hasVerifiedMaintainers: sql<number>`EXISTS (SELECT 1 FROM ${m} WHERE ${m.packageId} = ${p.id} AND ${verifiedRowSql})`,
    })
    .from(p)
    .leftJoin(pm, eq(pm.packageId, p.id))
    .where(and(afterName === null ? undefined : gt(p.normalizedName, afterName), scopeWhere(scope)))
    .orderBy(asc(p.normalizedName))
    .limit(limit)
    .all();
  return rows.map((r) => ({
    pkg: r.pkg,
    previous: r.previous,
    hasVerifiedMaintainers: Boolean(r.hasVerifiedMaintainers),
  }));
}
