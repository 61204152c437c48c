// The digest's last steps: pace (at most two requests in flight, each started a little over
// 1/rate after the one before) and send (one batch request per chunk of up to 100 people, rendered
// only now). Whether each email went out is recorded by the email module in its ledger.
import { isPermanentFailure, sendBatch } from "#app/utils/email.server.ts";
import { buildDigestEmail } from "#app/jobs/digest-email.server.ts";
import type { Planned } from "#app/jobs/digest-plan.server.ts";

const SENDS_IN_FLIGHT = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What became of a chunk's emails. */
export type ChunkOutcome = { sent: number; alreadySent: number; failed: number; retryLater: number };

/**
 * Step 4, pace: `start` waits for a free slot and the pace, then starts the send without waiting
 * for it, so the next chunk is matched, recorded and rendered while this one is on the network.
 * `drain` waits for what is still in flight (and throws what a send threw).
 */
export function createPacer(gapMs: number) {
  const inFlight = new Set<Promise<void>>();
  let nextRequestAt = 0;
  return {
    async start(send: () => Promise<void>): Promise<void> {
      while (inFlight.size >= SENDS_IN_FLIGHT) await Promise.race(inFlight);
      const wait = nextRequestAt - Date.now();
      if (wait > 0) await sleep(wait);
      nextRequestAt = Date.now() + gapMs;
      const sending: Promise<void> = send().finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    },
    async drain(): Promise<void> {
      await Promise.all(inFlight);
    },
  };
}

/**
 * A little over 1/rate apart: a request leaves some milliseconds after its start here (its
 * batch is rendered and claimed first), and one that lands a hair inside the provider's
 * one-second window gets a 429 whose retry-after costs a whole second.
 */
export const paceGapMs = (ratePerSecond: number) => 1030 / ratePerSecond;

/**
 * Step 5, send: the chunk's emails, rendered straight into sendBatch, which lets go of each
 * email once it is in the request body: no reference here keeps them for the request.
 */
export async function sendChunk(week: string, chunk: Planned[]): Promise<ChunkOutcome> {
  const results = await sendBatch(chunk.map((p) => buildDigestEmail(p.recipient, week, p.items)));
  const outcome: ChunkOutcome = { sent: 0, alreadySent: 0, failed: 0, retryLater: 0 };
  for (const result of results) {
    if (result.ok) {
      if (result.skipped) outcome.alreadySent += 1;
      else outcome.sent += 1;
    } else if (isPermanentFailure(result.status)) outcome.failed += 1;
    // A rerun picks these up: the ledger keeps them unsent and not permanent.
    else outcome.retryLater += 1;
  }
  return outcome;
}
