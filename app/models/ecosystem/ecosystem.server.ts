// The ecosystem review: declared Django and Python support across tracked packages, maintenance
// states, calls opened and filled per month, time to fill, transfers; and the monthly reports.
import { sql } from "drizzle-orm";
import { db } from "#app/utils/db.server.ts";
import { compareVersions, declaresRelease, parseClassifiers } from "#app/models/ecosystem/classifiers.ts";
import { compatFor, stateLabels, maintenanceStates } from "#app/models/packages/health.server.ts";
import { assessAllPackages } from "#app/models/packages/health-data.server.ts";
import { currentReleases, todayOf } from "#app/models/ecosystem/releases.server.ts";
import { DAY_MS, formatDate, formatMonth } from "#app/utils/dates.ts";
import { hiddenSql } from "#app/models/moderation/hides.server.ts";
import { notSuspendedSql } from "#app/models/people/suspension.server.ts";
import { publicCallSql } from "#app/models/calls/listing.server.ts";
import { popularityOf, popularityRows } from "#app/models/ecosystem/popularity.server.ts";
import { surveysClosedBetween } from "#app/models/surveys/results.server.ts";
import { surveyMarkdown } from "#app/models/surveys/report-section.ts";
import { guidesReportSection } from "#app/models/guides/guides.server.ts";

const PYTHONS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"];

export const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/** The `count` months ending with the month of `now`, oldest first. */
export function lastMonths(now: number, count: number): string[] {
  const d = new Date(now);
  return Array.from({ length: count }, (_, i) => {
    const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (count - 1 - i), 1));
    return m.toISOString().slice(0, 7);
  });
}

export function monthBounds(month: string): { start: number; end: number } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return { start: Date.UTC(y, m - 1, 1), end: Date.UTC(y, m, 1) };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export type Share = { label: string; count: number; total: number; share: number };
const share = (label: string, count: number, total: number): Share => ({
  label,
  count,
  total,
  share: total ? Math.round((count / total) * 1000) / 10 : 0,
});

export async function ecosystemReview(now = Date.now()) {
  const months = lastMonths(now, 12);
  const from = monthBounds(months[0]!).start;
  // Side by side: one round trip (db.server.ts).
  const [{ releases, packages }, calls] = await Promise.all([
    assessAllPackages(now),
    db().all<{ kind: string; created_at: number; filled_at: number | null; time_to_fill_ms: number | null }>(
      sql`SELECT kind, created_at, filled_at, time_to_fill_ms FROM calls WHERE created_at >= ${from} OR filled_at >= ${from}`,
    ),
  ]);
  const today = todayOf(now);
  const total = packages.length;
  // Releases still supported, plus the upcoming ones with an announced date.
  const relevant = releases
    .filter((r) => (r.dates.extendedSupportEnd ?? "9999") >= today && r.dates.releaseDate)
    .sort((a, b) => compareVersions(a.version, b.version));
  const declared = packages.map((p) => parseClassifiers(p.input.classifiers));
  const django = relevant.map((r) =>
    share(r.version, declared.filter((d) => declaresRelease(d.django, r.version)).length, total),
  );
  const python = PYTHONS.map((py) => share(py, declared.filter((d) => d.python.includes(py)).length, total));
  const states = maintenanceStates.map((s) =>
    share(stateLabels[s], packages.filter((p) => p.state === s).length, total),
  );

  const perMonth = months.map((month) => {
    const { start, end } = monthBounds(month);
    const opened = calls.filter((c) => c.created_at >= start && c.created_at < end).length;
    const filledRows = calls.filter((c) => c.filled_at !== null && c.filled_at >= start && c.filled_at < end);
    const transfers = filledRows.filter((c) => c.kind === "new-maintainer").length;
    return { month, opened, filled: filledRows.length, transfers };
  });
  const fillTimes = calls.filter((c) => c.time_to_fill_ms !== null).map((c) => c.time_to_fill_ms!);
  const medianDays = median(fillTimes);

  const { latest } = currentReleases(releases, today);
  const upcoming = releases
    .filter((r) => r.dates.releaseDate && r.dates.releaseDate > today)
    .sort((a, b) => compareVersions(a.version, b.version))[0];
  const drives = [latest, upcoming]
    .filter((r) => r !== undefined)
    .map((r) => {
      const ready = packages.filter((p) =>
        ["declared", "compatible"].includes(compatFor(p.input, r.version, releases)),
      ).length;
      return { version: r.version, ready, total };
    });

  return {
    generatedOn: today,
    total,
    django,
    python,
    states,
    perMonth,
    medianDaysToFill: medianDays === null ? null : Math.round((medianDays / DAY_MS) * 10) / 10,
    callsFilledInYear: perMonth.reduce((n, m) => n + m.filled, 0),
    transfersInYear: perMonth.reduce((n, m) => n + m.transfers, 0),
    drives,
    popularity: popularityOf(packages, releases, now),
  };
}

export type EcosystemReview = Awaited<ReturnType<typeof ecosystemReview>>;

/** The same numbers as rows for the CSV download. */
export function reviewRows(r: EcosystemReview): string[][] {
  const rows: string[][] = [["section", "label", "count", "total", "share_percent"]];
  for (const s of r.django) rows.push(["django_support", s.label, String(s.count), String(s.total), String(s.share)]);
  for (const s of r.python) rows.push(["python_support", s.label, String(s.count), String(s.total), String(s.share)]);
  for (const s of r.states)
    rows.push(["maintenance_state", s.label, String(s.count), String(s.total), String(s.share)]);
  for (const m of r.perMonth) {
    rows.push(["calls_opened", m.month, String(m.opened), "", ""]);
    rows.push(["calls_filled", m.month, String(m.filled), "", ""]);
    rows.push(["transfers_completed", m.month, String(m.transfers), "", ""]);
  }
  rows.push(...popularityRows(r.popularity));
  rows.push([
    "median_days_to_fill",
    "last 12 months",
    r.medianDaysToFill === null ? "" : String(r.medianDaysToFill),
    "",
    "",
  ]);
  return rows;
}

// ---- monthly reports -------------------------------------------------------------------------

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export const monthTitle = (month: string) => formatMonth(monthBounds(month).start);

/** Months with a report: from the first month with any activity (at most 24 back) to this one. */
export async function reportMonths(now = Date.now()): Promise<string[]> {
  const firsts = await Promise.all([
    db().all<{ t: number | null }>(sql`SELECT min(created_at) AS t FROM calls`),
    db().all<{ t: number | null }>(sql`SELECT min(started_at) AS t FROM memberships`),
    db().all<{ t: number | null }>(sql`SELECT min(submitted_at) AS t FROM applications`),
  ]);
  const times = firsts.flatMap((rows) => rows.map((r) => r.t)).filter((t): t is number => typeof t === "number");
  const all = lastMonths(now, 24);
  const first = times.length ? monthOf(Math.min(...times)) : all.at(-1)!;
  return all.filter((m) => m >= first).reverse();
}

// A report is public: it names only what public pages show: public calls (listing.server.ts) and
// people neither suspended nor hidden.
const publicPersonSql = sql`${notSuspendedSql(sql`u.id`)} AND NOT ${hiddenSql("profile", sql`u.id`)}`;

/**
 * The content of a month's report, assembled in this one function. Once the month has ended, the
 * monthly-reports job stores what this returns (report-records.server.ts) and the pages, the
 * Markdown and the feed show that record for ever. A section added here later is missing from the
 * records stored before: declare it optional in the renderers (the page, `reportMarkdown`) and
 * skip it when absent.
 */
export async function monthlyReport(month: string, now = Date.now()) {
  const { start, end } = monthBounds(month);
  // Every part side by side: one round trip, two with the closed surveys' results (db.server.ts).
  const [newCalls, filledCalls, roadies, applications, surveys, guides, review] = await Promise.all([
    db().all<{ id: number; title: string; kind: string; package: string }>(
      sql`SELECT calls.id, calls.title, calls.kind, p.name AS package FROM calls JOIN packages p ON p.id = calls.package_id
          WHERE calls.created_at >= ${start} AND calls.created_at < ${end} AND ${publicCallSql} ORDER BY calls.created_at`,
    ),
    db().all<{ id: number; title: string; kind: string; package: string; time_to_fill_ms: number | null }>(
      sql`SELECT calls.id, calls.title, calls.kind, p.name AS package, calls.time_to_fill_ms
          FROM calls JOIN packages p ON p.id = calls.package_id
          WHERE calls.status = 'filled' AND calls.filled_at >= ${start} AND calls.filled_at < ${end} AND ${publicCallSql}
          ORDER BY calls.filled_at`,
    ),
    db().all<{ login: string }>(
      sql`SELECT u.login FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.role = 'roadie' AND m.terms = 1 AND m.started_at >= ${start} AND m.started_at < ${end} AND ${publicPersonSql}
          ORDER BY m.started_at`,
    ),
    db().all<{ program: string; n: number }>(
      sql`SELECT pr.name AS program, count(*) AS n FROM applications a JOIN programs pr ON pr.id = a.program_id
          WHERE a.submitted_at >= ${start} AND a.submitted_at < ${end} GROUP BY pr.name ORDER BY pr.name`,
    ),
    // Maintainer surveys that closed this month, in aggregate (never free text: the report is public).
    surveysClosedBetween(start, end, now),
    // [guides] Guides changed this month, and those due for review.
    guidesReportSection(start, end, Math.min(now, end - 1)),
    ecosystemReview(Math.min(now, end - 1)),
  ]);
  const transfers = filledCalls.filter((c) => c.kind === "new-maintainer");
  const fill = median(filledCalls.filter((c) => c.time_to_fill_ms !== null).map((c) => c.time_to_fill_ms!));
  return {
    month,
    title: `Roadies report: ${monthTitle(month)}`,
    inProgress: now < end,
    newCalls,
    filledCalls,
    transfers,
    medianDaysToFill: fill === null ? null : Math.round((fill / DAY_MS) * 10) / 10,
    roadies,
    applications,
    // Package figures as of when the report is assembled; a record stored long after the month
    // ended has none (null) rather than today's figures passed off as the month's.
    drives: review.drives as typeof review.drives | null,
    states: review.states as typeof review.states | null,
    surveys,
    guides,
  };
}

export type MonthlyReport = Awaited<ReturnType<typeof monthlyReport>>;

const pct = (n: number, d: number) => (d ? `${Math.round((n / d) * 100)}%` : "0%");

/**
 * The report as Markdown for the Django Forum. `status` is the line saying whether it is a record
 * or provisional (report-records.server.ts, `statusLine`).
 */
export function reportMarkdown(r: MonthlyReport, appUrl: string, status?: string): string {
  const lines = [`# ${r.title}`, ""];
  if (status) lines.push(`_${status}_`, "");
  else if (r.inProgress) lines.push("_This month is not over yet: the figures will still change._", "");
  lines.push("## Highlights", "");
  lines.push(
    `- **${r.newCalls.length}** new call${r.newCalls.length === 1 ? "" : "s"} for help, **${r.filledCalls.length}** filled` +
      (r.medianDaysToFill !== null ? ` (median ${r.medianDaysToFill} days to fill)` : "") +
      ".",
  );
  lines.push(`- **${r.transfers.length}** package transfer${r.transfers.length === 1 ? "" : "s"} completed.`);
  lines.push(`- **${r.roadies.length}** new roadie${r.roadies.length === 1 ? "" : "s"}.`);
  const apps = r.applications.reduce((n, a) => n + a.n, 0);
  lines.push(`- **${apps}** programme application${apps === 1 ? "" : "s"} submitted.`);
  for (const d of r.drives ?? []) {
    lines.push(
      `- Django ${d.version}: **${d.ready} of ${d.total}** tracked packages declare or report support (${pct(d.ready, d.total)}).`,
    );
  }
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push("", `## ${title}`, "", ...items.map((i) => `- ${i}`));
  };
  const esc = (t: string) => t.replace(/([\\`*_[\]<>])/g, "\\$1");
  section(
    "New calls",
    r.newCalls.map((c) => `[${esc(c.title)}](${appUrl}/calls/${c.id}) (${esc(c.package)})`),
  );
  section(
    "Filled calls",
    r.filledCalls.map((c) => `[${esc(c.title)}](${appUrl}/calls/${c.id}) (${esc(c.package)})`),
  );
  section(
    "Transfers",
    r.transfers.map((c) => `${esc(c.package)}: [${esc(c.title)}](${appUrl}/calls/${c.id})`),
  );
  section(
    "Welcome, new roadies",
    r.roadies.map((p) => `@${esc(p.login)}`),
  );
  section(
    "Programme applications",
    r.applications.map((a) => `${esc(a.program)}: ${a.n}`),
  );
  section(
    "Maintenance states",
    (r.states ?? []).filter((s) => s.count).map((s) => `${s.label}: ${s.count} (${s.share}%)`),
  );
  if (!r.drives || !r.states)
    lines.push("", "_Package figures (compatibility, maintenance states) were not recorded for this month._");
  if (r.surveys?.length) lines.push("", ...r.surveys.flatMap((survey) => surveyMarkdown(survey, appUrl)));
  // [guides] Absent from records stored before the guides were content.
  section(
    "Guides changed",
    (r.guides?.changed ?? []).map(
      (g) =>
        `[${esc(g.title)}](${appUrl}${g.href}): ${g.revisions} revision${g.revisions === 1 ? "" : "s"}, latest “${esc(g.lastNote)}”`,
    ),
  );
  section(
    "Guides due for review",
    (r.guides?.due ?? []).map(
      (g) => `[${esc(g.title)}](${appUrl}${g.href}), last reviewed ${formatDate(g.lastReviewedAt)}`,
    ),
  );
  lines.push("", `Full figures: ${appUrl}/ecosystem · This report: ${appUrl}/reports/${r.month}`, "");
  return lines.join("\n");
}
