// Pure arithmetic of job schedules, without the database: cron slots in UTC (croner), the backoff
// between retries, and a schedule in words for the admin page. app/jobs/scheduler.server.ts uses it.
import { Cron } from "croner";

/** What happens after a failed run: up to `attempts` tries in a row, spaced by a growing delay. */
export type RetryPolicy = {
  /** Tries in a row, the first included; 1 means no retry (the next scheduled run is the retry). */
  attempts: number;
  /** Delay before the first retry; each later one is `factor` times longer, up to `maxDelayMs`. */
  firstDelayMs: number;
  factor: number;
  maxDelayMs: number;
};

const patterns = new Map<string, Cron>();

/** A paused croner job for `pattern`, in UTC; throws on a pattern croner does not accept. */
function cron(pattern: string): Cron {
  let c = patterns.get(pattern);
  if (!c) {
    c = new Cron(pattern, { timezone: "Etc/UTC", paused: true });
    patterns.set(pattern, c);
  }
  return c;
}

/** Throws when `pattern` is not a cron pattern croner accepts (the registry checks its entries). */
export function assertCronPattern(pattern: string): void {
  cron(pattern);
}

/** The first slot strictly after `after` (UTC ms). */
export function nextSlotAfter(pattern: string, after: number): number {
  const next = cron(pattern).nextRun(new Date(after));
  if (!next) throw new Error(`cron pattern ${pattern} has no next run`);
  return next.getTime();
}

/** The latest slot at or before `at` (UTC ms), or null when the pattern has none in the past year. */
export function latestSlotAtOrBefore(pattern: string, at: number): number | null {
  if (cron(pattern).match(new Date(at - (at % 1000)))) return at - (at % 1000);
  const [previous] = cron(pattern).previousRuns(1, new Date(at));
  return previous ? previous.getTime() : null;
}

/**
 * Whether a scheduled slot has come since the one last started for: one answer however many
 * slots were missed, so a job that was down for a day runs once on start-up, not once per slot.
 */
export function slotIsDue(pattern: string, lastSlotAt: number | null, now: number): boolean {
  if (lastSlotAt === null) return true;
  return nextSlotAfter(pattern, lastSlotAt) <= now;
}

/**
 * The delay before retry number `failures` (1 after the first failure): firstDelay × factor^(n-1),
 * capped, then spread by ±20 % (`random` in [0, 1)) so that instances do not retry in step.
 */
export function retryDelayMs(policy: RetryPolicy, failures: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.firstDelayMs * policy.factor ** Math.max(0, failures - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

const two = (n: number) => String(n).padStart(2, "0");
const isNumber = (s: string) => /^\d{1,2}$/.test(s);

/** The schedule in words for the patterns the registry uses; other patterns fall back to the cron text. */
export function describeCron(pattern: string): string {
  const fields = pattern.trim().split(/\s+/);
  if (fields.length !== 5) return `Cron “${pattern}” (UTC)`;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const everyDay = dayOfMonth === "*" && month === "*" && dayOfWeek === "*";
  if (!everyDay) return `Cron “${pattern}” (UTC)`;
  if (minute === "*" && hour === "*") return "Every minute";
  const step = /^\*\/(\d{1,2})$/.exec(minute);
  if (step && hour === "*") return `Every ${step[1]} minutes`;
  if (isNumber(minute) && hour === "*") return `Every hour at ${two(Number(minute))} minutes past`;
  if (isNumber(minute) && isNumber(hour)) return `Every day at ${two(Number(hour))}:${two(Number(minute))} UTC`;
  return `Cron “${pattern}” (UTC)`;
}

/** "42 s", "3 min 5 s", "1 h 4 min": a run's duration for the admin page. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return ms < 1000 ? `${ms} ms` : `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 60)} h`;
}
