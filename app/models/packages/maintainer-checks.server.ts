// The daily re-check of a package's verified maintainers, run by the sync (app/jobs/sync.server.ts):
// GitHub must still give each of them admin or maintain on the repository (with their own token);
// a renamed repository is followed (GitHub redirects to the new full name) and kept when PyPI still
// links the project to it; links verified before PyPI proof was required are checked once for it.
// A maintainer who fails becomes "claimed, unconfirmed", audited, and is told.
import { and, eq, inArray } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { checkMaintainerPermission } from "#app/models/packages/claims.server.ts";
import { findProof, type ProofResult } from "#app/models/packages/proof.server.ts";
import { repositoryKey } from "#app/models/packages/repository-links.ts";
import { verifiedRowSql } from "#app/models/packages/maintainers.server.ts";
import { tellMaintainer } from "#app/models/packages/maintainer-notices.server.ts";
import type { Package } from "#db/schema.ts";

const m = schema.packageMaintainers;

export type RecheckOutcome = {
  /** Maintainers whose permission GitHub answered for. */
  checked: number;
  /** No usable token, or GitHub/PyPI unreachable: left as they were. */
  unchecked: number;
  lapsed: number;
  /** The repository's new full name, when GitHub says it was renamed and PyPI still links it. */
  renamedTo: string | null;
};

type Pkg = Pick<Package, "id" | "name" | "normalizedName" | "repository">;

export async function recheckMaintainers(pkg: Pkg, now = Date.now()): Promise<RecheckOutcome> {
  const outcome: RecheckOutcome = { checked: 0, unchecked: 0, lapsed: 0, renamedTo: null };
  const [owner, name] = (pkg.repository ?? "").split("/");
  if (!owner || !name) return outcome;
  const rows = await db()
    .select({
      id: m.id,
      userId: m.userId,
      login: m.githubLogin,
      verifiedAt: m.verifiedAt,
      proof: m.proof,
      githubTokenEnc: schema.users.githubTokenEnc,
    })
    .from(m)
    .innerJoin(schema.users, eq(schema.users.id, m.userId))
    .where(and(eq(m.packageId, pkg.id), verifiedRowSql))
    .all();
  if (rows.length === 0) return outcome;

  const lapse = new Map<number, "permission" | "link">();
  let fullName: string | null = null;
  for (const row of rows) {
    const check = await checkMaintainerPermission(row, owner, name);
    if (check.ok) {
      outcome.checked++;
      fullName ??= check.fullName;
    } else if (check.problem === "no_permission" || check.problem === "repo_not_found") {
      outcome.checked++;
      lapse.set(row.id, "permission");
    } else {
      outcome.unchecked++;
    }
  }

  // Proof is read once per package: for a renamed repository, and for links verified without it.
  let proof: ProofResult | null = null;
  const renamed = fullName !== null && repositoryKey(fullName) !== repositoryKey(pkg.repository ?? "");
  if (renamed || rows.some((r) => r.proof === null)) {
    proof = await findProof(pkg.name, [fullName ?? pkg.repository!, pkg.repository!]);
  }
  const linkLost = proof !== null && !proof.ok && proof.reason !== "pypi_down";
  if (linkLost) {
    for (const row of rows) {
      // An admin's recorded evidence stands for the link; a missing proof or a rename does not.
      if (!lapse.has(row.id) && (row.proof === null || (renamed && row.proof.kind !== "admin"))) {
        lapse.set(row.id, "link");
      }
    }
  }
  if (proof?.ok && renamed) {
    await db().batch([
      db().update(schema.packages).set({ repository: fullName, updatedAt: now }).where(eq(schema.packages.id, pkg.id)),
      auditEntry(
        {
          actorUserId: null,
          action: "package.repository.rename",
          objectType: "package",
          objectId: pkg.id,
          detail: { from: pkg.repository, to: fullName },
        },
        now,
      ),
    ]);
    outcome.renamedTo = fullName;
  }
  if (proof?.ok) {
    const legacy = rows.filter((r) => r.proof === null && !lapse.has(r.id)).map((r) => r.id);
    if (legacy.length) await db().update(m).set({ proof: proof.proof }).where(inArray(m.id, legacy));
  }

  const current = { ...pkg, repository: outcome.renamedTo ?? pkg.repository };
  for (const row of rows) {
    const reason = lapse.get(row.id);
    if (!reason) continue;
    const [updated] = await db().batch([
      db()
        .update(m)
        .set({ verifiedAt: null, claimedAt: now, proof: null })
        .where(and(eq(m.id, row.id), eq(m.verifiedAt, row.verifiedAt!)))
        .returning({ id: m.id }),
      auditEntry(
        {
          actorUserId: null,
          action: "package.maintainer.lapse",
          objectType: "package",
          objectId: pkg.id,
          detail: { login: row.login, reason },
        },
        now,
      ),
    ]);
    if (!updated.length) continue;
    outcome.lapsed++;
    await tellMaintainer({ rowId: row.id, userId: row.userId }, current, {
      kind: "lapsed",
      reason,
      verifiedAt: row.verifiedAt!,
    });
  }
  return outcome;
}
