// Rendered pages take turns. Under a burst (50 signed-in people at once, or anonymous visitors
// missing the page cache), Node would otherwise start every request at once and interleave dozens
// of half-done loaders and React renders: each holds its data and HTML in memory until the slowest
// finishes, and requests that arrived first are overtaken by later ones. A few at a time, the rest
// waiting in arrival order, gives the same throughput with a bounded heap and an even latency.
//
// A request whose client has gone is dropped when its turn comes: nobody would read the page.
// Without this, the requests a load tester (or impatient visitors) left behind when they closed
// their connections were rendered one after another, and a newcomer waited behind all of them.
import type { IncomingMessage, ServerResponse } from "node:http";

type Waiter = { start: (turn: boolean) => void; wanted: () => boolean };

/** At most `limit` tasks run at once; the others start in the order they asked. */
export class RenderQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`RenderQueue limit must be a positive integer`);
  }

  /**
   * Waits for a turn; the returned function ends it (calling it more than once is harmless).
   * `wanted` is asked when the turn comes: if it says no, the turn goes to the next in line and
   * this one resolves to undefined.
   */
  acquire(): Promise<() => void>;
  acquire(wanted: () => boolean): Promise<(() => void) | undefined>;
  async acquire(wanted: () => boolean = () => true): Promise<(() => void) | undefined> {
    if (this.running < this.limit) {
      if (!wanted()) return undefined;
      this.running += 1;
    } else {
      // The slot is handed over by release(), so `running` never drops below the limit while
      // others wait, and a newcomer cannot jump the queue.
      const turn = await new Promise<boolean>((start) => this.waiting.push({ start, wanted }));
      if (!turn) return undefined;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.handOver();
    };
  }

  /** Gives a finished turn to the first waiter still wanted; those no longer wanted leave the line. */
  private handOver() {
    for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
      if (next.wanted()) return next.start(true);
      next.start(false);
    }
    this.running -= 1;
  }

  /**
   * A turn for a page request, or undefined once its client has gone (then nothing should be
   * written). The turn ends by itself when the response closes.
   */
  async turnFor(req: IncomingMessage, res: ServerResponse): Promise<(() => void) | undefined> {
    const release = await this.acquire(() => !clientGone(req, res));
    if (!release) return undefined;
    // 'close': the response was sent, or its connection broke.
    res.once("close", release);
    return release;
  }

  /** Requests running now and waiting, for logs and tests. */
  get stats() {
    return { running: this.running, waiting: this.waiting.length };
  }
}

/**
 * The client closed its connection or its sending side. The response's 'close' alone comes late:
 * Node destroys the socket as soon as it reads the client's end (TCP FIN: http.Server's
 * httpAllowHalfOpen is off, so a half-closed client is gone too), but emits 'close' only after the
 * handle has closed, a pass of the event loop later, when the turn may already have been given.
 * (With keep-alive the request's own 'close' says nothing here: it fires once its body is read.)
 */
function clientGone(req: IncomingMessage, res: ServerResponse): boolean {
  return res.closed || req.destroyed || req.socket.destroyed || req.socket.readableEnded;
}
