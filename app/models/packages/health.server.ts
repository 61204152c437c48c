// Package health: explained signals, the maintenance state with the rule that decided it, the
// best-practice check, and per-release compatibility (declared, reported, maybe, unknown).
// The rules are pure functions over loaded inputs so the package page, the compatibility drives,
// the ecosystem review and the check-in job all judge a package the same way.
import { and, count, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import {
  compareVersions,
  declaresRelease,
  parseClassifiers,
  pythonsAllowed,
} from "#app/models/ecosystem/classifiers.ts";
import { currentReleases, listDjangoReleases, todayOf, type Release } from "#app/models/ecosystem/releases.server.ts";
import type { CheckinAnswer, CompatStatus } from "#db/schema/ecosystem.ts";
import { compatLabels, type CompatView } from "#app/models/ecosystem/labels.ts";
import { isEffectiveAdmin } from "#app/models/people/powers.server.ts";

const DAY = 24 * 60 * 60 * 1000;

export type HealthInput = {
  id: number;
  name: string;
  normalizedName: string;
  repository: string | null;
  classifiers: string[];
  meta: typeof schema.packageMetadata.$inferSelect | null;
  verifiedMaintainers: number;
  openCalls: number;
  reports: Map<string, CompatStatus>;
  /** The latest check-in answer and when it was given. */
  checkin: { answer: CheckinAnswer; answeredAt: number } | null;
};

export type SignalLevel = "good" | "warning" | "problem" | "info";
export type Signal = { id: string; label: string; level: SignalLevel; detail: string };

export const maintenanceStates = ["healthy", "needs_attention", "dormant", "archived", "unknown"] as const;
export type MaintenanceState = (typeof maintenanceStates)[number];
export const stateLabels: Record<MaintenanceState, string> = {
  healthy: "Healthy",
  needs_attention: "Needs attention",
  dormant: "Dormant",
  archived: "Archived",
  unknown: "Not checked yet",
};

export type PracticeCheck = { id: string; label: string; passed: boolean; detail: string; guide: string };

const daysBetween = (from: string | number, to: number) =>
  Math.floor((to - (typeof from === "number" ? from : Date.parse(`${from}T00:00:00Z`))) / DAY);

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function ago(days: number): string {
  if (days < 60) return plural(days, "day");
  if (days < 730) return plural(Math.round(days / 30.4), "month");
  return `${(days / 365.25).toFixed(1)} years`;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

/** The release date of the latest Django feature release that is at least six months old. */
function dormancyReference(releases: Release[], today: string): Release | undefined {
  return releases
    .filter((r) => r.dates.releaseDate && addMonths(r.dates.releaseDate, 6) <= today)
    .sort((a, b) => compareVersions(b.version, a.version))[0];
}

export function assessState(
  input: HealthInput,
  releases: Release[],
  now: number,
): { state: MaintenanceState; rule: string } {
  const today = todayOf(now);
  const m = input.meta;
  if (m?.githubArchived) return { state: "archived", rule: "The repository is archived on GitHub: it is read-only." };
  const answer = input.checkin;
  if (answer && now - answer.answeredAt < 92 * DAY) {
    const when = todayOf(answer.answeredAt);
    if (answer.answer === "want_to_hand_over") {
      return { state: "needs_attention", rule: `On ${when} its maintainers said they want to hand it over.` };
    }
    if (answer.answer === "would_like_help") {
      return { state: "needs_attention", rule: `On ${when} its maintainers said they would like help.` };
    }
  }
  if (!m?.latestReleaseOn) {
    return m?.pypiMissing
      ? { state: "unknown", rule: "PyPI does not know this package, so its releases cannot be checked." }
      : { state: "unknown", rule: "Its metadata has not been synced from PyPI yet." };
  }
  const lastRelease = m.latestReleaseOn;
  const stillMaintained = answer?.answer === "still_maintained" && now - answer.answeredAt < 92 * DAY;
  const reference = dormancyReference(releases, today);
  const lastActivity = Math.max(Date.parse(`${lastRelease}T00:00:00Z`), m.githubPushedAt ?? 0);
  if (!stillMaintained) {
    if (reference && lastRelease < reference.dates.releaseDate!) {
      return {
        state: "dormant",
        rule: `No release since Django ${reference.version} came out on ${reference.dates.releaseDate}, more than 6 months ago (last release ${lastRelease}).`,
      };
    }
    if (now - lastActivity > 365 * DAY) {
      return {
        state: "dormant",
        rule: `No release and no push for 12 months (last activity ${todayOf(lastActivity)}).`,
      };
    }
  }
  const { supported } = currentReleases(releases, today);
  const declared = parseClassifiers(input.classifiers).django;
  if (supported.length && !supported.some((r) => declaresRelease(declared, r.version))) {
    return {
      state: "needs_attention",
      rule: `It declares none of the Django versions supported today (${supported.map((r) => r.version).join(", ")}).`,
    };
  }
  if (daysBetween(lastRelease, now) > 365) {
    return { state: "needs_attention", rule: `Its last release (${lastRelease}) is more than 12 months old.` };
  }
  if (stillMaintained) {
    return {
      state: "healthy",
      rule: `Its maintainers confirmed on ${todayOf(answer!.answeredAt)} that it is maintained.`,
    };
  }
  return {
    state: "healthy",
    rule: "Released since the latest Django feature release that is over 6 months old, active in the last 12 months, and declares a supported Django.",
  };
}

export function healthSignals(input: HealthInput, releases: Release[], now: number): Signal[] {
  const today = todayOf(now);
  const { latest, lts } = currentReleases(releases, today);
  const declared = parseClassifiers(input.classifiers);
  const m = input.meta;
  const signals: Signal[] = [];
  const supports = (r: Release | undefined, what: string, id: string) => {
    if (!r) return;
    const ok = declaresRelease(declared.django, r.version);
    signals.push({
      id,
      label: `Supports ${what} (Django ${r.version})`,
      level: ok ? "good" : "warning",
      detail: ok
        ? `Its classifiers declare Django ${r.version}.`
        : `Its classifiers do not declare Django ${r.version}. Classifiers often lag behind the code, so it may still work.`,
    });
  };
  supports(lts, "the current LTS", "lts");
  if (latest?.version !== lts?.version) supports(latest, "the latest release", "latest");

  // Python: the versions Django supports for the newest Django the package declares.
  const newestDeclared = releases
    .filter((r) => declaresRelease(declared.django, r.version) && r.pythonVersions.length)
    .sort((a, b) => compareVersions(b.version, a.version))[0];
  if (newestDeclared) {
    const missing = newestDeclared.pythonVersions.filter((p) => !declared.python.includes(p));
    const allowed = pythonsAllowed(m?.requiresPython ?? null, newestDeclared.pythonVersions);
    signals.push({
      id: "python",
      label: "Python versions in line with Django's",
      level: missing.length === 0 && allowed.length === newestDeclared.pythonVersions.length ? "good" : "warning",
      detail:
        missing.length === 0
          ? `Declares every Python that Django ${newestDeclared.version} supports (${newestDeclared.pythonVersions.join(", ")}).`
          : `Django ${newestDeclared.version} supports Python ${newestDeclared.pythonVersions.join(", ")}; the package does not declare ${missing.join(", ")}.`,
    });
  }

  if (m?.latestReleaseOn) {
    const days = daysBetween(m.latestReleaseOn, now);
    signals.push({
      id: "last-release",
      label: "Time since the last release",
      level: days <= 365 ? "good" : "warning",
      detail: `${m.latestVersion ? `Version ${m.latestVersion}` : "The last release"} came out ${ago(days)} ago (${m.latestReleaseOn}).`,
    });
    const dates = JSON.parse(m.releaseDates) as string[];
    const recent = dates.slice(-6);
    const gaps = recent.slice(1).map((d, i) => daysBetween(recent[i]!, Date.parse(`${d}T00:00:00Z`)));
    const typical = median(gaps);
    signals.push({
      id: "cadence",
      label: "Release cadence",
      level: "info",
      detail:
        typical === null
          ? `${plural(dates.length, "release")} on PyPI: too few to tell a rhythm.`
          : `${plural(dates.length, "release")} on PyPI; recently one every ${ago(typical)} or so.`,
    });
  } else {
    signals.push({
      id: "last-release",
      label: "Time since the last release",
      level: "info",
      detail: m?.pypiMissing ? "PyPI does not know this package." : "Not synced from PyPI yet.",
    });
  }
  if (m?.githubOpenIssues !== null && m?.githubOpenIssues !== undefined) {
    signals.push({
      id: "issues",
      label: "Open issues",
      level: m.githubOpenIssues > 150 ? "warning" : "info",
      detail: `${plural(m.githubOpenIssues, "open issue")} and pull requests on GitHub.`,
    });
  }
  signals.push({
    id: "maintainers",
    label: "Verified maintainers on Roadies",
    level: input.verifiedMaintainers >= 2 ? "good" : input.verifiedMaintainers === 1 ? "warning" : "info",
    detail:
      input.verifiedMaintainers === 0
        ? "No maintainer has verified this package on Roadies yet."
        : input.verifiedMaintainers === 1
          ? "Only one verified maintainer: if they step away, nobody here can act for the package. Finding a co-maintainer early helps."
          : `${input.verifiedMaintainers} verified maintainers.`,
  });
  if (m?.githubArchived !== null && m?.githubArchived !== undefined) {
    signals.push({
      id: "archived",
      label: "Archived",
      level: m.githubArchived ? "problem" : "good",
      detail: m.githubArchived
        ? "The repository is archived: no new issues or changes."
        : "The repository is not archived.",
    });
  }
  signals.push({
    id: "calls",
    label: "Open calls",
    level: "info",
    detail: input.openCalls ? `${plural(input.openCalls, "call")} for help open on Roadies.` : "No open call for help.",
  });
  return signals;
}

export function practiceChecks(input: HealthInput, releases: Release[], now: number): PracticeCheck[] {
  const today = todayOf(now);
  const declared = parseClassifiers(input.classifiers);
  const m = input.meta;
  const { supported } = currentReleases(releases, today);
  const declaredReleases = releases.filter((r) => declaresRelease(declared.django, r.version));
  const pythonsOfDeclared = [...new Set(declaredReleases.flatMap((r) => r.pythonVersions))].sort(compareVersions);
  const requires = m?.requiresPython ?? null;
  const allowedDeclared = requires ? pythonsAllowed(requires, declared.python) : declared.python;
  const consistent =
    Boolean(requires) &&
    pythonsAllowed(requires, pythonsOfDeclared).length > 0 &&
    allowedDeclared.length === declared.python.length;
  const license = m?.license || m?.githubLicense || declared.license;
  const urls = Object.values(JSON.parse(m?.projectUrls ?? "{}") as Record<string, string>);
  const source = input.repository || urls.find((u) => /github\.com|gitlab\.com|codeberg\.org|bitbucket\.org/.test(u));
  const released = m?.latestReleaseOn ? daysBetween(m.latestReleaseOn, now) <= 365 : false;
  return [
    {
      id: "declares-django",
      label: "Declares the Django versions it supports",
      passed: declared.django.length > 0,
      detail: declared.django.length
        ? `Classifiers name Django ${declared.django.join(", ")}.`
        : "No “Framework :: Django :: X.Y” classifier.",
      guide: "/guides#classifiers",
    },
    {
      id: "requires-python",
      label: "requires_python is consistent with them",
      passed: consistent,
      detail: !requires
        ? "No requires_python: pip cannot keep older Pythons from installing it."
        : consistent
          ? `requires_python “${requires}” allows the Pythons its Django versions support and every Python it declares.`
          : `requires_python “${requires}” does not fit the declared Python or Django versions.`,
      guide: "/guides#classifiers",
    },
    {
      id: "supported-django",
      label: "Supports a currently supported Django",
      passed: supported.some((r) => declaresRelease(declared.django, r.version)),
      detail: `Supported today: Django ${supported.map((r) => r.version).join(", ")}.`,
      guide: "/guides#supported-versions",
    },
    {
      id: "license",
      label: "Has a licence",
      passed: Boolean(license),
      detail: license ? `Licence: ${license}.` : "No licence in the package metadata or on GitHub.",
      guide: "/guides#trusted-publishing",
    },
    {
      id: "source",
      label: "Links its source repository",
      passed: Boolean(source),
      detail: source ? "The source repository is linked." : "No link to the source repository.",
      guide: "/guides#naming",
    },
    {
      id: "recent-release",
      label: "Released in the last 12 months",
      passed: released,
      detail: m?.latestReleaseOn ? `Last release on ${m.latestReleaseOn}.` : "No release known yet.",
      guide: "/guides#pre-releases",
    },
  ];
}

// ---- compatibility -----------------------------------------------------------------------------

export { compatLabels, type CompatView };

/** A package's status for one release: its classifiers first, then its maintainers' word. */
export function compatFor(input: HealthInput, release: string, releases: Release[]): CompatView {
  const declared = parseClassifiers(input.classifiers).django;
  if (declaresRelease(declared, release)) return "declared";
  const reported = input.reports.get(release);
  if (reported) return reported;
  const ordered = [...releases].sort((a, b) => compareVersions(a.version, b.version));
  const previous = ordered[ordered.findIndex((r) => r.version === release) - 1];
  return previous && declaresRelease(declared, previous.version) ? "maybe" : "unknown";
}

// ---- loading -----------------------------------------------------------------------------------

async function tableExists(name: string): Promise<boolean> {
  const row = await db().get<{ n: number }>(
    sql`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ${name}`,
  );
  return Boolean(row?.n);
}

/** Everything the rules need, for some packages or all, in a handful of queries. */
export async function loadHealthInputs(packageIds?: number[]): Promise<HealthInput[]> {
  const p = schema.packages;
  const only = <T extends { packageId: unknown }>(col: T["packageId"]) =>
    packageIds ? inArray(col as never, packageIds) : undefined;
  const [packages, metas, maintainers, reports, checkins] = await Promise.all([
    db()
      .select({
        id: p.id,
        name: p.name,
        normalizedName: p.normalizedName,
        repository: p.repository,
        classifiers: p.classifiers,
      })
      .from(p)
      .where(packageIds ? inArray(p.id, packageIds) : undefined)
      .all(),
    db().select().from(schema.packageMetadata).where(only(schema.packageMetadata.packageId)).all(),
    db()
      .select({ packageId: schema.packageMaintainers.packageId, n: count() })
      .from(schema.packageMaintainers)
      .where(and(isNotNull(schema.packageMaintainers.verifiedAt), only(schema.packageMaintainers.packageId)))
      .groupBy(schema.packageMaintainers.packageId)
      .all(),
    db().select().from(schema.compatReports).where(only(schema.compatReports.packageId)).all(),
    db()
      .select()
      .from(schema.maintenanceCheckins)
      .where(and(isNotNull(schema.maintenanceCheckins.answeredAt), only(schema.maintenanceCheckins.packageId)))
      .all(),
  ]);
  const openCalls = new Map<number, number>();
  if (await tableExists("calls")) {
    const rows = await db().all<{ package_id: number; n: number }>(
      sql`SELECT package_id, count(*) AS n FROM calls WHERE status IN ('open', 'in_conversation') GROUP BY package_id`,
    );
    for (const r of rows) openCalls.set(r.package_id, r.n);
  }
  const metaBy = new Map(metas.map((m) => [m.packageId, m]));
  const maintainersBy = new Map(maintainers.map((m) => [m.packageId, m.n]));
  const reportsBy = new Map<number, Map<string, CompatStatus>>();
  for (const r of reports)
    reportsBy.set(r.packageId, (reportsBy.get(r.packageId) ?? new Map()).set(r.version, r.status));
  const checkinBy = new Map<number, HealthInput["checkin"]>();
  for (const c of checkins) {
    const prev = checkinBy.get(c.packageId);
    if (c.answer && c.answeredAt && (!prev || prev.answeredAt < c.answeredAt)) {
      checkinBy.set(c.packageId, { answer: c.answer, answeredAt: c.answeredAt });
    }
  }
  return packages.map((pkg) => ({
    ...pkg,
    classifiers: JSON.parse(pkg.classifiers) as string[],
    meta: metaBy.get(pkg.id) ?? null,
    verifiedMaintainers: maintainersBy.get(pkg.id) ?? 0,
    openCalls: openCalls.get(pkg.id) ?? 0,
    reports: reportsBy.get(pkg.id) ?? new Map(),
    checkin: checkinBy.get(pkg.id) ?? null,
  }));
}

/** The package page's health section: signals, state, best practices and compatibility. */
export async function getPackageHealth(packageId: number, userId: number | null, now = Date.now()) {
  const [[input], releases] = await Promise.all([loadHealthInputs([packageId]), listDjangoReleases()]);
  if (!input) return null;
  const canReport = userId ? await canReportCompat(packageId, userId) : false;
  const today = todayOf(now);
  // Releases worth a status: still supported or not out yet.
  const relevant = releases.filter((r) => (r.dates.extendedSupportEnd ?? "9999") >= today);
  return {
    packageName: input.normalizedName,
    ...assessState(input, releases, now),
    signals: healthSignals(input, releases, now),
    practices: practiceChecks(input, releases, now),
    compat: relevant.map((r) => ({
      version: r.version,
      status: compatFor(input, r.version, releases),
      reported: input.reports.get(r.version) ?? null,
      upcoming: !r.dates.releaseDate || r.dates.releaseDate > today,
    })),
    canReport,
    syncedAt: input.meta?.pypiSyncedAt ?? null,
  };
}

/** Verified maintainers of the package, and working-group admins, may report its status. */
export async function canReportCompat(packageId: number, userId: number): Promise<boolean> {
  const [maintainer, admin] = await Promise.all([
    db()
      .select({ id: schema.packageMaintainers.id })
      .from(schema.packageMaintainers)
      .where(
        and(
          eq(schema.packageMaintainers.packageId, packageId),
          eq(schema.packageMaintainers.userId, userId),
          isNotNull(schema.packageMaintainers.verifiedAt),
        ),
      )
      .get(),
    isEffectiveAdmin(userId),
  ]);
  return Boolean(maintainer) || admin;
}

export async function reportCompat(
  packageId: number,
  version: string,
  status: CompatStatus | "none",
  userId: number,
  now = Date.now(),
) {
  const r = schema.compatReports;
  const { auditEntry } = await import("#app/models/moderation/audit.server.ts");
  const audit = auditEntry(
    {
      actorUserId: userId,
      action: "compat.report",
      objectType: "package",
      objectId: packageId,
      detail: { version, status },
    },
    now,
  );
  if (status === "none") {
    await db().batch([
      db()
        .delete(r)
        .where(and(eq(r.packageId, packageId), eq(r.version, version))),
      audit,
    ]);
    return;
  }
  await db().batch([
    db()
      .insert(r)
      .values({ packageId, version, status, reportedByUserId: userId, updatedAt: now })
      .onConflictDoUpdate({
        target: [r.packageId, r.version],
        set: { status, reportedByUserId: userId, updatedAt: now },
      }),
    audit,
  ]);
}

/** Maintenance state of every package, for the ecosystem review and the check-in job. */
export async function assessAllPackages(now = Date.now()) {
  const [inputs, releases] = await Promise.all([loadHealthInputs(), listDjangoReleases()]);
  return { releases, packages: inputs.map((input) => ({ input, ...assessState(input, releases, now) })) };
}
