// Popularity next to health in the ecosystem review: where PyPI's downloads (last 30 days, from
// pypistats.org, synced into package_metadata) go by declared Django support and by maintenance
// state, and the widely used packages at risk. "Widely used" is the top quarter of the packages
// with a download figure, at most POPULAR_MAX: for thousands of packages, the 100 most downloaded.
// At risk: one verified maintainer, no release in 12 months, or the current Django not declared.
import { and, eq, inArray } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { compareVersions, declaresRelease, parseClassifiers } from "#app/models/ecosystem/classifiers.ts";
import { currentReleases, todayOf, type Release } from "#app/models/ecosystem/releases.server.ts";
import type { AtRiskReason } from "#app/models/ecosystem/labels.ts";
import type { HealthInput } from "#app/models/packages/health.server.ts";
import { maintenanceStates, stateLabels, type MaintenanceState } from "#app/models/packages/labels.ts";
import { quarterOf } from "#app/models/packages/checkins.server.ts";
import { DAY_MS } from "#app/utils/dates.ts";

export const POPULAR_MAX = 100;
/** Of the packages with a download figure, the most downloaded this share counts as widely used. */
export const POPULAR_SHARE = 0.25;

type Assessed = { input: HealthInput; state: MaintenanceState; rule: string };

const percent = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : 0);

/** Why a package is at risk, by the rules above (none: not at risk). */
export function riskReasons(input: HealthInput, releases: Release[], now: number): AtRiskReason[] {
  const reasons: AtRiskReason[] = [];
  if (input.verifiedMaintainers === 1) reasons.push("one_maintainer");
  const last = input.meta?.latestReleaseOn;
  if (!last || Date.parse(`${last}T00:00:00Z`) < now - 365 * DAY_MS) reasons.push("no_recent_release");
  const { latest } = currentReleases(releases, todayOf(now));
  if (latest && !declaresRelease(parseClassifiers(input.classifiers).django, latest.version)) {
    reasons.push("not_current_django");
  }
  return reasons;
}

export type AtRiskPackage = {
  id: number;
  name: string;
  normalizedName: string;
  downloadsLastMonth: number;
  /** Its place among the tracked packages by downloads (1 = most downloaded). */
  rank: number;
  state: MaintenanceState;
  stateLabel: string;
  verifiedMaintainers: number;
  lastRelease: string | null;
  reasons: AtRiskReason[];
};

export function popularityOf(packages: Assessed[], releases: Release[], now: number) {
  const today = todayOf(now);
  const counted = packages
    .filter((p) => typeof p.input.meta?.downloadsLastMonth === "number")
    .sort(
      (a, b) =>
        b.input.meta!.downloadsLastMonth! - a.input.meta!.downloadsLastMonth! ||
        a.input.normalizedName.localeCompare(b.input.normalizedName),
    );
  const downloads = (p: Assessed) => p.input.meta?.downloadsLastMonth ?? 0;
  const totalDownloads = counted.reduce((n, p) => n + downloads(p), 0);
  const relevant = releases
    .filter((r) => (r.dates.extendedSupportEnd ?? "9999") >= today && r.dates.releaseDate)
    .sort((a, b) => compareVersions(a.version, b.version));
  const declared = new Map(counted.map((p) => [p.input.id, parseClassifiers(p.input.classifiers).django]));
  const django = relevant.map((r) => {
    const n = counted
      .filter((p) => declaresRelease(declared.get(p.input.id)!, r.version))
      .reduce((s, p) => s + downloads(p), 0);
    return { label: r.version, downloads: n, share: percent(n, totalDownloads) };
  });
  const states = maintenanceStates.map((s) => {
    const n = counted.filter((p) => p.state === s).reduce((sum, p) => sum + downloads(p), 0);
    return { state: s, label: stateLabels[s], downloads: n, share: percent(n, totalDownloads) };
  });
  const { latest } = currentReleases(releases, today);
  const latestShare = latest ? (django.find((d) => d.label === latest.version) ?? null) : null;
  const popularCount = Math.min(POPULAR_MAX, Math.ceil(counted.filter((p) => downloads(p) > 0).length * POPULAR_SHARE));
  const popular = counted.slice(0, popularCount);
  const atRisk: AtRiskPackage[] = popular.flatMap((p, i) => {
    const reasons = riskReasons(p.input, releases, now);
    if (!reasons.length) return [];
    return [
      {
        id: p.input.id,
        name: p.input.name,
        normalizedName: p.input.normalizedName,
        downloadsLastMonth: downloads(p),
        rank: i + 1,
        state: p.state,
        stateLabel: stateLabels[p.state],
        verifiedMaintainers: p.input.verifiedMaintainers,
        lastRelease: p.input.meta?.latestReleaseOn ?? null,
        reasons,
      },
    ];
  });
  return {
    /** Packages with a download figure, of all tracked. */
    counted: counted.length,
    totalDownloads,
    current: latest ? { version: latest.version, share: latestShare?.share ?? 0 } : null,
    django,
    states,
    popularCount,
    /** The fewest downloads a widely used package has. */
    popularThreshold: popular.length ? downloads(popular.at(-1)!) : null,
    atRisk,
  };
}

export type Popularity = ReturnType<typeof popularityOf>;

/**
 * What a roadie needs beside each at-risk package to act in one step: an active nomination (to
 * open instead of nominating twice), and this quarter's check-ins (asked, answered).
 */
export async function atRiskActions(packages: Pick<AtRiskPackage, "id" | "normalizedName">[], now = Date.now()) {
  if (!packages.length) return {};
  const n = schema.nominations;
  const c = schema.maintenanceCheckins;
  const [nominations, checkins] = await Promise.all([
    db()
      .select({ id: n.id, normalizedName: n.normalizedName })
      .from(n)
      .where(
        and(
          inArray(
            n.normalizedName,
            packages.map((p) => p.normalizedName),
          ),
          inArray(n.status, ["open", "contacted", "proposed"]),
        ),
      )
      .all(),
    db()
      .select({ packageId: c.packageId, answer: c.answer })
      .from(c)
      .where(
        and(
          inArray(
            c.packageId,
            packages.map((p) => p.id),
          ),
          eq(c.quarter, quarterOf(now)),
        ),
      )
      .all(),
  ]);
  return Object.fromEntries(
    packages.map((p) => {
      const asked = checkins.filter((x) => x.packageId === p.id);
      return [
        p.normalizedName,
        {
          nominationId: nominations.find((x) => x.normalizedName === p.normalizedName)?.id ?? null,
          checkinsAsked: asked.length,
          checkinsAnswered: asked.filter((x) => x.answer !== null).length,
        },
      ];
    }),
  ) as Record<string, { nominationId: number | null; checkinsAsked: number; checkinsAnswered: number }>;
}

/** Rows of the review's CSV for popularity (same columns as reviewRows). */
export function popularityRows(p: Popularity): string[][] {
  const rows: string[][] = [];
  for (const d of p.django)
    rows.push([
      "downloads_by_declared_django",
      d.label,
      String(d.downloads),
      String(p.totalDownloads),
      String(d.share),
    ]);
  for (const s of p.states)
    rows.push([
      "downloads_by_maintenance_state",
      s.label,
      String(s.downloads),
      String(p.totalDownloads),
      String(s.share),
    ]);
  // One record per package and reason: "at_risk_one_maintainer", "at_risk_no_recent_release"…
  for (const a of p.atRisk) {
    const share = String(percent(a.downloadsLastMonth, p.totalDownloads));
    for (const r of a.reasons)
      rows.push([`at_risk_${r}`, a.name, String(a.downloadsLastMonth), String(p.totalDownloads), share]);
  }
  return rows;
}
