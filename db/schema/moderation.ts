// Moderation: reports people file about content, and the working group's answer to each.
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./core.ts";

/** What can be reported: a call, a profile, a comment on a request, an interest's message, a message in a thread. */
export const reportableTypes = ["call", "profile", "comment", "interest", "message"] as const;
export type ReportableType = (typeof reportableTypes)[number];

export const reportStatuses = ["open", "handled", "declined"] as const;
export type ReportStatus = (typeof reportStatuses)[number];

/** One report per person and object; open until an admin marks it handled or declined, with a note. */
export const moderationReports = sqliteTable(
  "moderation_reports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    reporterUserId: integer("reporter_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    objectType: text("object_type", { enum: reportableTypes }).notNull(),
    /** A number for calls, comments (request event ids) and interests; the user id for profiles. */
    objectId: text("object_id").notNull(),
    reason: text("reason").notNull(),
    status: text("status", { enum: reportStatuses }).notNull().default("open"),
    /** The admin's note, sent to the reporter with the outcome. */
    note: text("note"),
    decidedByUserId: integer("decided_by_user_id").references(() => users.id, { onDelete: "set null" }),
    decidedAt: integer("decided_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("moderation_reports_once").on(t.reporterUserId, t.objectType, t.objectId),
    index("moderation_reports_status").on(t.status, t.createdAt),
  ],
);

export type ModerationReport = typeof moderationReports.$inferSelect;
