// Reference data every Roadies database needs (Django releases, the skills taxonomy), upserted
// at each start so that editing db/reference/* and redeploying is all it takes to update it.
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../app/utils/db.server.ts";
import { djangoReleases, skills } from "./schema.ts";
import releaseFile from "./reference/django-releases.json" with { type: "json" };
import { skillTaxonomy } from "./reference/skills.ts";
import { seedGuides } from "../app/models/guides/guides.server.ts";

type ReleaseRow = typeof djangoReleases.$inferInsert;

/**
 * Numeric order of Django feature versions: 3.2 -> 30200, 6.2 -> 60200, 2028 (or 2028.0) ->
 * 20280000, 2028.1 -> 20280100. Calendar versions (DEP 20) therefore sort after every 6.x.
 */
export function versionSortKey(version: string): number {
  const match = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(version.trim());
  if (!match) throw new Error(`Not a Django version: ${JSON.stringify(version)}`);
  const [, major, minor = "0", patch = "0"] = match;
  return Number(major) * 10_000 + Number(minor) * 100 + Number(patch);
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function dateOrNull(value: unknown, field: string, version: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" && isoDate.test(value)) return value;
  throw new Error(`django-releases.json: ${version}.${field} is not YYYY-MM-DD: ${JSON.stringify(value)}`);
}

/** The rows of db/reference/django-releases.json, checked: a bad edit fails the start, loudly. */
export function djangoReleaseRows(): ReleaseRow[] {
  return releaseFile.releases.map((r): ReleaseRow => {
    if (r.status !== "released" && r.status !== "planned") {
      throw new Error(`django-releases.json: ${r.version} has unknown status ${JSON.stringify(r.status)}`);
    }
    return {
      version: r.version,
      sortKey: versionSortKey(r.version),
      lts: r.lts,
      releaseDate: dateOrNull(r.releaseDate, "releaseDate", r.version),
      alphaDate: dateOrNull(r.alphaDate, "alphaDate", r.version),
      betaDate: dateOrNull(r.betaDate, "betaDate", r.version),
      rcDate: dateOrNull(r.rcDate, "rcDate", r.version),
      mainstreamSupportEnd: dateOrNull(r.mainstreamSupportEnd, "mainstreamSupportEnd", r.version),
      extendedSupportEnd: dateOrNull(r.extendedSupportEnd, "extendedSupportEnd", r.version),
      pythonVersions: r.pythonVersions,
      status: r.status,
    };
  });
}

/**
 * ON CONFLICT ... DO UPDATE for the given columns, skipped when none of them differs: a start-up on
 * an up-to-date database then writes no row at all.
 */
function updateChanged<K extends string>(columns: Record<K, { name: string }>) {
  const list = Object.values<{ name: string }>(columns);
  const set = Object.fromEntries(
    Object.entries<{ name: string }>(columns).map(([key, c]) => [key, sql.raw(`excluded."${c.name}"`)]),
  ) as Record<K, SQL>;
  const setWhere = sql.raw(list.map((c) => `"${c.name}" IS NOT excluded."${c.name}"`).join(" OR "));
  return { set, setWhere };
}

/** Inserts or updates the releases and skills (one batch, one round trip), then the guides. Idempotent. */
export async function seedReference(db: Database): Promise<void> {
  const r = djangoReleases;
  await db.batch([
    db
      .insert(r)
      .values(djangoReleaseRows())
      .onConflictDoUpdate({
        target: r.version,
        ...updateChanged({
          sortKey: r.sortKey,
          lts: r.lts,
          releaseDate: r.releaseDate,
          alphaDate: r.alphaDate,
          betaDate: r.betaDate,
          rcDate: r.rcDate,
          mainstreamSupportEnd: r.mainstreamSupportEnd,
          extendedSupportEnd: r.extendedSupportEnd,
          pythonVersions: r.pythonVersions,
          status: r.status,
        }),
      }),
    db
      .insert(skills)
      .values(skillTaxonomy.map((s, position) => ({ id: s.id, name: s.name, group: s.group, position })))
      .onConflictDoUpdate({
        target: skills.id,
        ...updateChanged({ name: skills.name, group: skills.group, position: skills.position }),
      }),
  ]);
  // [guides] The project's guides (db/reference/guides/*.md) as first revisions; never overwritten.
  await seedGuides(db);
}
