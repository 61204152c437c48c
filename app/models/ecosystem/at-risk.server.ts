// A roadie's one-step actions on the review's "at risk and widely used" list: nominate the package
// (the nominations roadies triage, with the reasons as evidence) or ask its verified maintainers
// now through the dormant-package check-in. Who may act is the route's guard
// (requireRoadieOrWorkingGroup); each action re-reads the package and its reasons.
import { and, eq, inArray } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { listDjangoReleases } from "#app/models/ecosystem/releases.server.ts";
import { atRiskReasonLabels, type AtRiskReason } from "#app/models/ecosystem/labels.ts";
import { riskReasons } from "#app/models/ecosystem/popularity.server.ts";
import { loadHealthInputs } from "#app/models/packages/health-data.server.ts";
import { startCheckin } from "#app/models/packages/checkins.server.ts";
import { createNomination } from "#app/models/calls/nominations.server.ts";

async function atRiskPackage(normalizedName: string, now: number) {
  const pkg = await db()
    .select({ id: schema.packages.id, name: schema.packages.name })
    .from(schema.packages)
    .where(eq(schema.packages.normalizedName, normalizedName))
    .get();
  if (!pkg) return null;
  const [[input], releases] = await Promise.all([loadHealthInputs([pkg.id]), listDjangoReleases()]);
  return { ...pkg, normalizedName, reasons: input ? riskReasons(input, releases, now) : [], input };
}

/** "it has one verified maintainer and no release in 12 months." */
export function reasonSentence(reasons: AtRiskReason[]): string {
  const words = reasons.map((r) => atRiskReasonLabels[r].toLowerCase());
  const list = words.length > 1 ? `${words.slice(0, -1).join(", ")} and ${words.at(-1)}` : (words[0] ?? "");
  return `${list}.`.replace(/^./, (c) => c.toUpperCase());
}

export type NominateResult =
  { ok: true; nominationId: number; existing: boolean } | { ok: false; problem: "no-package" | "not-at-risk" };

/** Nominates the package unless a nomination of it is still being worked on (that one is returned). */
export async function nominateAtRisk(
  actorUserId: number,
  normalizedName: string,
  now = Date.now(),
): Promise<NominateResult> {
  const pkg = await atRiskPackage(normalizedName, now);
  if (!pkg) return { ok: false, problem: "no-package" };
  const n = schema.nominations;
  const active = await db()
    .select({ id: n.id })
    .from(n)
    .where(and(eq(n.normalizedName, normalizedName), inArray(n.status, ["open", "contacted", "proposed"])))
    .get();
  if (active) return { ok: true, nominationId: active.id, existing: true };
  if (!pkg.reasons.length) return { ok: false, problem: "not-at-risk" };
  const downloads = pkg.input?.meta?.downloadsLastMonth;
  const id = await createNomination(
    actorUserId,
    {
      packageName: pkg.name,
      reason: pkg.reasons.includes("not_current_django") ? "blocking-release" : "unmaintained",
      evidence: [`${env().appUrl}/packages/${normalizedName}`],
      details:
        `From the ecosystem review's list of widely used packages at risk` +
        (typeof downloads === "number" ? ` (${downloads.toLocaleString("en-GB")} downloads in the last 30 days)` : "") +
        `: ${reasonSentence(pkg.reasons)}`,
    },
    now,
  );
  return { ok: true, nominationId: id, existing: false };
}

export type CheckinResult =
  { ok: true; asked: number; sent: number } | { ok: false; problem: "no-package" | "not-at-risk" | "no-maintainer" };

/** Asks the package's verified maintainers now (once per quarter each), with the reasons it is at risk. */
export async function checkinAtRisk(
  actorUserId: number,
  normalizedName: string,
  now = Date.now(),
): Promise<CheckinResult> {
  const pkg = await atRiskPackage(normalizedName, now);
  if (!pkg) return { ok: false, problem: "no-package" };
  if (!pkg.reasons.length) return { ok: false, problem: "not-at-risk" };
  return startCheckin(actorUserId, pkg.id, reasonSentence(pkg.reasons), now);
}
