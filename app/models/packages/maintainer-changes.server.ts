// Changes to a package's maintainers by people: stepping down, removal by a verified co-maintainer
// or an admin, and an admin confirming an unconfirmed claim with recorded evidence. Each is audited;
// a removed person is told.
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { isVerifiedMaintainer, supersedeUnconfirmed } from "#app/models/packages/maintainers.server.ts";
import { tellMaintainer } from "#app/models/packages/maintainer-notices.server.ts";
import type { Package, User } from "#db/schema.ts";

const m = schema.packageMaintainers;

type Pkg = Pick<Package, "id" | "name" | "normalizedName" | "repository">;
export type ChangeResult = { ok: true } | { ok: false; message: string };

const rowOf = (pkg: Pkg, rowId: number) =>
  db()
    .select()
    .from(m)
    .where(and(eq(m.id, rowId), eq(m.packageId, pkg.id)))
    .get();

/** The person leaves the package's maintainers (verified, unconfirmed or invited alike). */
export async function stepDown(user: Pick<User, "id">, pkg: Pkg, now = Date.now()): Promise<ChangeResult> {
  const row = await db()
    .select({ id: m.id, login: m.githubLogin })
    .from(m)
    .where(and(eq(m.packageId, pkg.id), eq(m.userId, user.id)))
    .get();
  if (!row) return { ok: false, message: "You are not listed as a maintainer of this package." };
  await db().batch([
    db().delete(m).where(eq(m.id, row.id)),
    auditEntry(
      {
        actorUserId: user.id,
        action: "package.maintainer.step_down",
        objectType: "package",
        objectId: pkg.id,
        detail: { login: row.login },
      },
      now,
    ),
  ]);
  return { ok: true };
}

/** May `user` remove other maintainers of the package? Verified co-maintainers and admins. */
export async function canRemoveMaintainers(user: Pick<User, "id" | "isAdmin"> | null, packageId: number) {
  if (!user) return false;
  return user.isAdmin || isVerifiedMaintainer(user.id, packageId);
}

/** A verified co-maintainer or an admin removes a maintainer row; the person is told. */
export async function removeMaintainer(
  actor: Pick<User, "id" | "isAdmin">,
  pkg: Pkg,
  rowId: number,
  now = Date.now(),
): Promise<ChangeResult> {
  const row = await rowOf(pkg, rowId);
  if (!row) return { ok: false, message: "That maintainer is no longer listed." };
  if (row.userId === actor.id) return { ok: false, message: "To leave the package yourself, step down." };
  const coMaintainer = await isVerifiedMaintainer(actor.id, pkg.id);
  if (!coMaintainer && !actor.isAdmin)
    return { ok: false, message: "Only verified maintainers and admins may remove maintainers." };
  const [deleted] = await db().batch([
    db().delete(m).where(eq(m.id, row.id)).returning({ id: m.id }),
    auditEntry(
      {
        actorUserId: actor.id,
        action: "package.maintainer.remove",
        objectType: "package",
        objectId: pkg.id,
        detail: { login: row.githubLogin, as: coMaintainer ? "co-maintainer" : "admin" },
      },
      now,
    ),
  ]);
  if (deleted.length) {
    await tellMaintainer({ rowId: row.id, userId: row.userId }, pkg, {
      kind: "removed",
      by: coMaintainer ? "co-maintainer" : "admin",
    });
  }
  return { ok: true };
}

/**
 * An admin confirms a "claimed, unconfirmed" link with recorded evidence (a note and, if any, a
 * URL). Never their own claim. The claim becomes verified; other unconfirmed claims are superseded.
 */
export async function adminConfirmClaim(
  admin: Pick<User, "id" | "isAdmin">,
  pkg: Pkg,
  input: { maintainerId: number; note: string; url?: string | undefined },
  now = Date.now(),
): Promise<ChangeResult> {
  if (!admin.isAdmin) return { ok: false, message: "Only admins may confirm a claim." };
  const row = await rowOf(pkg, input.maintainerId);
  if (!row || row.verifiedAt !== null || row.claimedAt === null || row.userId === null) {
    return { ok: false, message: "Only an unconfirmed claim can be confirmed." };
  }
  if (row.userId === admin.id) return { ok: false, message: "Another admin must confirm your own claim." };
  const url = input.url ?? null;
  const [updated] = await db().batch([
    db()
      .update(m)
      .set({ verifiedAt: now, proof: { kind: "admin", byUserId: admin.id, note: input.note, url } })
      .where(and(eq(m.id, row.id), isNull(m.verifiedAt), isNotNull(m.claimedAt)))
      .returning({ id: m.id }),
    auditEntry(
      {
        actorUserId: admin.id,
        action: "package.maintainer.admin_confirm",
        objectType: "package",
        objectId: pkg.id,
        detail: { login: row.githubLogin, evidenceUrl: url },
      },
      now,
    ),
  ]);
  if (!updated.length) return { ok: false, message: "Only an unconfirmed claim can be confirmed." };
  await supersedeUnconfirmed(pkg, row.userId, now);
  return { ok: true };
}
