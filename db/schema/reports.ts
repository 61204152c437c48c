// Monthly reports as records: once a month has ended, its report is stored here and never changes
// afterwards (app/models/ecosystem/report-records.server.ts writes it; the pages, the Markdown and
// the Atom feed read it). The current month is computed live and shown as provisional.
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** How a record came to be: at the month's end, or later (catch-up after downtime, first run). */
export const reportRecordBases = ["month-end", "late"] as const;
export type ReportRecordBasis = (typeof reportRecordBases)[number];

/**
 * The stored document. `version` names the shape of `report` (REPORT_VERSION in the model); a
 * section added later is absent from older records, which the pages and the Markdown skip.
 */
export type ReportDocument = {
  version: number;
  basis: ReportRecordBasis;
  /** The report as the model assembled it (`MonthlyReport`), frozen as JSON. */
  report: Record<string, unknown>;
};

export const monthlyReportRecords = sqliteTable("monthly_report_records", {
  /** `YYYY-MM` (UTC). */
  month: text("month").primaryKey(),
  document: text("document", { mode: "json" }).$type<ReportDocument>().notNull(),
  storedAt: integer("stored_at").notNull(),
});

export type MonthlyReportRecord = typeof monthlyReportRecords.$inferSelect;
