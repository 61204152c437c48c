// Django packages known to Roadies: listing, search and lookup.
import { and, asc, count, eq, like, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { normalizePackageName } from "#app/models/package-names.ts";

const PAGE_SIZE = 50;

export type PackageFilter = { q?: string; category?: string; page?: number };

function filters({ q, category }: PackageFilter) {
  const p = schema.packages;
  const conditions = [];
  // Normalised names hold only [a-z0-9-], so anything else (LIKE wildcards too) cannot match.
  const needle = q ? normalizePackageName(q).replace(/[^a-z0-9-]/g, "") : "";
  if (needle) conditions.push(like(p.normalizedName, `%${needle}%`));
  if (category) {
    conditions.push(sql`EXISTS (SELECT 1 FROM json_each(${p.categories}) WHERE json_each.value = ${category})`);
  }
  return conditions.length ? and(...conditions) : undefined;
}

export async function listPackages(filter: PackageFilter) {
  const p = schema.packages;
  const page = Math.max(1, filter.page ?? 1);
  const where = filters(filter);
  const [rows, [total]] = await Promise.all([
    db()
      .select({ name: p.name, normalizedName: p.normalizedName, repository: p.repository, categories: p.categories })
      .from(p)
      .where(where)
      .orderBy(asc(p.normalizedName))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)
      .all(),
    db().select({ n: count() }).from(p).where(where).all(),
  ]);
  return {
    packages: rows.map((r) => ({ ...r, categories: JSON.parse(r.categories) as string[] })),
    total: total?.n ?? 0,
    page,
    pageCount: Math.max(1, Math.ceil((total?.n ?? 0) / PAGE_SIZE)),
  };
}

export async function listCategories(): Promise<string[]> {
  const rows = await db().all<{ value: string }>(
    sql`SELECT DISTINCT json_each.value AS value FROM packages, json_each(packages.categories) ORDER BY value`,
  );
  return rows.map((r) => r.value);
}

export async function countPackages(): Promise<number> {
  const [row] = await db().select({ n: count() }).from(schema.packages).all();
  return row?.n ?? 0;
}

export function getPackage(name: string) {
  return db()
    .select()
    .from(schema.packages)
    .where(eq(schema.packages.normalizedName, normalizePackageName(name)))
    .get();
}
