// Every scheduled job of the app in one list: what runs, when (cron, UTC), how long its lease lasts,
// how long a run may take and what happens when it fails. app/runtime.server.ts starts the
// scheduler with this list; /admin/jobs shows it with each job's runs.
import {
  pruneJobRuns,
  runJob,
  type JobCounts,
  type RetryPolicy,
  type ScheduledJob,
} from "#app/jobs/scheduler.server.ts";
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
import { HOUR_MS, MINUTE_MS } from "#app/utils/dates.ts";

/** Short, and renewed every third of it while a run works: a dead instance's lease lapses within minutes. */
const LEASE_MS = 2 * MINUTE_MS;

/** Retries after 1, 5 and 25 minutes (±20 %), then waits for the next scheduled time. */
const BACKOFF: RetryPolicy = { attempts: 4, firstDelayMs: MINUTE_MS, factor: 5, maxDelayMs: 25 * MINUTE_MS };
/** For jobs due every few minutes: the next scheduled run is the retry. */
const NEXT_SLOT: RetryPolicy = { attempts: 1, firstDelayMs: MINUTE_MS, factor: 1, maxDelayMs: MINUTE_MS };

const packageSync: ScheduledJob = {
  // [ecosystem] daily: package metadata sync from PyPI and GitHub, then dormant check-ins.
  name: "package-sync",
  cron: "0 3 * * *",
  description: "Syncs package metadata from PyPI and GitHub, then sends the quarter's dormant-package check-ins.",
  leaseMs: LEASE_MS,
  maxRunMs: 6 * HOUR_MS,
  retry: BACKOFF,
  run: runDailyEcosystem,
};

/**
 * Every scheduled job: name, cron pattern in UTC, what it does, lease, longest run, retry policy.
 * Hourly jobs are spread over the hour. Every job must be safe to run again (a retry, or a run
 * taken over after its instance died, repeats work a killed run may have half done).
 */
export const scheduledJobs: readonly ScheduledJob[] = [
  {
    name: "housekeeping",
    cron: "5 * * * *",
    description: "Deletes expired sessions, prunes old rate-limit counters and job runs older than 60 days.",
    leaseMs: LEASE_MS,
    maxRunMs: 15 * MINUTE_MS,
    retry: BACKOFF,
    run: async ({ now }) => {
      await deleteExpiredSessions(now);
      await pruneRateLimits(now);
      return { jobRunsPruned: await pruneJobRuns(now) };
    },
  },
  {
    // [people] roadie and working-group terms: renewal reminders, lapses, transfers needing a roadie.
    name: "people-terms",
    cron: "10 * * * *",
    description: "Roadie and working-group terms: renewal reminders and lapses; offers transfers that need a roadie.",
    leaseMs: LEASE_MS,
    maxRunMs: 15 * MINUTE_MS,
    retry: BACKOFF,
    run: async ({ now }) => numbers(await runPeopleJobs(now)),
  },
  {
    // [calls] expiry, 7-day reminders with renewal links, announcement retries.
    name: "calls",
    cron: "*/5 * * * *",
    description: "Expires calls past their end, sends 7-day reminders with renewal links, retries announcements.",
    leaseMs: LEASE_MS,
    maxRunMs: 10 * MINUTE_MS,
    retry: NEXT_SLOT,
    run: ({ now }) => runCallsJobs(now),
  },
  {
    // [requests] acknowledgement deadlines: reassign what lapsed, assign what still waits.
    name: "requests-sweeper",
    cron: "15 * * * *",
    description: "Reassigns special requests whose acknowledgement deadline lapsed and assigns those still waiting.",
    leaseMs: LEASE_MS,
    maxRunMs: 15 * MINUTE_MS,
    retry: BACKOFF,
    run: ({ now }) => sweepRequests(now),
  },
  {
    // [inbox] programme windows closing within three days: a reminder to authors of drafts.
    name: "programs-closing",
    cron: "20 * * * *",
    description: "Reminds authors of draft applications that their programme's window closes within three days.",
    leaseMs: LEASE_MS,
    maxRunMs: 15 * MINUTE_MS,
    retry: BACKOFF,
    run: async ({ now }) => ({ reminded: await remindClosingDrafts(now) }),
  },
  {
    // [digest] checked every minute; runs once a day after DIGEST_TIME and catches up after
    // downtime. The run itself holds a second lease, `digest:run`, renewed while it sends
    // (DIGEST_LEASE_TTL_MS), so a run is never started twice; a failed run is picked up by the
    // next minute's check and sends only what is missing.
    name: "digest",
    cron: "* * * * *",
    description: "Sends the weekly match digest once a day after DIGEST_TIME, to the people whose day it is.",
    leaseMs: LEASE_MS,
    maxRunMs: 2 * HOUR_MS,
    retry: NEXT_SLOT,
    run: async ({ now }) => {
      const summary = await runScheduledDigest(now);
      if (!summary) return;
      const { recipients, sent, alreadySent, failed, retryLater } = summary;
      return { recipients, sent, alreadySent, failed, retryLater };
    },
  },
  {
    // [conversations] the inbox's notifications by email: one email per thread after a quiet
    // window, a summary of other unread ones every few hours. Planned and sent through the email
    // ledger, so a run killed halfway sends nothing twice when the next minute's run resumes it.
    name: "inbox-email",
    cron: "* * * * *",
    description: "Emails inbox notifications that stayed unread: one per thread after a quiet window, summaries.",
    leaseMs: LEASE_MS,
    maxRunMs: 10 * MINUTE_MS,
    retry: NEXT_SLOT,
    run: async ({ now }) => ({ ...(await runInboxEmails(now)) }),
  },
  packageSync,
  {
    // [reports] stores each ended month's report once (idempotent; catches up after downtime).
    name: "monthly-reports",
    cron: "25 * * * *",
    description: "Stores each ended month's ecosystem report once.",
    leaseMs: LEASE_MS,
    maxRunMs: 15 * MINUTE_MS,
    retry: BACKOFF,
    run: async ({ now }) => ({ stored: (await recordEndedMonths(now)).length }),
  },
  {
    // [surveys] one reminder per survey, a few days before it closes, to maintainers who have not answered.
    name: "survey-reminders",
    cron: "30 * * * *",
    description: "Reminds maintainers who have not answered a survey a few days before it closes.",
    leaseMs: LEASE_MS,
    maxRunMs: 15 * MINUTE_MS,
    retry: BACKOFF,
    run: async ({ now }) => ({ reminded: await sendSurveyReminders(now) }),
  },
];

/** The numeric fields of a job's result, as the counts of its run. */
function numbers(result: object): JobCounts {
  return Object.fromEntries(
    Object.entries(result).filter((e): e is [string, number] => typeof e[1] === "number" && Number.isFinite(e[1])),
  );
}

/**
 * Demo mode: sync once in the background, shortly after start (the stand-ins are served by this
 * very server, which listens only after boot). A recorded run of the daily job under its lease,
 * so the scheduler's first tick does not sync a second time.
 */
export function startDemoSync(): void {
  const timer = setTimeout(() => {
    runJob({ ...packageSync, run: async () => void (await runDemoSync()) }, { trigger: "start-up" }).catch(
      (error: unknown) => log.error("demo sync failed", errorFields(error)),
    );
  }, 1_000);
  timer.unref();
}
