// Rendered pages take turns. Under a burst (50 signed-in people at once, or anonymous visitors
// missing the page cache), Node would otherwise start every request at once and interleave dozens
// of half-done loaders and React renders: each holds its data and HTML in memory until the slowest
// finishes, and requests that arrived first are overtaken by later ones. A few at a time, the rest
// waiting in arrival order, gives the same throughput with a bounded heap and an even latency.

/** At most `limit` tasks run at once; the others start in the order they asked. */
export class RenderQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`RenderQueue limit must be a positive integer`);
  }

  /** Waits for a turn; the returned function ends it (calling it more than once is harmless). */
  async acquire(): Promise<() => void> {
    if (this.running < this.limit) {
      this.running += 1;
    } else {
      // The slot is handed over by release(), so `running` never drops below the limit while
      // others wait, and a newcomer cannot jump the queue.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    };
  }

  /** Requests running now and waiting, for logs and tests. */
  get stats() {
    return { running: this.running, waiting: this.waiting.length };
  }
}
