// How the package sync talks to PyPI, GitHub and pypistats.org politely: one pacer per service
// (a minimum interval between requests, and pauses shared by every worker when a service says its
// limit is reached or nearly reached), GETs retried with backoff on 5xx and network errors, and a
// count of the requests each service answered (304s apart: on GitHub they cost nothing).
import { log } from "#app/utils/log.server.ts";

export class FetchProblem extends Error {}

export type SyncService = "pypi" | "github" | "pypistats";

export type RequestCounts = {
  requests: number;
  ok: number;
  notModified: number;
  notFound: number;
  rateLimited: number;
  failed: number;
  /** Pauses taken for this service's rate limit, and their total length. */
  pauses: number;
  pausedMs: number;
};

export type SyncClock = {
  /** Waits; tests and the benchmark replace it to observe pauses without sleeping. */
  sleep: (ms: number) => Promise<void>;
  now: () => number;
};

export const emptyCounts = (): RequestCounts => ({
  requests: 0,
  ok: 0,
  notModified: 0,
  notFound: 0,
  rateLimited: 0,
  failed: 0,
  pauses: 0,
  pausedMs: 0,
});

/**
 * Spaces one service's requests at least `intervalMs` apart and holds every worker during a pause.
 * Turns are taken one at a time, so each wait is slept once however many workers queue behind it.
 */
export class Pacer {
  private queue: Promise<void> = Promise.resolve();
  private lastStart = Number.NEGATIVE_INFINITY;
  private pausedUntil = 0;
  readonly counts = emptyCounts();

  constructor(
    readonly service: SyncService,
    private readonly intervalMs: number,
    private readonly clock: SyncClock,
  ) {}

  /** Resolves when this worker may send its request. */
  ready(): Promise<void> {
    const turn = this.queue.then(async () => {
      const now = this.clock.now();
      const pause = this.pausedUntil - now;
      const wait = Math.max(0, pause, this.lastStart + this.intervalMs - now);
      if (pause > 0) {
        this.counts.pauses++;
        this.counts.pausedMs += pause;
        log.info("sync paused for a rate limit", { service: this.service, pauseMs: pause });
      }
      this.pausedUntil = 0; // a pause is slept once, by whoever is first in the queue
      if (wait > 0) await this.clock.sleep(wait);
      this.lastStart = this.clock.now();
    });
    this.queue = turn.catch(() => {});
    return turn;
  }

  /** Holds every request to this service until `until` (epoch ms). */
  pauseUntil(until: number) {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /**
   * GitHub's headers on every answer: when what is left of the hour's allowance falls to a small
   * reserve (2 %, at least 1), wait for the reset instead of running into 403s. The reserve leaves room
   * for requests already on their way.
   */
  observeGitHubLimit(response: Response, maxPauseMs: number) {
    const remaining = Number(response.headers.get("x-ratelimit-remaining") ?? Number.NaN);
    const limit = Number(response.headers.get("x-ratelimit-limit") ?? Number.NaN);
    const reset = Number(response.headers.get("x-ratelimit-reset") ?? Number.NaN);
    if (!Number.isFinite(remaining) || !Number.isFinite(limit) || !Number.isFinite(reset)) return;
    const reserve = Math.max(1, Math.ceil(limit * 0.02));
    if (remaining > reserve) return;
    const pause = reset * 1000 - this.clock.now() + 1000;
    if (pause > 0 && pause <= maxPauseMs) this.pauseUntil(this.clock.now() + pause);
  }
}

export type FetchSettings = SyncClock & {
  attempts: number;
  baseDelayMs: number;
  /** A rate-limit pause longer than this fails the request instead of waiting. */
  maxPauseMs: number;
  requestTimeoutMs: number;
};

/**
 * GET with retries: network errors and 5xx are retried with exponential backoff; a rate-limit answer
 * (403/429 with Retry-After, or X-RateLimit-Remaining: 0) pauses the whole service until the reset.
 */
export async function fetchWithRetry(
  url: string,
  headers: Record<string, string>,
  pacer: Pacer,
  s: FetchSettings,
): Promise<Response> {
  let lastProblem = "";
  let pausesLeft = 5; // a service that stays limited after five waits has a problem waiting will not fix
  for (let attempt = 1; attempt <= s.attempts; attempt++) {
    await pacer.ready();
    let response: Response | undefined;
    pacer.counts.requests++;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(s.requestTimeoutMs), redirect: "follow" });
    } catch (error) {
      lastProblem = `network error: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (response) {
      if (pacer.service === "github") pacer.observeGitHubLimit(response, s.maxPauseMs);
      const pause = rateLimitPause(response, s.now());
      if (pause !== null) {
        pacer.counts.rateLimited++;
        await response.body?.cancel();
        if (pause > s.maxPauseMs || pausesLeft-- === 0) {
          pacer.counts.failed++;
          throw new FetchProblem(`rate limited for ${Math.ceil(pause / 1000)} s`);
        }
        pacer.pauseUntil(s.now() + pause);
        attempt--; // waiting for the reset is not a failed attempt
        continue;
      }
      if (response.status < 500) {
        if (response.status === 304) pacer.counts.notModified++;
        else if (response.status === 404) pacer.counts.notFound++;
        else if (response.ok) pacer.counts.ok++;
        return response;
      }
      await response.body?.cancel();
      lastProblem = `HTTP ${response.status}`;
    }
    if (attempt < s.attempts) await s.sleep(s.baseDelayMs * 2 ** (attempt - 1));
  }
  pacer.counts.failed++;
  throw new FetchProblem(`${lastProblem} after ${s.attempts} attempts`);
}

/** Milliseconds to wait when the response says the rate limit is exhausted; null otherwise. */
export function rateLimitPause(response: Response, now: number): number | null {
  if (response.status !== 403 && response.status !== 429) return null;
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  if (response.headers.get("x-ratelimit-remaining") === "0") {
    const reset = Number(response.headers.get("x-ratelimit-reset"));
    if (Number.isFinite(reset) && reset > 0) return Math.max(1000, reset * 1000 - now + 1000);
  }
  // A 429 without a hint: back off for a minute rather than hammer the service.
  if (response.status === 429) return 60_000;
  return null;
}

export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new FetchProblem("malformed JSON in the answer");
  }
}
