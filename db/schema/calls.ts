// Calls for maintainers: what a package needs, who answered, what happened, and the announcements.
// Full-text search over calls lives in the FTS5 table `calls_fts` (migration calls_fts), kept in
// step with `calls` by triggers so every writer (forms, seeds, other areas) is indexed.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { packages, skillLevels, skills, users } from "./core.ts";

/** What a call asks for. "new-maintainer" is the ownership transfer ([people] adds a checklist to it). */
export const callKinds = [
  "co-maintainer",
  "new-maintainer",
  "triage-review",
  "release-management",
  "django-compat",
  "documentation",
  "ci-packaging",
] as const;
export type CallKind = (typeof callKinds)[number];

export const callKindLabels: Record<CallKind, string> = {
  "co-maintainer": "Co-maintainer",
  "new-maintainer": "New maintainer / ownership transfer",
  "triage-review": "Triage and review",
  "release-management": "Release management",
  "django-compat": "Django version compatibility",
  documentation: "Documentation",
  "ci-packaging": "CI and packaging",
};

export const callUrgencies = ["low", "normal", "high", "critical"] as const;
export type CallUrgency = (typeof callUrgencies)[number];

/** open -> in_conversation -> filled | closed; open or in_conversation past expiry -> expired. */
export const callStatuses = ["open", "in_conversation", "filled", "closed", "expired"] as const;
export type CallStatus = (typeof callStatuses)[number];

export const calls = sqliteTable(
  "calls",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    packageId: integer("package_id")
      .notNull()
      .references(() => packages.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: callKinds }).notNull(),
    title: text("title").notNull(),
    /** Markdown as written; rendered on the server at display time. */
    description: text("description").notNull(),
    hoursPerWeek: integer("hours_per_week").notNull(),
    /** JSON array of Django versions ("5.2"). */
    djangoVersions: text("django_versions", { mode: "json" }).$type<string[]>().notNull().default([]),
    urgency: text("urgency", { enum: callUrgencies }).notNull(),
    /** The maintainers will mentor someone still learning a skill it asks (matching lets them in). */
    mentoring: integer("mentoring", { mode: "boolean" }).notNull().default(false),
    status: text("status", { enum: callStatuses }).notNull().default("open"),
    /** Last day the call is open, `YYYY-MM-DD` (UTC). */
    expiresOn: text("expires_on").notNull(),
    postedByUserId: integer("posted_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /** Published from a nomination no maintainer answered: posted in nobody's name (postedByUserId null). */
    communityNomination: integer("community_nomination", { mode: "boolean" }).notNull().default(false),
    /** Who took it over (when it was someone on Roadies) and the outcome note for filled/closed. */
    filledByUserId: integer("filled_by_user_id").references(() => users.id, { onDelete: "set null" }),
    outcomeNote: text("outcome_note"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    filledAt: integer("filled_at"),
    closedAt: integer("closed_at"),
    /** posting -> filled, in ms: the figure the working group reports. */
    timeToFillMs: integer("time_to_fill_ms"),
    /** When the 7-days-before-expiry email went out for the current expiry date (reset on renewal). */
    expiryReminderSentAt: integer("expiry_reminder_sent_at"),
  },
  (t) => [
    // Newest first, and covering for the listing rule's own columns (listing.server.ts): a page of
    // the newest calls reads 20 entries, and counting the listed calls reads no call rows.
    index("calls_status_created_listed").on(t.status, t.createdAt, t.expiresOn, t.postedByUserId),
    index("calls_status_expires").on(t.status, t.expiresOn),
    // A package's live calls (its page, its health) seek here. With only package_id indexed, SQLite
    // (which has no statistics without ANALYZE) preferred calls_status_expires, the two-column match,
    // and walked every open call: 6 ms per package page at 10,000 open calls, 0.1 ms with this one.
    index("calls_package_status_expires").on(t.packageId, t.status, t.expiresOn),
    index("calls_kind").on(t.kind),
  ],
);

export const callSkills = sqliteTable(
  "call_skills",
  {
    callId: integer("call_id")
      .notNull()
      .references(() => calls.id, { onDelete: "cascade" }),
    skillId: text("skill_id")
      .notNull()
      .references(() => skills.id),
    level: text("level", { enum: skillLevels }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.callId, t.skillId] }), index("call_skills_skill").on(t.skillId)],
);

export const interestStatuses = ["pending", "accepted", "declined", "withdrawn"] as const;
export type InterestStatus = (typeof interestStatuses)[number];

/** "I'm interested": one per person per call. */
export const callInterests = sqliteTable(
  "call_interests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    callId: integer("call_id")
      .notNull()
      .references(() => calls.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    message: text("message").notNull(),
    shareEmail: integer("share_email", { mode: "boolean" }).notNull().default(false),
    status: text("status", { enum: interestStatuses }).notNull().default("pending"),
    /** The maintainers' optional note when declining, sent to the volunteer. */
    decisionMessage: text("decision_message"),
    decidedByUserId: integer("decided_by_user_id").references(() => users.id, { onDelete: "set null" }),
    decidedAt: integer("decided_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("call_interests_call_user").on(t.callId, t.userId), index("call_interests_user").on(t.userId)],
);

export const callEventKinds = [
  "posted",
  "edited",
  "status_changed",
  "renewed",
  "reminder_sent",
  "interest_accepted",
  "interest_declined",
] as const;
export type CallEventKind = (typeof callEventKinds)[number];

/** The history of a call: every change of status, with who (null = the system) and when. */
export const callEvents = sqliteTable(
  "call_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    callId: integer("call_id")
      .notNull()
      .references(() => calls.id, { onDelete: "cascade" }),
    actorUserId: integer("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    kind: text("kind", { enum: callEventKinds }).notNull(),
    fromStatus: text("from_status", { enum: callStatuses }),
    toStatus: text("to_status", { enum: callStatuses }),
    note: text("note"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("call_events_call").on(t.callId, t.createdAt)],
);

export const webhookKinds = ["discord", "json"] as const;
export type WebhookKind = (typeof webhookKinds)[number];

/** Where new public calls are announced (configured by working-group admins). */
export const announcementWebhooks = sqliteTable("announcement_webhooks", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  kind: text("kind", { enum: webhookKinds }).notNull(),
  url: text("url").notNull(),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  createdByUserId: integer("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
  createdAt: integer("created_at").notNull(),
});

/** One announcement of one call to one webhook: the row that makes it exactly-once, with retries. */
export const callAnnouncements = sqliteTable(
  "call_announcements",
  {
    webhookId: integer("webhook_id")
      .notNull()
      .references(() => announcementWebhooks.id, { onDelete: "cascade" }),
    callId: integer("call_id")
      .notNull()
      .references(() => calls.id, { onDelete: "cascade" }),
    status: text("status", { enum: ["pending", "sent", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastError: text("last_error"),
    sentAt: integer("sent_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.webhookId, t.callId] }),
    index("call_announcements_due").on(t.status, t.nextAttemptAt),
  ],
);

export type Call = typeof calls.$inferSelect;
export type CallInterest = typeof callInterests.$inferSelect;
export type CallEvent = typeof callEvents.$inferSelect;
export type AnnouncementWebhook = typeof announcementWebhooks.$inferSelect;
