// The ecosystem area: release-date corrections, package metadata synced from PyPI and GitHub,
// maintainer-reported compatibility, compatibility drives, sync runs and dormant check-ins.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { djangoReleases, packages, users } from "./core.ts";

export const releaseMilestones = [
  "alphaDate",
  "betaDate",
  "rcDate",
  "releaseDate",
  "mainstreamSupportEnd",
  "extendedSupportEnd",
] as const;
export type ReleaseMilestone = (typeof releaseMilestones)[number];

/**
 * A working-group admin's correction of one milestone date. Kept apart from django_releases
 * because the reference seed rewrites that table at every start: a correction must survive it.
 */
export const releaseDateCorrections = sqliteTable(
  "release_date_corrections",
  {
    version: text("version")
      .notNull()
      .references(() => djangoReleases.version, { onDelete: "cascade" }),
    milestone: text("milestone", { enum: releaseMilestones }).notNull(),
    /** `YYYY-MM-DD`, or null to say "not announced". */
    date: text("date"),
    /** True once Django published the date; false while it is a plan. */
    confirmed: integer("confirmed", { mode: "boolean" }).notNull(),
    updatedByUserId: integer("updated_by_user_id").references(() => users.id, { onDelete: "set null" }),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.version, t.milestone] })],
);

/** Per Django release: the coordination thread admins link from its compatibility drive. */
export const compatDrives = sqliteTable("compat_drives", {
  version: text("version")
    .primaryKey()
    .references(() => djangoReleases.version, { onDelete: "cascade" }),
  threadUrl: text("thread_url"),
  updatedByUserId: integer("updated_by_user_id").references(() => users.id, { onDelete: "set null" }),
  updatedAt: integer("updated_at").notNull(),
});

export const compatStatuses = ["compatible", "in_progress", "needs_help", "not_planned"] as const;
export type CompatStatus = (typeof compatStatuses)[number];

/** What a package's maintainers say about its support of one Django release. */
export const compatReports = sqliteTable(
  "compat_reports",
  {
    packageId: integer("package_id")
      .notNull()
      .references(() => packages.id, { onDelete: "cascade" }),
    version: text("version")
      .notNull()
      .references(() => djangoReleases.version, { onDelete: "cascade" }),
    status: text("status", { enum: compatStatuses }).notNull(),
    reportedByUserId: integer("reported_by_user_id").references(() => users.id, { onDelete: "set null" }),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.packageId, t.version] }), index("compat_reports_version").on(t.version)],
);

/** The latest metadata PyPI and GitHub gave for a package, with the validators for the next sync. */
export const packageMetadata = sqliteTable("package_metadata", {
  packageId: integer("package_id")
    .primaryKey()
    .references(() => packages.id, { onDelete: "cascade" }),
  latestVersion: text("latest_version"),
  /** `YYYY-MM-DD` of the latest release's first upload. */
  latestReleaseOn: text("latest_release_on"),
  /** JSON array of `YYYY-MM-DD`, one per non-yanked release, oldest first. */
  releaseDates: text("release_dates", { mode: "json" }).$type<string[]>().notNull().default([]),
  requiresPython: text("requires_python"),
  license: text("license"),
  /** JSON object label -> URL, as PyPI's project_urls. */
  projectUrls: text("project_urls", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
  pypiEtag: text("pypi_etag"),
  pypiSyncedAt: integer("pypi_synced_at"),
  pypiMissing: integer("pypi_missing", { mode: "boolean" }).notNull().default(false),
  githubStars: integer("github_stars"),
  githubOpenIssues: integer("github_open_issues"),
  githubPushedAt: integer("github_pushed_at"),
  githubArchived: integer("github_archived", { mode: "boolean" }),
  githubDefaultBranch: text("github_default_branch"),
  githubLicense: text("github_license"),
  githubEtag: text("github_etag"),
  githubSyncedAt: integer("github_synced_at"),
  /** Downloads over the last 30 days, from pypistats.org's `/api/packages/<name>/recent` (`last_month`). */
  downloadsLastMonth: integer("downloads_last_month"),
  downloadsSyncedAt: integer("downloads_synced_at"),
  lastError: text("last_error"),
  updatedAt: integer("updated_at").notNull(),
});

/** One sync of package metadata: its progress and summary. */
export const syncRuns = sqliteTable(
  "sync_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    trigger: text("trigger", { enum: ["cli", "schedule", "demo"] }).notNull(),
    total: integer("total").notNull(),
    done: integer("done").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    unchanged: integer("unchanged").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
    /** [directory] A run over every package (not `--package`): one that did not finish is resumed. */
    allPackages: integer("all_packages", { mode: "boolean" }).notNull().default(false),
    /**
     * [directory] What this run counts as fresh: parts synced at or after this instant are not fetched
     * again. Its own start, or for a run resuming a crashed one, the crashed run's `freshSince`.
     */
    freshSince: integer("fresh_since"),
    /** [directory] The run this one resumed after a crash. */
    resumedRunId: integer("resumed_run_id"),
    /** [directory] Requests per service: `{ github: { requests, notModified, … }, … }`. */
    requests: text("requests", { mode: "json" }).$type<Record<string, Record<string, number>>>(),
  },
  (t) => [index("sync_runs_started").on(t.startedAt)],
);

export const checkinAnswers = ["still_maintained", "would_like_help", "want_to_hand_over"] as const;
export type CheckinAnswer = (typeof checkinAnswers)[number];

/** A dormant-package check-in sent to one maintainer, at most once per package per quarter. */
export const maintenanceCheckins = sqliteTable(
  "maintenance_checkins",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    packageId: integer("package_id")
      .notNull()
      .references(() => packages.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** e.g. "2026-Q4". */
    quarter: text("quarter").notNull(),
    sentAt: integer("sent_at").notNull(),
    answer: text("answer", { enum: checkinAnswers }),
    answeredAt: integer("answered_at"),
  },
  (t) => [
    uniqueIndex("maintenance_checkins_once").on(t.packageId, t.userId, t.quarter),
    index("maintenance_checkins_package").on(t.packageId, t.answeredAt),
  ],
);
