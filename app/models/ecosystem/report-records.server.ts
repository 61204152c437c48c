// Monthly reports as records. When a month ends, the "monthly-reports" job stores its report (what
// `monthlyReport` assembles) as a versioned JSON document, once: the pages, the Markdown and the
// Atom feed read that record for ever after, whatever the data does later. The current month is
// computed live and marked provisional. The job catches up after downtime: a month without a
// record is stored at the next run; stored more than a week late (downtime, or months before the
// job first ran), it keeps the month's dated events (calls, roadies, applications, surveys) and
// leaves out the package figures, which would be today's and not the month's, and says so.
import { and, desc, eq, inArray, not } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { DAY_MS, formatDate } from "#app/utils/dates.ts";
import {
  monthBounds,
  monthlyReport,
  monthOf,
  monthTitle,
  reportMonths,
  type MonthlyReport,
} from "#app/models/ecosystem/ecosystem.server.ts";
import { publicCallSql } from "#app/models/calls/listing.server.ts";
import { hiddenSql } from "#app/models/moderation/hides.server.ts";
import { notSuspendedSql } from "#app/models/people/suspension.server.ts";
import type { ReportDocument, ReportRecordBasis } from "#db/schema.ts";

/** The shape of `report` in a stored document; raise it when a section changes meaning. */
export const REPORT_VERSION = 1;

/** Stored later than this after the month's end, a record leaves the package figures out. */
export const LATE_AFTER_MS = 7 * DAY_MS;

const t = schema.monthlyReportRecords;

export type ReportStatus =
  | { kind: "record"; storedAt: number; basis: ReportRecordBasis; version: number }
  | { kind: "provisional"; reason: "current" | "not-recorded" };

export type ReportView = { report: MonthlyReport; status: ReportStatus };

/** The report as the job would store it at `now`: package figures only when stored in time. */
async function assemble(month: string, now: number): Promise<{ report: MonthlyReport; basis: ReportRecordBasis }> {
  const report = await monthlyReport(month, now);
  const late = now - monthBounds(month).end > LATE_AFTER_MS;
  return late ? { report: { ...report, drives: null, states: null }, basis: "late" } : { report, basis: "month-end" };
}

/**
 * A stored document back as a report. The one place a record's JSON becomes a `MonthlyReport`:
 * sections added after it was stored are absent, which the renderers allow for.
 */
function fromDocument(document: ReportDocument): MonthlyReport {
  return document.report as unknown as MonthlyReport;
}

/**
 * The one change a record undergoes, when it is read: calls hidden by moderation (or whose poster
 * was suspended) and people suspended or hidden since it was stored are left out of its lists, as
 * every public page leaves them out (docs/security.md). Its figures stay as recorded.
 */
async function redacted(report: MonthlyReport): Promise<MonthlyReport> {
  const c = schema.calls;
  const u = schema.users;
  const callIds = [...new Set([...(report.newCalls ?? []), ...(report.filledCalls ?? [])].map((x) => x.id))];
  const logins = (report.roadies ?? []).map((p) => p.login);
  const [calls, people] = await Promise.all([
    callIds.length
      ? db()
          .select({ id: c.id })
          .from(c)
          .where(and(inArray(c.id, callIds), publicCallSql))
          .all()
      : [],
    logins.length
      ? db()
          .select({ login: u.login })
          .from(u)
          .where(and(inArray(u.login, logins), notSuspendedSql(u.id), not(hiddenSql("profile", u.id))))
          .all()
      : [],
  ]);
  const shownCalls = new Set(calls.map((x) => x.id));
  const shownPeople = new Set(people.map((x) => x.login));
  const keep = <T extends { id: number }>(list: T[] | undefined) => (list ?? []).filter((x) => shownCalls.has(x.id));
  return {
    ...report,
    newCalls: keep(report.newCalls),
    filledCalls: keep(report.filledCalls),
    transfers: keep(report.transfers),
    roadies: (report.roadies ?? []).filter((p) => shownPeople.has(p.login)),
  };
}

async function storedRecord(month: string) {
  return (await db().select().from(t).where(eq(t.month, month)).get()) ?? null;
}

/**
 * Stores the record of every ended month that has none yet (months with activity, up to 24 back):
 * at most once per month, whatever runs at the same time (the insert does nothing on a conflict).
 * @returns the months stored by this run.
 */
export async function recordEndedMonths(now = Date.now()): Promise<string[]> {
  const current = monthOf(now);
  const stored = new Set((await db().select({ month: t.month }).from(t).all()).map((r) => r.month));
  const due = (await reportMonths(now)).filter((m) => m < current && !stored.has(m)).reverse();
  const done: string[] = [];
  for (const month of due) {
    const { report, basis } = await assemble(month, now);
    const document: ReportDocument = {
      version: REPORT_VERSION,
      basis,
      report: { ...report, inProgress: false } as unknown as Record<string, unknown>,
    };
    const inserted = await db()
      .insert(t)
      .values({ month, document, storedAt: now })
      .onConflictDoNothing()
      .returning({ month: t.month });
    if (inserted.length) done.push(month);
  }
  return done;
}

/** The report of `month` as shown: its record once stored, else computed now and provisional. */
export async function reportView(month: string, now = Date.now()): Promise<ReportView> {
  if (now < monthBounds(month).end) {
    return { report: await monthlyReport(month, now), status: { kind: "provisional", reason: "current" } };
  }
  const row = await storedRecord(month);
  if (row) {
    return {
      report: await redacted(fromDocument(row.document)),
      status: { kind: "record", storedAt: row.storedAt, basis: row.document.basis, version: row.document.version },
    };
  }
  return { report: (await assemble(month, now)).report, status: { kind: "provisional", reason: "not-recorded" } };
}

/** Every month with a report, newest first: those with activity (24 back) and any older record. */
export async function reportIndex(now = Date.now()) {
  const rows = await db().select({ month: t.month, storedAt: t.storedAt }).from(t).orderBy(desc(t.month)).all();
  const recorded = new Map(rows.map((r) => [r.month, r.storedAt]));
  const months = [...new Set([...(await reportMonths(now)), ...recorded.keys()])].sort().reverse();
  return months.map((month) => ({
    month,
    title: monthTitle(month),
    recordedAt: recorded.get(month) ?? null,
    current: month === monthOf(now),
  }));
}

/** The line saying what a report is: a record (since when) or provisional (why). */
export function statusLine(status: ReportStatus, month: string): string {
  if (status.kind === "provisional") {
    return status.reason === "current"
      ? "Provisional: this month is not over yet and the figures will still change. The report is recorded once the month ends."
      : "Provisional: this month has ended and its record is being stored; until then the figures may still change.";
  }
  const stored = formatDate(status.storedAt);
  if (status.basis === "month-end") return `Recorded on ${stored}, after the month ended. This record does not change.`;
  const days = Math.floor((status.storedAt - monthBounds(month).end) / DAY_MS);
  return `Recorded on ${stored}, ${days} days after the month ended (Roadies was not keeping records then): calls, roadies, applications and surveys come from dated events; package figures were not recorded. This record does not change.`;
}
