// Scheduled jobs (app/jobs/registry.server.ts): each job's place in its schedule, and every run it
// made. The lease that keeps a job from running twice at once is `job_leases` (db/schema/core.ts).
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./core.ts";

/** Per job: which scheduled slot it last started, its failures in a row, a pending retry or request. */
export const jobState = sqliteTable("job_state", {
  name: text("name").primaryKey(),
  /** The scheduled time (UTC ms) of the last slot a run was started for; later slots are due. */
  lastSlotAt: integer("last_slot_at"),
  /** Failed or abandoned runs in a row since the last success; 0 after a success or given up. */
  failures: integer("failures").notNull().default(0),
  /** When the next retry of a failed run is due; null when none is pending. */
  retryAt: integer("retry_at"),
  /** "Run now" from the admin page: when it was asked for (null when none is pending) and by whom. */
  requestedAt: integer("requested_at"),
  requestedBy: integer("requested_by").references(() => users.id, { onDelete: "set null" }),
});

export const jobRunOutcomes = ["running", "ok", "failed", "abandoned"] as const;
export type JobRunOutcome = (typeof jobRunOutcomes)[number];

export const jobRunTriggers = ["schedule", "retry", "manual", "start-up"] as const;
export type JobRunTrigger = (typeof jobRunTriggers)[number];

/** One row per run of a scheduled job, written when it starts and completed when it ends. */
export const jobRuns = sqliteTable(
  "job_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    /** 1 for a first try; 2, 3… for the retries that followed failures in a row. */
    attempt: integer("attempt").notNull(),
    trigger: text("trigger", { enum: jobRunTriggers }).notNull(),
    /** The machine and process that ran it (FLY_MACHINE_ID or host name, and pid). */
    instance: text("instance").notNull(),
    /** The `job_leases` holder of this run: it is abandoned once that lease has lapsed. */
    leaseHolder: text("lease_holder").notNull(),
    /** Who pressed "Run now", for a manual run. */
    requestedBy: integer("requested_by").references(() => users.id, { onDelete: "set null" }),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
    outcome: text("outcome", { enum: jobRunOutcomes }).notNull().default("running"),
    /** The error's class and message, cut short; jobs put no personal data in their errors. */
    error: text("error"),
    /** JSON object of small counts the job returned ({"sent": 3}); null when it returned none. */
    counts: text("counts"),
  },
  (t) => [index("job_runs_name_started").on(t.name, t.startedAt), index("job_runs_outcome").on(t.outcome)],
);
