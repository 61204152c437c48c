// Django packages known to Roadies: listing, search and lookup.
import { and, asc, count, eq, isNotNull, isNull, like, or, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { normalizePackageName } from "#app/models/packages/names.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { decryptSecret } from "#app/utils/crypto.server.ts";
import { fetchRepository, GitHubError } from "#app/utils/github.server.ts";
import { log } from "#app/utils/log.server.ts";
import type { Package, User } from "#db/schema.ts";

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

// ---------------------------------------------------------------------------------------------
// [calls] Adding packages and their maintainers, verified through GitHub.

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

export type MaintainerRow = {
  id: number;
  login: string;
  name: string | null;
  userId: number | null;
  verified: boolean;
};

export async function listMaintainers(packageId: number): Promise<MaintainerRow[]> {
  const m = schema.packageMaintainers;
  const u = schema.users;
  const rows = await db()
    .select({ id: m.id, login: m.githubLogin, name: u.name, userId: m.userId, verifiedAt: m.verifiedAt })
    .from(m)
    .leftJoin(u, eq(u.id, m.userId))
    .where(eq(m.packageId, packageId))
    .orderBy(asc(m.createdAt), asc(m.id))
    .all();
  return rows.map((r) => ({
    id: r.id,
    login: r.login,
    name: r.name,
    userId: r.userId,
    verified: r.verifiedAt !== null,
  }));
}

/** Verified maintainers with an email address, for the calls area's messages. */
export function listMaintainerRecipients(packageId: number) {
  const m = schema.packageMaintainers;
  const u = schema.users;
  return db()
    .select({ id: u.id, login: u.login, name: u.name, email: u.email })
    .from(m)
    .innerJoin(u, eq(u.id, m.userId))
    .where(and(eq(m.packageId, packageId), isNotNull(m.verifiedAt)))
    .all();
}

export async function isVerifiedMaintainer(userId: number, packageId: number): Promise<boolean> {
  const m = schema.packageMaintainers;
  const row = await db()
    .select({ id: m.id })
    .from(m)
    .where(and(eq(m.packageId, packageId), eq(m.userId, userId), isNotNull(m.verifiedAt)))
    .get();
  return Boolean(row);
}

/** May this person manage the package (add maintainers, post and manage calls)? */
export async function canManagePackage(user: Pick<User, "id" | "isAdmin"> | null, packageId: number) {
  if (!user) return false;
  return user.isAdmin || isVerifiedMaintainer(user.id, packageId);
}

/** The maintainer row waiting for this person's confirmation (invited by login), if any. */
export function pendingMaintainership(user: Pick<User, "id" | "login">, packageId: number) {
  const m = schema.packageMaintainers;
  return db()
    .select({ id: m.id })
    .from(m)
    .where(
      and(
        eq(m.packageId, packageId),
        isNull(m.verifiedAt),
        or(eq(m.userId, user.id), and(isNull(m.userId), sql`lower(${m.githubLogin}) = lower(${user.login})`)),
      ),
    )
    .get();
}

/** A verified maintainer (or an admin) invites someone by GitHub login; they confirm on sign-in. */
export async function inviteMaintainer(
  actor: Pick<User, "id">,
  packageId: number,
  login: string,
  now = Date.now(),
): Promise<{ ok: true } | { ok: false; message: string }> {
  const m = schema.packageMaintainers;
  const existing = await db()
    .select({ id: m.id })
    .from(m)
    .where(and(eq(m.packageId, packageId), sql`lower(${m.githubLogin}) = lower(${login})`))
    .get();
  if (existing) return { ok: false, message: `@${login} is already listed for this package.` };
  const known = await db()
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(sql`lower(${schema.users.login}) = lower(${login})`)
    .get();
  await db().batch([
    db()
      .insert(m)
      .values({ packageId, userId: known?.id ?? null, githubLogin: login, addedByUserId: actor.id, createdAt: now })
      .onConflictDoNothing(),
    auditEntry(
      {
        actorUserId: actor.id,
        action: "package.maintainer.invite",
        objectType: "package",
        objectId: packageId,
        detail: { login },
      },
      now,
    ),
  ]);
  return { ok: true };
}

/**
 * An invited maintainer confirms: GitHub must say they hold admin or maintain on the repository.
 * Called from the package page and after every sign-in (see confirmMaintainershipsAfterSignIn).
 */
export async function confirmMaintainership(
  user: Pick<User, "id" | "login" | "githubTokenEnc">,
  pkg: Pick<Package, "id" | "repository">,
  now = Date.now(),
): Promise<{ ok: true } | { ok: false; problem: PackageProblem }> {
  const pending = await pendingMaintainership(user, pkg.id);
  const [owner, name] = (pkg.repository ?? "").split("/");
  if (!pending || !owner || !name) return { ok: false, problem: "no_permission" };
  const check = await checkMaintainerPermission(user, owner, name);
  if (!check.ok) return check;
  await db().batch([
    db()
      .update(schema.packageMaintainers)
      .set({ userId: user.id, githubLogin: user.login, verifiedAt: now })
      .where(eq(schema.packageMaintainers.id, pending.id)),
    auditEntry(
      { actorUserId: user.id, action: "package.maintainer.verify", objectType: "package", objectId: pkg.id },
      now,
    ),
  ]);
  return { ok: true };
}

/** After sign-in: confirm every package this login was invited to. Failures just stay pending. */
export async function confirmMaintainershipsAfterSignIn(user: Pick<User, "id" | "login" | "githubTokenEnc">) {
  const m = schema.packageMaintainers;
  const pending = await db()
    .select({ id: schema.packages.id, repository: schema.packages.repository })
    .from(m)
    .innerJoin(schema.packages, eq(schema.packages.id, m.packageId))
    .where(and(isNull(m.verifiedAt), or(eq(m.userId, user.id), sql`lower(${m.githubLogin}) = lower(${user.login})`)))
    .limit(20)
    .all();
  for (const pkg of pending) await confirmMaintainership(user, pkg);
}

/** The packages this person may post calls for (admins: every package, searched by name elsewhere). */
export function listManagedPackages(userId: number) {
  const m = schema.packageMaintainers;
  const p = schema.packages;
  return db()
    .select({ id: p.id, name: p.name, normalizedName: p.normalizedName })
    .from(m)
    .innerJoin(p, eq(p.id, m.packageId))
    .where(and(eq(m.userId, userId), isNotNull(m.verifiedAt)))
    .orderBy(asc(p.normalizedName))
    .all();
}
