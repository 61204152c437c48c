// Django packages known to Roadies: categories, lookup, and adding one with its first
// maintainer checked on GitHub and PyPI. The directory: directory.server.ts; maintainers: maintainers.server.ts.
import { and, count, eq, sql } from "drizzle-orm";
import { db, prepared, schema } from "#app/utils/db.server.ts";
import { normalizePackageName } from "#app/models/packages/names.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { checkClaim, type PackageProblem } from "#app/models/packages/claims.server.ts";
import { repositoryKey } from "#app/models/packages/repository-links.ts";
import { supersedeUnconfirmed, verifiedRowSql } from "#app/models/packages/maintainers.server.ts";
import type { MaintainerProof, Package, User } from "#db/schema.ts";

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

// Read on every package page and most package actions: built once (db.server.ts `prepared`).
const packageByName = prepared((d) =>
  d
    .select()
    .from(schema.packages)
    .where(eq(schema.packages.normalizedName, sql.placeholder("name")))
    .prepare(),
);

export function getPackage(name: string) {
  return packageByName().get({ name: normalizePackageName(name) });
}

// ---------------------------------------------------------------------------------------------
// Adding (claiming) a package: verified only when PyPI links it to the repository and GitHub
// confirms the person's role; otherwise "claimed, unconfirmed" (claims.server.ts, maintainers.server.ts).

export {
  checkMaintainerPermission,
  packageProblemMessages,
  type PackageProblem,
} from "#app/models/packages/claims.server.ts";

export type AddPackageResult =
  | { kind: "created"; normalizedName: string }
  /** Stored as "claimed, unconfirmed": PyPI does not link the project to the repository (yet). */
  | { kind: "claimed"; normalizedName: string; reason: "no_link" | "not_on_pypi" }
  | { kind: "exists"; normalizedName: string }
  | { kind: "problem"; problem: PackageProblem };

const m = schema.packageMaintainers;

/**
 * Adds a package by PyPI name and GitHub repository, or claims one already listed that has no
 * verified maintainer. The person must hold admin or maintain on the repository (else nothing is
 * saved); they become its verified maintainer only when PyPI links the project to the repository,
 * and the claim is kept as "claimed, unconfirmed" otherwise. A package is never duplicated (PEP
 * 503 name), and an unproven claim never changes the repository of a package already listed.
 */
export async function addPackage(
  user: Pick<User, "id" | "login" | "githubTokenEnc">,
  input: { name: string; repository: { owner: string; name: string } },
  now = Date.now(),
): Promise<AddPackageResult> {
  const normalizedName = normalizePackageName(input.name);
  const existing = await getPackage(normalizedName);
  if (existing && (await hasVerifiedMaintainer(existing.id))) return { kind: "exists", normalizedName };
  const check = await checkClaim(user, existing?.name ?? input.name, input.repository);
  if (!check.ok) return { kind: "problem", problem: check.problem };
  const reason = check.unproven;
  if (existing) return claimExisting(user, existing, check, reason, now);

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
      .insert(m)
      .values({
        packageId,
        userId: user.id,
        githubLogin: user.login,
        verifiedAt: check.proof ? now : null,
        claimedAt: now,
        proof: check.proof,
        addedByUserId: user.id,
        createdAt: now,
      })
      .onConflictDoNothing(),
    auditEntry(
      {
        actorUserId: user.id,
        action: check.proof ? "package.add" : "package.claim",
        objectType: "package",
        objectId: packageId,
        detail: { repository: check.fullName, proof: check.proof?.kind ?? null },
      },
      now,
    ),
  ]);
  return reason ? { kind: "claimed", normalizedName, reason } : { kind: "created", normalizedName };
}

async function hasVerifiedMaintainer(packageId: number) {
  const row = await db()
    .select({ id: m.id })
    .from(m)
    .where(and(eq(m.packageId, packageId), verifiedRowSql))
    .get();
  return Boolean(row);
}

/**
 * A claim on a package already listed with no verified maintainer. Proven: the person becomes its
 * verified maintainer, its repository is the proven one, and unconfirmed claims of others are
 * superseded. Unproven: recorded as "claimed, unconfirmed" only for the repository already listed.
 */
async function claimExisting(
  user: Pick<User, "id" | "login">,
  pkg: Package,
  check: { fullName: string; proof: MaintainerProof | null },
  reason: "no_link" | "not_on_pypi" | null,
  now: number,
): Promise<AddPackageResult> {
  const normalizedName = pkg.normalizedName;
  const sameRepository = repositoryKey(pkg.repository ?? "") === repositoryKey(check.fullName);
  if (!check.proof && !sameRepository) return { kind: "exists", normalizedName };
  const mine = await db()
    .select({ id: m.id })
    .from(m)
    .where(
      and(eq(m.packageId, pkg.id), sql`(${m.userId} = ${user.id} OR lower(${m.githubLogin}) = lower(${user.login}))`),
    )
    .get();
  const values = {
    userId: user.id,
    githubLogin: user.login,
    verifiedAt: check.proof ? now : null,
    claimedAt: now,
    proof: check.proof,
  };
  await db().batch([
    mine
      ? db().update(m).set(values).where(eq(m.id, mine.id))
      : db()
          .insert(m)
          .values({ ...values, packageId: pkg.id, addedByUserId: user.id, createdAt: now })
          .onConflictDoNothing(),
    db()
      .update(schema.packages)
      .set(check.proof && !sameRepository ? { repository: check.fullName, updatedAt: now } : { updatedAt: now })
      .where(eq(schema.packages.id, pkg.id)),
    auditEntry(
      {
        actorUserId: user.id,
        action: check.proof ? "package.maintainer.prove" : "package.claim",
        objectType: "package",
        objectId: pkg.id,
        detail: { repository: check.fullName, proof: check.proof?.kind ?? null },
      },
      now,
    ),
  ]);
  if (!check.proof) return { kind: "claimed", normalizedName, reason: reason ?? "no_link" };
  await supersedeUnconfirmed({ ...pkg, repository: check.fullName }, user.id, now);
  return { kind: "created", normalizedName };
}
