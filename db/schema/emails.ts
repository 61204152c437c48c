// Email addresses beyond the one GitHub reported, and the notification emails the inbox sends.
// Which address an email to a person goes to is decided in one place, app/utils/email-address.server.ts.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./core.ts";

/**
 * An address a person added themselves. It receives nothing but its verification email until it
 * is verified by the link sent to it; `forNotifications` marks the one the person chose to receive
 * email at (no such row: the GitHub primary address, `users.email`).
 */
export const userEmails = sqliteTable(
  "user_emails",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** As typed, trimmed; compared lower-cased. */
    address: text("address").notNull(),
    verifiedAt: integer("verified_at"),
    forNotifications: integer("for_notifications", { mode: "boolean" }).notNull().default(false),
    /** When the latest verification link was sent (a new one is refused for a minute). */
    verificationSentAt: integer("verification_sent_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("user_emails_user_address").on(t.userId, sql`lower(${t.address})`),
    index("user_emails_user").on(t.userId),
  ],
);

export type UserEmail = typeof userEmails.$inferSelect;

export const notificationEmailKinds = ["thread", "summary"] as const;
export type NotificationEmailKind = (typeof notificationEmailKinds)[number];

/**
 * One planned notification email: the notifications it covers were marked emailed in the same
 * write, so the plan is the record of what still has to go out. `doneAt` is set once it was sent
 * (the ledger key `inbox:<key>` keeps a rerun from sending it twice) or found to have nothing left
 * to say (everything read meanwhile).
 */
export const notificationEmails = sqliteTable(
  "notification_emails",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** `thread:<user>:<thread>:<first notification>` or `summary:<user>:<first notification>`. */
    key: text("key").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: notificationEmailKinds }).notNull(),
    threadId: integer("thread_id"),
    notificationIds: text("notification_ids", { mode: "json" }).$type<number[]>().notNull(),
    createdAt: integer("created_at").notNull(),
    doneAt: integer("done_at"),
    /** sent, read (nothing unread was left), gave-up (refused for a day: no address, suppressed…). */
    outcome: text("outcome"),
  },
  (t) => [
    uniqueIndex("notification_emails_key").on(t.key),
    index("notification_emails_pending").on(t.doneAt),
    index("notification_emails_user").on(t.userId, t.kind, t.createdAt),
  ],
);
