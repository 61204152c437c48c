// The database schema: the single source of truth for tables. Times are UTC milliseconds
// since the epoch (integers) everywhere; calendar dates are ISO `YYYY-MM-DD` text.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    githubId: integer("github_id").notNull(),
    login: text("login").notNull(),
    name: text("name"),
    avatarUrl: text("avatar_url"),
    /** The primary, verified address GitHub reported; null when it reported none. */
    email: text("email"),
    githubCreatedAt: integer("github_created_at"),
    /** AES-256-GCM encrypted GitHub access token (see app/utils/crypto.server.ts). */
    githubTokenEnc: text("github_token_enc"),
    timezone: text("timezone"),
    bio: text("bio"),
    availabilityHours: integer("availability_hours"),
    adminFlag: integer("is_admin", { mode: "boolean" }).notNull().default(false),
    isDemo: integer("is_demo", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    lastSignInAt: integer("last_sign_in_at"),
  },
  (t) => [uniqueIndex("users_github_id").on(t.githubId), uniqueIndex("users_login_lower").on(sql`lower(${t.login})`)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    secretHash: text("secret_hash").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    userAgent: text("user_agent"),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user").on(t.userId), index("sessions_expires").on(t.expiresAt)],
);

/** Fixed-window request counters, shared by every instance of the app. */
export const rateLimits = sqliteTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: integer("window_start").notNull(),
  count: integer("count").notNull(),
});

/** One row per email the app decided to send: the record that makes sending exactly-once. */
export const emailDeliveries = sqliteTable(
  "email_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    idempotencyKey: text("idempotency_key").notNull(),
    template: text("template").notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    status: text("status", { enum: ["pending", "sent", "failed"] }).notNull(),
    providerId: text("provider_id"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    /** Set with a failure that would happen again (a 4xx other than 429): jobs do not retry it. */
    permanent: integer("permanent", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
  },
  (t) => [uniqueIndex("email_deliveries_key").on(t.idempotencyKey)],
);

export const suppressionReasons = ["bounced", "complained"] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

/** Addresses we must not email (hard bounce or spam complaint), lower-cased; no email goes to one. */
export const emailSuppressions = sqliteTable("email_suppressions", {
  address: text("address").primaryKey(),
  reason: text("reason", { enum: suppressionReasons }).notNull(),
  createdAt: integer("created_at").notNull(),
});

/** Demo mode only: emails land here instead of going to Resend, readable at /dev/outbox. */
export const outboxEmails = sqliteTable("outbox_emails", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  to: text("to").notNull(),
  from: text("from").notNull(),
  subject: text("subject").notNull(),
  html: text("html").notNull(),
  text: text("text").notNull(),
  /** JSON object of extra headers (List-Unsubscribe …), as they would have gone to Resend. */
  headers: text("headers").notNull().default("{}"),
  createdAt: integer("created_at").notNull(),
});

/** Leases so that one instance at a time runs a scheduled job. */
export const jobLeases = sqliteTable("job_leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: integer("expires_at").notNull(),
});

export const skills = sqliteTable("skills", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  group: text("group").notNull(),
  position: integer("position").notNull(),
});

export const skillLevels = ["learning", "comfortable", "expert"] as const;
export type SkillLevel = (typeof skillLevels)[number];

export const userSkills = sqliteTable(
  "user_skills",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    skillId: text("skill_id")
      .notNull()
      .references(() => skills.id),
    level: text("level", { enum: skillLevels }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.skillId] }), index("user_skills_skill").on(t.skillId)],
);

export const djangoReleases = sqliteTable("django_releases", {
  version: text("version").primaryKey(),
  /** Sort key: 3.2 -> 30200, 2028.1 -> 20280100: numeric so that "newest first" is cheap. */
  sortKey: integer("sort_key").notNull(),
  lts: integer("lts", { mode: "boolean" }).notNull(),
  releaseDate: text("release_date"),
  alphaDate: text("alpha_date"),
  betaDate: text("beta_date"),
  rcDate: text("rc_date"),
  mainstreamSupportEnd: text("mainstream_support_end"),
  extendedSupportEnd: text("extended_support_end"),
  /** JSON array of "3.12"-style strings. */
  pythonVersions: text("python_versions", { mode: "json" }).$type<string[]>().notNull().default([]),
  /** "released" once the final release date is a fact, "planned" before. */
  status: text("status", { enum: ["released", "planned"] }).notNull(),
});

export const packages = sqliteTable(
  "packages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The name as the maintainer wrote it, e.g. "Django-Foo". */
    name: text("name").notNull(),
    /** PEP 503 normalised name, e.g. "django-foo": the identity of a package. */
    normalizedName: text("normalized_name").notNull(),
    repository: text("repository"),
    pypiUrl: text("pypi_url"),
    description: text("description"),
    /** JSON array of category names. */
    categories: text("categories", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** JSON array of trove classifiers. */
    classifiers: text("classifiers", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("packages_normalized_name").on(t.normalizedName)],
);

/** A row of `users` as stored: `adminFlag` alone grants nothing (app/models/people/powers.server.ts). */
export type UserRow = typeof users.$inferSelect;
/**
 * A person as the app sees them: `isAdmin` is the derived right (the flag, a current working-group
 * stint, no suspension), never the raw flag, which is left out so no check can read it by mistake.
 */
export type User = Omit<UserRow, "adminFlag"> & { isAdmin: boolean };
export type Session = typeof sessions.$inferSelect;
export type Package = typeof packages.$inferSelect;
export type DjangoRelease = typeof djangoReleases.$inferSelect;
export type Skill = typeof skills.$inferSelect;

/**
 * Who maintains a package on Roadies. A row is "verified" once GitHub confirmed the person's
 * admin or maintain permission on the repository; invited maintainers wait with their login only.
 */
export const packageMaintainers = sqliteTable(
  "package_maintainers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    packageId: integer("package_id")
      .notNull()
      .references(() => packages.id, { onDelete: "cascade" }),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    githubLogin: text("github_login").notNull(),
    verifiedAt: integer("verified_at"),
    addedByUserId: integer("added_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("package_maintainers_login").on(t.packageId, sql`lower(${t.githubLogin})`),
    index("package_maintainers_user").on(t.userId),
  ],
);

/** Every privileged action: who did what to which object, when. Rows are never updated. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    actorUserId: integer("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    objectType: text("object_type").notNull(),
    objectId: text("object_id").notNull(),
    /** JSON with ids and short facts only: never confidential text. */
    detail: text("detail").notNull().default("{}"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("audit_log_created").on(t.createdAt), index("audit_log_object").on(t.objectType, t.objectId)],
);

export type PackageMaintainer = typeof packageMaintainers.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;

/** Small named counters shared by every instance, e.g. the public-content generation of the page cache. */
export const appState = sqliteTable("app_state", {
  key: text("key").primaryKey(),
  value: integer("value").notNull(),
});
