// Package maintainers: the one rule of who is a verified maintainer (`verifiedMaintainerSql`,
// `isVerifiedMaintainer`), the list of them, and inviting and confirming them through GitHub and
// PyPI. A "claimed, unconfirmed" link (`claimedAt` without `verifiedAt`) never counts as verified.
import { and, asc, eq, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type { AnyColumn } from "drizzle-orm";
import { db, prepared, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { checkClaim, type PackageProblem } from "#app/models/packages/claims.server.ts";
import { tellMaintainer } from "#app/models/packages/maintainer-notices.server.ts";
import type { MaintainerProof, Package, User } from "#db/schema.ts";

const m = schema.packageMaintainers;

/**
 * A `package_maintainers` row counts once PyPI linked the project to the repository and GitHub
 * confirmed the person's admin or maintain role on it (or an admin confirmed it with evidence):
 * the condition for queries that read the table themselves (joins, counts). Unconfirmed claims and
 * invitations have no `verifiedAt`.
 */
export const verifiedRowSql = sql`${m.verifiedAt} IS NOT NULL`;

/** A number, null (no one: the condition is false) or a column/expression of the outer query. */
type Ref = AnyColumn | SQL | number | null;

/** SQL: `userId` is a verified maintainer of `packageId` (numbers or columns of the outer query). */
export const verifiedMaintainerSql = (userId: Ref, packageId: Ref) =>
  sql`EXISTS (SELECT 1 FROM ${m} WHERE ${m.packageId} = ${packageId} AND ${m.userId} = ${userId} AND ${verifiedRowSql})`;

/** SQL: `userId` is a verified maintainer of at least one package (who the maintainer survey asks). */
export const maintainerOfAnySql = (userId: Ref) =>
  sql`EXISTS (SELECT 1 FROM ${m} WHERE ${m.userId} = ${userId} AND ${verifiedRowSql})`;

// The maintainer reads below run on every package page: each built once (db.server.ts `prepared`).
const verifiedRow = prepared((d) =>
  d
    .select({ id: m.id })
    .from(m)
    .where(and(eq(m.packageId, sql.placeholder("packageId")), eq(m.userId, sql.placeholder("userId")), verifiedRowSql))
    .prepare(),
);

export async function isVerifiedMaintainer(userId: number, packageId: number): Promise<boolean> {
  return Boolean(await verifiedRow().get({ userId, packageId }));
}

export type MaintainerStatus = "verified" | "unconfirmed" | "invited";

/** Shown next to each maintainer: how the link was proven, or why it is not. */
export const maintainerStatusLabels: Record<MaintainerStatus, string> = {
  verified: "verified",
  unconfirmed: "claimed, unconfirmed",
  invited: "invited, waiting for GitHub's confirmation",
};

export type MaintainerRow = {
  id: number;
  login: string;
  name: string | null;
  userId: number | null;
  verified: boolean;
  status: MaintainerStatus;
  proof: MaintainerProof | null;
};

const statusOf = (r: { verifiedAt: number | null; claimedAt: number | null }): MaintainerStatus =>
  r.verifiedAt !== null ? "verified" : r.claimedAt !== null ? "unconfirmed" : "invited";

const maintainerRows = prepared((d) =>
  d
    .select({
      id: m.id,
      login: m.githubLogin,
      name: schema.users.name,
      userId: m.userId,
      verifiedAt: m.verifiedAt,
      claimedAt: m.claimedAt,
      proof: m.proof,
    })
    .from(m)
    .leftJoin(schema.users, eq(schema.users.id, m.userId))
    .where(eq(m.packageId, sql.placeholder("packageId")))
    .orderBy(asc(m.createdAt), asc(m.id))
    .prepare(),
);

export async function listMaintainers(packageId: number): Promise<MaintainerRow[]> {
  const rows = await maintainerRows().all({ packageId });
  return rows.map((r) => ({
    id: r.id,
    login: r.login,
    name: r.name,
    userId: r.userId,
    verified: r.verifiedAt !== null,
    status: statusOf(r),
    proof: r.verifiedAt !== null ? r.proof : null,
  }));
}

/** Verified maintainers with an email address, for the calls area's messages. */
export function listMaintainerRecipients(packageId: number) {
  const u = schema.users;
  return db()
    .select({ id: u.id, login: u.login, name: u.name, email: deliveryAddress })
    .from(m)
    .innerJoin(u, eq(u.id, m.userId))
    .where(and(eq(m.packageId, packageId), verifiedRowSql))
    .all();
}

/** May this person manage the package (add maintainers, post and manage calls)? */
export async function canManagePackage(user: Pick<User, "id" | "isAdmin"> | null, packageId: number) {
  if (!user) return false;
  return user.isAdmin || isVerifiedMaintainer(user.id, packageId);
}

/** The maintainer row waiting for this person's confirmation (invited by login), if any. */
const pendingRow = prepared((d) =>
  d
    .select({ id: m.id })
    .from(m)
    .where(
      and(
        eq(m.packageId, sql.placeholder("packageId")),
        isNull(m.verifiedAt),
        or(
          eq(m.userId, sql.placeholder("userId")),
          and(isNull(m.userId), sql`lower(${m.githubLogin}) = lower(${sql.placeholder("login")})`),
        ),
      ),
    )
    .prepare(),
);

export function pendingMaintainership(user: Pick<User, "id" | "login">, packageId: number) {
  return pendingRow().get({ packageId, userId: user.id, login: user.login });
}

/** A verified maintainer (or an admin) invites someone by GitHub login; they confirm on sign-in. */
export async function inviteMaintainer(
  actor: Pick<User, "id">,
  packageId: number,
  login: string,
  now = Date.now(),
): Promise<{ ok: true } | { ok: false; message: string }> {
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
 * An invited maintainer confirms, or a "claimed, unconfirmed" maintainer checks again: GitHub must
 * say they hold admin or maintain on the repository, and PyPI must link the project to it. Called
 * from the package pages and after every sign-in (see confirmMaintainershipsAfterSignIn).
 */
export async function confirmMaintainership(
  user: Pick<User, "id" | "login" | "githubTokenEnc">,
  pkg: Pick<Package, "id" | "name" | "normalizedName" | "repository">,
  now = Date.now(),
): Promise<{ ok: true } | { ok: false; problem: PackageProblem }> {
  const pending = await pendingMaintainership(user, pkg.id);
  const [owner, name] = (pkg.repository ?? "").split("/");
  if (!pending || !owner || !name) return { ok: false, problem: "no_permission" };
  const check = await checkClaim(user, pkg.name, { owner, name });
  if (!check.ok) return check;
  if (!check.proof) return { ok: false, problem: "no_proof" };
  await db().batch([
    db()
      .update(m)
      .set({ userId: user.id, githubLogin: user.login, verifiedAt: now, proof: check.proof })
      .where(and(eq(m.id, pending.id), isNull(m.verifiedAt))),
    auditEntry(
      {
        actorUserId: user.id,
        action: "package.maintainer.verify",
        objectType: "package",
        objectId: pkg.id,
        detail: { proof: check.proof.kind, repository: check.fullName },
      },
      now,
    ),
  ]);
  await supersedeUnconfirmed(pkg, user.id, now);
  return { ok: true };
}

/**
 * A proven claim (or an admin's confirmation) supersedes the unconfirmed claims of everyone else
 * on the package: they are removed, audited, and their holders told.
 */
export async function supersedeUnconfirmed(
  pkg: Pick<Package, "id" | "name" | "normalizedName" | "repository">,
  provenByUserId: number,
  now = Date.now(),
) {
  const unconfirmed = await db()
    .select({ id: m.id, userId: m.userId, login: m.githubLogin })
    .from(m)
    .where(
      and(
        eq(m.packageId, pkg.id),
        isNull(m.verifiedAt),
        isNotNull(m.claimedAt),
        sql`${m.userId} IS NOT ${provenByUserId}`,
      ),
    )
    .all();
  for (const row of unconfirmed) {
    const [deleted] = await db().batch([
      db()
        .delete(m)
        .where(and(eq(m.id, row.id), isNull(m.verifiedAt)))
        .returning({ id: m.id }),
      auditEntry(
        {
          actorUserId: provenByUserId,
          action: "package.maintainer.supersede",
          objectType: "package",
          objectId: pkg.id,
          detail: { login: row.login },
        },
        now,
      ),
    ]);
    if (deleted.length) await tellMaintainer({ rowId: row.id, userId: row.userId }, pkg, { kind: "superseded" });
  }
}

/** After sign-in: confirm every package this login was invited to. Failures just stay pending. */
export async function confirmMaintainershipsAfterSignIn(user: Pick<User, "id" | "login" | "githubTokenEnc">) {
  const p = schema.packages;
  const pending = await db()
    .select({ id: p.id, name: p.name, normalizedName: p.normalizedName, repository: p.repository })
    .from(m)
    .innerJoin(p, eq(p.id, m.packageId))
    .where(
      and(
        isNull(m.verifiedAt),
        isNull(m.claimedAt),
        or(eq(m.userId, user.id), sql`lower(${m.githubLogin}) = lower(${user.login})`),
      ),
    )
    .limit(20)
    .all();
  for (const pkg of pending) await confirmMaintainership(user, pkg);
}

/** The packages this person may post calls for (admins: every package, searched by name elsewhere). */
export function listManagedPackages(userId: number) {
  const p = schema.packages;
  return db()
    .select({ id: p.id, name: p.name, normalizedName: p.normalizedName })
    .from(m)
    .innerJoin(p, eq(p.id, m.packageId))
    .where(and(eq(m.userId, userId), verifiedRowSql))
    .orderBy(asc(p.normalizedName))
    .all();
}
