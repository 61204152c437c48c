// Package health: explained signals, the maintenance state with the rule that decided it, the
// best-practice check, and per-release compatibility (declared, reported, maybe, unknown).
// The rules are pure functions over loaded inputs so the package page, the compatibility drives,
// the ecosystem review and the check-in job all judge a package the same way.
import { guideLinks } from "#app/models/guides/paths.ts";
import {
  compareVersions,
  declaresRelease,
  parseClassifiers,
  pythonsAllowed,
} from "#app/models/ecosystem/classifiers.ts";
import { currentReleases, releasesOldestFirst, todayOf, type Release } from "#app/models/ecosystem/releases.server.ts";
import type { CheckinAnswer, CompatStatus, packageMetadata } from "#db/schema/ecosystem.ts";
import { compatLabels, type CompatView } from "#app/models/ecosystem/labels.ts";
import { DAY_MS } from "#app/utils/dates.ts";
import { maintenanceStates, stateLabels, type MaintenanceState } from "#app/models/packages/labels.ts";

export type HealthInput = {
  id: number;
  name: string;
  normalizedName: string;
  repository: string | null;
  classifiers: string[];
  meta: typeof packageMetadata.$inferSelect | null;
  verifiedMaintainers: number;
  openCalls: number;
  reports: Map<string, CompatStatus>;
  /** The latest check-in answer and when it was given. */
  checkin: { answer: CheckinAnswer; answeredAt: number } | null;
};

/** The metadata the rules below read: the package page reads only these columns. */
export type HealthMeta = Pick<
  typeof packageMetadata.$inferSelect,
  | "latestVersion"
  | "latestReleaseOn"
  | "releaseDates"
  | "requiresPython"
  | "license"
  | "projectUrls"
  | "pypiMissing"
  | "githubOpenIssues"
  | "githubPushedAt"
  | "githubArchived"
  | "githubLicense"
>;

/** What the rules read of a package: a HealthInput, or one with only the metadata they read. */
export type RuleInput = Omit<HealthInput, "meta"> & { meta: HealthMeta | null };

export type SignalLevel = "good" | "warning" | "problem" | "info";
export type Signal = { id: string; label: string; level: SignalLevel; detail: string };

export { maintenanceStates, stateLabels, type MaintenanceState };

export type PracticeCheck = { id: string; label: string; passed: boolean; detail: string; guide: string };

const daysBetween = (from: string | number, to: number) =>
  Math.floor((to - (typeof from === "number" ? from : Date.parse(`${from}T00:00:00Z`))) / DAY_MS);

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

/** What the maintenance state reads: a HealthInput, or less (the directory loads only this for thousands). */
export type StateInput = Pick<HealthInput, "classifiers" | "checkin"> & {
  meta: Pick<
    typeof packageMetadata.$inferSelect,
    "githubArchived" | "latestReleaseOn" | "pypiMissing" | "githubPushedAt"
  > | null;
};

/**
 * What assessState reads of the release calendar on a day, worked out once per list of releases
 * and day: the directory and the review judge thousands of packages against the same calendar.
 */
const factsCache = new WeakMap<Release[], Map<string, { reference: Release | undefined; supported: Release[] }>>();
function releaseFacts(releases: Release[], today: string) {
  let byDay = factsCache.get(releases);
  if (!byDay) factsCache.set(releases, (byDay = new Map()));
  let facts = byDay.get(today);
  if (!facts) {
    facts = { reference: dormancyReference(releases, today), supported: currentReleases(releases, today).supported };
    byDay.set(today, facts);
  }
  return facts;
}

export function assessState(
  input: StateInput,
  releases: Release[],
  now: number,
): { state: MaintenanceState; rule: string } {
  const today = todayOf(now);
  const m = input.meta;
  if (m?.githubArchived) return { state: "archived", rule: "The repository is archived on GitHub: it is read-only." };
  const answer = input.checkin;
  if (answer && now - answer.answeredAt < 92 * DAY_MS) {
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
  const stillMaintained = answer?.answer === "still_maintained" && now - answer.answeredAt < 92 * DAY_MS;
  const { reference, supported } = releaseFacts(releases, today);
  const lastActivity = Math.max(Date.parse(`${lastRelease}T00:00:00Z`), m.githubPushedAt ?? 0);
  if (!stillMaintained) {
    if (reference && lastRelease < reference.dates.releaseDate!) {
      return {
        state: "dormant",
        rule: `No release since Django ${reference.version} came out on ${reference.dates.releaseDate}, more than 6 months ago (last release ${lastRelease}).`,
      };
    }
    if (now - lastActivity > 365 * DAY_MS) {
      return {
        state: "dormant",
        rule: `No release and no push for 12 months (last activity ${todayOf(lastActivity)}).`,
      };
    }
  }
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

export function healthSignals(input: RuleInput, releases: Release[], now: number): Signal[] {
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
    const dates = m.releaseDates;
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

export function practiceChecks(input: RuleInput, releases: Release[], now: number): PracticeCheck[] {
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
  const urls = Object.values(m?.projectUrls ?? {});
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
      guide: guideLinks.classifiers,
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
      guide: guideLinks.classifiers,
    },
    {
      id: "supported-django",
      label: "Supports a currently supported Django",
      passed: supported.some((r) => declaresRelease(declared.django, r.version)),
      detail: `Supported today: Django ${supported.map((r) => r.version).join(", ")}.`,
      guide: guideLinks.supportedVersions,
    },
    {
      id: "license",
      label: "Has a licence",
      passed: Boolean(license),
      detail: license ? `Licence: ${license}.` : "No licence in the package metadata or on GitHub.",
      guide: guideLinks.trustedPublishing,
    },
    {
      id: "source",
      label: "Links its source repository",
      passed: Boolean(source),
      detail: source ? "The source repository is linked." : "No link to the source repository.",
      guide: guideLinks.naming,
    },
    {
      id: "recent-release",
      label: "Released in the last 12 months",
      passed: released,
      detail: m?.latestReleaseOn ? `Last release on ${m.latestReleaseOn}.` : "No release known yet.",
      guide: guideLinks.preReleases,
    },
  ];
}

// ---- compatibility -----------------------------------------------------------------------------

export { compatLabels, type CompatView };

/** A package's status for one release: its classifiers first, then its maintainers' word. */
export function compatFor(input: RuleInput, release: string, releases: Release[]): CompatView {
  const declared = parseClassifiers(input.classifiers).django;
  if (declaresRelease(declared, release)) return "declared";
  const reported = input.reports.get(release);
  if (reported) return reported;
  const ordered = releasesOldestFirst(releases);
  const previous = ordered[ordered.findIndex((r) => r.version === release) - 1];
  return previous && declaresRelease(declared, previous.version) ? "maybe" : "unknown";
}
