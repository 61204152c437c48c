// Which Django versions a picker offers, and how each is labelled: the one rule behind every place
// that lets a person choose Django versions (the call form, the profile, the /calls filter). Fed by
// the release calendar (listDjangoReleases); no server code, so pages and components share it.
//
// The rule, per picker:
// - a new call offers the releases still supported and the upcoming ones whose release month Django
//   has announced (a call may prepare a package for them); end-of-life releases are not offered,
//   though an existing call keeps the ones it has;
// - a profile ("versions you have worked with") offers every released version, and an upcoming one
//   once its alpha is out;
// - the /calls filter offers every release a call can name.
// An upcoming release always says so, with its expected month and whether its pre-release dates
// are announced; an end-of-life release says so too.
import type { ReleaseMilestone } from "#db/schema/ecosystem.ts";
import { formatDate, formatMonth } from "#app/utils/dates.ts";

export type ReleaseFacts = {
  version: string;
  lts: boolean;
  dates: Record<ReleaseMilestone, string | null>;
  confirmed: Record<ReleaseMilestone, boolean>;
  /** Known to the month only (stored as the 1st): shown as "January 2028", never as a day. */
  approximate: Record<ReleaseMilestone, boolean>;
};

export type VersionPhase = "supported" | "upcoming" | "ended";
export type VersionPicker = "new-call" | "experience" | "filter";

export type DjangoVersionOption = {
  version: string;
  /** "Django 5.2 LTS" */
  label: string;
  phase: VersionPhase;
  /** Why the version stands out, short enough for a <select>: "end of life", "expected January 2028". */
  tag: string | null;
  /** The same, said in full for a checkbox list. */
  note: string | null;
};

/** A milestone date as people should read it: "3 April 2027", or "January 2028" when only the month is known. */
export function formatReleaseDate(date: string, approximate = false): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return approximate ? formatMonth(ms) : formatDate(ms);
}

/** Out and supported, not out yet, or past its extended support, on `today` ("YYYY-MM-DD"). */
export function releasePhase(r: ReleaseFacts, today: string): VersionPhase {
  const released = r.dates.releaseDate !== null && r.dates.releaseDate <= today && !r.approximate.releaseDate;
  if (!released) return "upcoming";
  return r.dates.extendedSupportEnd !== null && r.dates.extendedSupportEnd < today ? "ended" : "supported";
}

const prereleases = ["alphaDate", "betaDate", "rcDate"] as const;

function describe(r: ReleaseFacts, phase: VersionPhase): { tag: string | null; note: string | null } {
  if (phase === "ended") {
    const end = r.dates.extendedSupportEnd!;
    return {
      tag: "end of life",
      note: `end of life since ${formatReleaseDate(end, r.approximate.extendedSupportEnd)}`,
    };
  }
  if (phase === "supported") return { tag: null, note: null };
  const release = r.dates.releaseDate;
  if (!release) return { tag: "not released yet", note: "not released yet; no dates announced" };
  const when = r.approximate.releaseDate
    ? `expected ${formatReleaseDate(release, true)}`
    : `due ${formatReleaseDate(release)}${r.confirmed.releaseDate ? "" : " (planned)"}`;
  const announced = prereleases.some((m) => r.dates[m]);
  return {
    tag: when,
    note: `not released yet, ${when}${announced ? "" : "; alpha, beta and release-candidate dates not announced"}`,
  };
}

function offered(r: ReleaseFacts, phase: VersionPhase, picker: VersionPicker, today: string): boolean {
  switch (picker) {
    case "new-call":
      // Ended releases are not offered for new work; future ones once Django has named their month.
      return phase === "supported" || (phase === "upcoming" && r.dates.releaseDate !== null);
    case "experience":
      return phase !== "upcoming" || (r.dates.alphaDate !== null && r.dates.alphaDate <= today);
    case "filter":
      return phase !== "upcoming" || r.dates.releaseDate !== null;
  }
}

/**
 * The versions a picker offers, newest first, each labelled. `keep` lists versions already chosen
 * (an existing call's, a profile's): they stay offered, labelled, even when the rule would leave
 * them out, so saving a form never drops them silently.
 */
export function djangoVersionOptions(
  releases: readonly ReleaseFacts[],
  today: string,
  picker: VersionPicker,
  keep: readonly string[] = [],
): DjangoVersionOption[] {
  const kept = new Set(keep);
  return releases
    .map((r) => ({ r, phase: releasePhase(r, today) }))
    .filter(({ r, phase }) => kept.has(r.version) || offered(r, phase, picker, today))
    .map(({ r, phase }) => ({
      version: r.version,
      label: `Django ${r.version}${r.lts ? " LTS" : ""}`,
      phase,
      ...describe(r, phase),
    }));
}

/** The versions of `options`, for validation: a form accepts only what its picker offered. */
export const versionsOf = (options: readonly DjangoVersionOption[]) => options.map((o) => o.version);
