// Every scheduled job of the app in one list: what runs, how often, how long its lease lasts and
// what happens when it fails. app/runtime.server.ts starts the scheduler with this list.
import { runUnderLease, type ScheduledJob } from "#app/jobs/scheduler.server.ts";
import { runScheduledDigest } from "#app/jobs/digest.server.ts";
import { runInboxEmails } from "#app/jobs/inbox-email.server.ts";
import { runDailyEcosystem, runDemoSync } from "#app/jobs/ecosystem.server.ts";
import { runPeopleJobs } from "#app/jobs/people.server.ts";
import { runCallsJobs } from "#app/models/calls/expiry.server.ts";
import { sweepRequests } from "#app/models/requests/routing.server.ts";
import { remindClosingDrafts } from "#app/models/programs/window-inbox.server.ts";
import { pruneRateLimits } from "#app/utils/rate-limit.server.ts";
import { recordEndedMonths } from "#app/models/ecosystem/report-records.server.ts";
import { sendSurveyReminders } from "#app/models/surveys/reminders.server.ts";
import { deleteExpiredSessions } from "#app/models/people/sessions.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "#app/utils/dates.ts";

// Each lease lasts one interval: a run that fails is not tried again before the next one.
const packageSync: ScheduledJob = {
  // [ecosystem] daily: package metadata sync from PyPI and GitHub, then dormant check-ins.
  name: "package-sync",
  intervalMs: DAY_MS,
  leaseMs: DAY_MS,
  retry: "next-interval",
  run: runDailyEcosystem,
};

export const scheduledJobs: readonly ScheduledJob[] = [
  {
    name: "housekeeping",
    intervalMs: HOUR_MS,
    leaseMs: HOUR_MS,
    retry: "next-interval",
    run: async () => {
      await deleteExpiredSessions();
      await pruneRateLimits();
    },
  },
  {
    // [people] roadie and working-group terms: renewal reminders, lapses, transfers needing a roadie.
    name: "people-terms",
    intervalMs: HOUR_MS,
    leaseMs: HOUR_MS,
    retry: "next-interval",
    run: () => runPeopleJobs(),
  },
  {
    // [calls] expiry, 7-day reminders with renewal links, announcement retries.
    name: "calls",
    intervalMs: 5 * MINUTE_MS,
    leaseMs: 5 * MINUTE_MS,
    retry: "next-interval",
    run: () => runCallsJobs(),
  },
  {
    // [requests] acknowledgement deadlines: reassign what lapsed, assign what still waits.
    name: "requests-sweeper",
    intervalMs: HOUR_MS,
    leaseMs: HOUR_MS,
    retry: "next-interval",
    run: async () => void (await sweepRequests()),
  },
  {
    // [inbox] programme windows closing within three days: a reminder to authors of drafts.
    name: "programs-closing",
    intervalMs: HOUR_MS,
    leaseMs: HOUR_MS,
    retry: "next-interval",
    run: async () => void (await remindClosingDrafts()),
  },
  {
    // [digest] checked every minute; runs once a day after DIGEST_TIME and catches up after
    // downtime. The run itself holds a second lease, `digest:run`, renewed while it sends
    // (DIGEST_LEASE_TTL_MS), so a run longer than a minute is never started twice; a failed run
    // is picked up by the next minute's check and sends only what is missing.
    name: "digest",
    intervalMs: MINUTE_MS,
    leaseMs: MINUTE_MS,
    retry: "next-interval",
    run: async () => void (await runScheduledDigest()),
  },
  {
    // [conversations] the inbox's notifications by email: one email per thread after a quiet
    // window, a summary of other unread ones every few hours. Planned and sent through the email
    // ledger, so a run killed halfway sends nothing twice when the next minute's run resumes it.
    name: "inbox-email",
    intervalMs: MINUTE_MS,
    leaseMs: MINUTE_MS,
    retry: "next-interval",
    run: async () => void (await runInboxEmails()),
  },
  packageSync,
  {
    // [reports] stores each ended month's report once (idempotent; catches up after downtime).
    name: "monthly-reports",
    intervalMs: HOUR_MS,
    leaseMs: HOUR_MS,
    retry: "next-interval",
    run: async () => void (await recordEndedMonths()),
  },
  {
    // [surveys] one reminder per survey, a few days before it closes, to maintainers who have not answered.
    name: "survey-reminders",
    intervalMs: HOUR_MS,
    leaseMs: HOUR_MS,
    retry: "next-interval",
    run: async () => void (await sendSurveyReminders()),
  },
];

/**
 * Demo mode: sync once in the background, shortly after start (the stand-ins are served by this
 * very server, which listens only after boot). Holds the daily job's lease, so the scheduler's
 * first tick does not sync a second time.
 */
export function startDemoSync(): void {
  const timer = setTimeout(() => {
    runUnderLease(packageSync, runDemoSync).catch((error: unknown) =>
      log.error("demo sync failed", errorFields(error)),
    );
  }, 1_000);
  timer.unref();
}
