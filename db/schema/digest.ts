// The weekly match digest: each person's email preferences, one run row per ISO week, one
// delivery row per person and week (what was planned; whether it went out is in the email ledger,
// `email_deliveries`, under the row's key), and the webhook events already processed.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./core.ts";

export const digestFrequencies = ["weekly", "biweekly", "monthly", "off"] as const;
export type DigestFrequency = (typeof digestFrequencies)[number];

export const digestSections = ["calls", "people", "programs", "transfers"] as const;
export type DigestSection = (typeof digestSections)[number];

/** A person without a row gets the defaults: weekly, every section, Mondays. */
export const digestPreferences = sqliteTable("digest_preferences", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  frequency: text("frequency", { enum: digestFrequencies }).notNull().default("weekly"),
  /** `YYYY-MM-DD`: no digest until this day has passed (inclusive). */
  pausedUntil: text("paused_until"),
  /** JSON array of DigestSection. */
  sections: text("sections").notNull().default('["calls","people","programs","transfers"]'),
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  dayOfWeek: integer("day_of_week").notNull().default(1),
  /** Set by the unsubscribe link; cleared when the person turns the digest back on. */
  unsubscribedAt: integer("unsubscribed_at"),
  updatedAt: integer("updated_at").notNull(),
});

export const digestRunStatuses = ["running", "finished"] as const;

/** One row per ISO week ("2026-W48"): when it started and what it did, for operators. */
export const digestRuns = sqliteTable("digest_runs", {
  week: text("week").primaryKey(),
  status: text("status", { enum: digestRunStatuses }).notNull(),
  startedAt: integer("started_at").notNull(),
  finishedAt: integer("finished_at"),
  /** The last day (`YYYY-MM-DD`) a run covered; the scheduler runs again on the next day. */
  lastRunOn: text("last_run_on"),
  /** JSON summary of the last run: recipients, sent, skipped by reason, failed. */
  summary: text("summary").notNull().default("{}"),
});

/**
 * One row per person and week, written with its items before anything is sent: a rerun sends
 * exactly these items again (same email, same idempotency key) or nothing if already sent. Its
 * status, attempts and provider id are the email ledger's row under `email_key` (core.ts).
 */
export const digestDeliveries = sqliteTable(
  "digest_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    week: text("week").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** JSON array of DigestItem (what the email shows, reasons included). */
    items: text("items").notNull(),
    /** The email's idempotency key, `digest:<week>:user:<id>`: its row in `email_deliveries`. */
    emailKey: text("email_key").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("digest_deliveries_week_user").on(t.week, t.userId),
    index("digest_deliveries_user").on(t.userId, t.week),
  ],
);

/** Svix message ids already processed, so a replayed webhook changes nothing. */
export const webhookEvents = sqliteTable("webhook_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  receivedAt: integer("received_at").notNull(),
});

/** "Not for me": items a person dismissed never come back in their digest. */
export const matchDismissals = sqliteTable(
  "match_dismissals",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    itemKind: text("item_kind").notNull(),
    itemId: text("item_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.itemKind, t.itemId] })],
);

export type DigestPreference = typeof digestPreferences.$inferSelect;
export type DigestRun = typeof digestRuns.$inferSelect;
export type DigestDelivery = typeof digestDeliveries.$inferSelect;
