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

/** How a verified maintainer's link between the PyPI project and the repository was proven. */
export type MaintainerProof =
  /** PyPI's own metadata (a project URL or the home page) names the repository. */
  | { kind: "metadata"; url: string }
  /** A release was published from the repository through Trusted Publishing (PyPI's provenance). */
  | { kind: "provenance"; version: string; filename: string; workflow: string }
  /** An admin confirmed the claim with recorded evidence. */
  | { kind: "admin"; byUserId: number; note: string; url: string | null };

/**
 * Who maintains a package on Roadies. A row is "verified" (`verifiedAt` set) only once PyPI links
 * the project to the repository (`proof`) and GitHub confirmed the person's admin or maintain
 * permission on it, or an admin confirmed it with evidence. A claim without that proof is kept as
 * "claimed, unconfirmed" (`claimedAt` set, `verifiedAt` null); invited maintainers wait with their
 * login only (both null).
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
    /** When the person claimed the package without proof: "claimed, unconfirmed" while verifiedAt is null. */
    claimedAt: integer("claimed_at"),
    proof: text("proof", { mode: "json" }).$type<MaintainerProof>(),
    addedByUserId: integer("added_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("package_maintainers_login").on(t.packageId, sql`lower(${t.githubLogin})`),
    index("package_maintainers_user").on(t.userId),
  ],
);

/**
 * Every privileged action: who did what to which object, when. Append-only, enforced by triggers
 * that refuse UPDATE and DELETE (db/migrations/*_audit_append_only.sql), and hash-chained: `hash`
 * is SHA3-256 of the previous row's hash and this row's fields (app/models/moderation/audit.server.ts).
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /**
     * The actor's user id, on purpose without a foreign key: deleting the account leaves the id in
     * place (ids are never reused), where it no longer names anyone: a pseudonym.
     */
    actorUserId: integer("actor_user_id"),
    action: text("action").notNull(),
    objectType: text("object_type").notNull(),
    objectId: text("object_id").notNull(),
    /** JSON with ids and short facts only: never confidential text. */
    detail: text("detail").notNull().default("{}"),
    createdAt: integer("created_at").notNull(),
    /** Lowercase hex SHA3-256 of (previous row's hash, or "" for the first) || this row's canonical JSON. */
    hash: text("hash").notNull(),
  },
  (t) => [index("audit_log_created").on(t.createdAt), index("audit_log_object").on(t.objectType, t.objectId)],
);

/**
 * How many times an audited event repeated in its window (a signed-in person's refused looks at a
 * request in one hour): the audit row records the first, this counter the rest, because audit rows
 * are never updated.
 */
export const auditRepeats = sqliteTable("audit_repeats", {
  auditId: integer("audit_id")
    .primaryKey()
    .references(() => auditLog.id),
  count: integer("count").notNull(),
});

export type PackageMaintainer = typeof packageMaintainers.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;

/** Small named counters shared by every instance, e.g. the public-content generation of the page cache. */
export const appState = sqliteTable("app_state", {
  key: text("key").primaryKey(),
  value: integer("value").notNull(),
});
