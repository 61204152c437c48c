// The working group's monthly meetings: when (an instant in UTC), where (a video call), what (the
// agenda) and what was said (the notes, public unless marked internal). `uid`, `sequence` and
// `revisedAt` are what calendar apps subscribed to /calendar.ics need to follow a meeting that moves.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./core.ts";

export const meetingStatuses = ["scheduled", "cancelled"] as const;
export type MeetingStatus = (typeof meetingStatuses)[number];

export const meetings = sqliteTable(
  "meetings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The iCalendar UID: made once, never changed, whatever else changes. */
    uid: text("uid").notNull().unique(),
    title: text("title").notNull(),
    /** The start, in milliseconds since the epoch (UTC). */
    startsAt: integer("starts_at").notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    /** The zone the start was entered in, offered again when the meeting is edited; display is UTC. */
    enteredTimeZone: text("entered_time_zone").notNull().default("UTC"),
    /** The video call's address: https only. */
    videoUrl: text("video_url"),
    /** Markdown. */
    agenda: text("agenda").notNull().default(""),
    /** Markdown, written after the meeting; null until then. */
    notes: text("notes"),
    /** Notes only the working group may read (never on public pages or in the feed). */
    notesInternal: integer("notes_internal", { mode: "boolean" }).notNull().default(false),
    status: text("status", { enum: meetingStatuses }).notNull().default("scheduled"),
    cancelReason: text("cancel_reason"),
    /** RFC 5545 SEQUENCE: raised by every change a calendar shows (time, length, title, link, agenda, status). */
    sequence: integer("sequence").notNull().default(0),
    /** When what a calendar shows last changed (LAST-MODIFIED, DTSTAMP). */
    revisedAt: integer("revised_at").notNull(),
    createdByUserId: integer("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    updatedByUserId: integer("updated_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    /** Any change, notes included: the edit forms' guard against overwriting someone else's save. */
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("meetings_starts_at").on(t.startsAt)],
);

export type Meeting = typeof meetings.$inferSelect;
