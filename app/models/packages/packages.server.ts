// Django packages known to Roadies: listing, search, lookup, and adding one with its first
// maintainer checked on GitHub. The maintainers themselves: maintainers.server.ts.
import { and, asc, count, eq, like, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { normalizePackageName } from "#app/models/packages/names.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { decryptSecret } from "#app/utils/crypto.server.ts";
import { fetchRepository, GitHubError } from "#app/utils/github.server.ts";
import { log } from "#app/utils/log.server.ts";
import type { User } from "#db/schema.ts";

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
    packages: rows,
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

// ---------------------------------------------------------------------------------------------
// Adding a package, its first maintainer verified through GitHub.

/** Answers for the person adding a package or confirming their access, in the product's words. */
export type PackageProblem =
  | "no_permission" // GitHub says they may only push, triage or read
  | "repo_not_found"
  | "github_down"
  | "github_rate_limited"
  | "sign_in_again"; // no usable token: their GitHub authorisation was revoked or never stored

export const packageProblemMessages: Record<PackageProblem, string> = {
  no_permission:
    "GitHub says you do not have the admin or maintain role on this repository, so Roadies cannot list you as its maintainer. Ask a maintainer with admin access to add the package and then add you.",
  repo_not_found:
    "GitHub has no repository with that name that your account can see. Check the owner and the name (private repositories are hidden from accounts without access).",
  github_down: "GitHub could not be reached just now. Nothing was saved: please try again in a minute.",
  github_rate_limited: "GitHub is limiting how often we may ask. Nothing was saved: please try again in a few minutes.",
  sign_in_again: "Your GitHub authorisation has expired or was revoked. Sign out and sign in again, then retry.",
};

/**
 * Asks GitHub, with the person's own token, whether they hold admin or maintain on owner/name.
 * Returns the repository's canonical full name and description when they do.
 */
export async function checkMaintainerPermission(
  user: Pick<User, "githubTokenEnc">,
  owner: string,
  name: string,
): Promise<{ ok: true; fullName: string; description: string | null } | { ok: false; problem: PackageProblem }> {
  const token = user.githubTokenEnc ? decryptSecret(user.githubTokenEnc) : null;
  if (!token) return { ok: false, problem: "sign_in_again" };
  try {
    const repo = await fetchRepository(token, owner, name);
    if (!repo.permissions.admin && !repo.permissions.maintain) return { ok: false, problem: "no_permission" };
    return { ok: true, fullName: repo.fullName, description: repo.description };
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    const problem: PackageProblem =
      error.kind === "not_found"
        ? "repo_not_found"
        : error.kind === "rate_limited"
          ? "github_rate_limited"
          : error.kind === "unauthorized"
            ? "sign_in_again"
            : error.kind === "denied"
              ? "repo_not_found"
              : "github_down";
    log.warn("GitHub permission check failed", { kind: error.kind, status: error.status });
    return { ok: false, problem };
  }
}

export type AddPackageResult =
  | { kind: "created"; normalizedName: string }
  | { kind: "exists"; normalizedName: string }
  | { kind: "problem"; problem: PackageProblem };

/**
 * Adds a package by PyPI name and GitHub repository, making the person its verified maintainer.
 * A package that already exists (by PEP 503 name) is never duplicated: the caller goes to it.
 */
export async function addPackage(
  user: Pick<User, "id" | "login" | "githubTokenEnc">,
  input: { name: string; repository: { owner: string; name: string } },
  now = Date.now(),
): Promise<AddPackageResult> {
  const normalizedName = normalizePackageName(input.name);
  const existing = await getPackage(normalizedName);
  if (existing) return { kind: "exists", normalizedName };
  const check = await checkMaintainerPermission(user, input.repository.owner, input.repository.name);
  if (!check.ok) return { kind: "problem", problem: check.problem };
  const p = schema.packages;
  const inserted = await db()
    .insert(p)
    .values({
      name: input.name,
      normalizedName,
      repository: check.fullName,
      pypiUrl: `https://pypi.org/project/${normalizedName}/`,
      description: check.description,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: p.id });
  // Someone else added it while GitHub was answering: theirs stands.
  if (!inserted[0]) return { kind: "exists", normalizedName };
  const packageId = inserted[0].id;
  await db().batch([
    db()
      .insert(schema.packageMaintainers)
      .values({
        packageId,
        userId: user.id,
        githubLogin: user.login,
        verifiedAt: now,
        addedByUserId: user.id,
        createdAt: now,
      })
      .onConflictDoNothing(),
    auditEntry(
      {
        actorUserId: user.id,
        action: "package.add",
        objectType: "package",
        objectId: packageId,
        detail: { repository: check.fullName },
      },
      now,
    ),
  ]);
  return { kind: "created", normalizedName };
}
