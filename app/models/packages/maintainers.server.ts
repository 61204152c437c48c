// Package maintainers: the one rule of who is a verified maintainer (`verifiedMaintainerSql`,
// `isVerifiedMaintainer`), the list of them, and inviting and confirming them through GitHub.
import { and, asc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { AnyColumn } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { checkMaintainerPermission, type PackageProblem } from "#app/models/packages/packages.server.ts";
import type { Package, User } from "#db/schema.ts";

const m = schema.packageMaintainers;

/**
 * A `package_maintainers` row counts once GitHub confirmed the person's admin or maintain role:
 * the condition for queries that read the table themselves (joins, counts).
 */
export const verifiedRowSql = sql`${m.verifiedAt} IS NOT NULL`;

/** A number, null (no one: the condition is false) or a column/expression of the outer query. */
type Ref = AnyColumn | SQL | number | null;

/** SQL: `userId` is a verified maintainer of `packageId` (numbers or columns of the outer query). */
export const verifiedMaintainerSql = (userId: Ref, packageId: Ref) =>
  sql`EXISTS (SELECT 1 FROM ${m} WHERE ${m.packageId} = ${packageId} AND ${m.userId} = ${userId} AND ${verifiedRowSql})`;

export async function isVerifiedMaintainer(userId: number, packageId: number): Promise<boolean> {
  const row = await db()
    .select({ id: m.id })
    .from(m)
    .where(and(eq(m.packageId, packageId), eq(m.userId, userId), verifiedRowSql))
    .get();
  return Boolean(row);
}

export type MaintainerRow = {
  id: number;
  login: string;
  name: string | null;
  userId: number | null;
  verified: boolean;
};

export async function listMaintainers(packageId: number): Promise<MaintainerRow[]> {
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
  const u = schema.users;
  return db()
    .select({ id: u.id, login: u.login, name: u.name, email: u.email })
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
export function pendingMaintainership(user: Pick<User, "id" | "login">, packageId: number) {
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
  const p = schema.packages;
  return db()
    .select({ id: p.id, name: p.name, normalizedName: p.normalizedName })
    .from(m)
    .innerJoin(p, eq(p.id, m.packageId))
    .where(and(eq(m.userId, userId), verifiedRowSql))
    .orderBy(asc(p.normalizedName))
    .all();
}
