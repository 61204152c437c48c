// Several server processes on one port (WEB_CONCURRENCY > 1, docs/operations.md): one Node process
// uses one CPU, so under load a single one makes visitors queue behind each other while the other
// CPUs idle. server.ts runs the start-up once in the primary, then hands it here: the primary
// serves nothing; it keeps one worker (server.ts again) per slot, node:cluster sharing the port
// among them (the primary accepts connections and deals them out in turn).
// Everything that must hold across processes already lives in the database, as it does across
// machines (docs/scaling.md): sessions, rate limits, the page cache's generation, job leases.
// Every server process loads node:cluster anyway: listen() asks it whether this is a worker.
import cluster, { type Worker } from "node:cluster";

type Log = Record<"info" | "warn" | "error", (message: string, fields?: Record<string, unknown>) => void>;

/** The worker slot that runs the scheduled jobs: one poller is enough, the leases make it safe anyway. */
export const JOBS_SLOT = 1;

/** A worker that ran at least this long before dying is replaced at once; sooner, after a back-off. */
const HEALTHY_RUN_MS = 60_000;
const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 30_000;

/**
 * This process's worker slot (1…count) when superviseWorkers started it, else undefined: a process
 * of its own, even as another tool's cluster worker (which sets no WORKER_SLOT).
 */
export function workerSlot(): number | undefined {
  const slot = Number(process.env.WORKER_SLOT);
  return cluster.isWorker && Number.isInteger(slot) && slot > 0 ? slot : undefined;
}

/**
 * Starts `count` workers and keeps them running: a worker that exits is replaced in the same slot,
 * after a back-off that doubles (1 s up to 30 s) while replacements keep dying within a minute, so
 * a crash loop does not spin. On SIGTERM or SIGINT every worker is told to stop (each drains its
 * requests within its own 10 s limit, server.ts); resolves once all have exited.
 */
export function superviseWorkers(count: number, log: Log): Promise<void> {
  let resolve!: () => void;
  const stopped = new Promise<void>((settle) => (resolve = settle));
  const workers = new Map<Worker, number>();
  const failures = new Map<number, number>();
  const pendingForks = new Set<NodeJS.Timeout>();
  let stopping = false;

  function fork(slot: number) {
    const startedAt = Date.now();
    const worker = cluster.fork({ WORKER_SLOT: String(slot) });
    const pid = worker.process.pid;
    workers.set(worker, slot);
    log.info("worker started", { worker: slot, workerPid: pid });
    worker.once("exit", (code, signal) => {
      workers.delete(worker);
      if (stopping) {
        log.info("worker stopped", { worker: slot, workerPid: pid, code, signal });
        if (workers.size === 0) resolve();
        return;
      }
      const failed = Date.now() - startedAt < HEALTHY_RUN_MS ? (failures.get(slot) ?? 0) + 1 : 0;
      failures.set(slot, failed);
      const retryMs = failed === 0 ? 0 : Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (failed - 1));
      log.error("worker exited, replacing it", { worker: slot, workerPid: pid, code, signal, retryMs });
      const timer = setTimeout(() => {
        pendingForks.delete(timer);
        fork(slot);
      }, retryMs);
      pendingForks.add(timer);
    });
  }

  function stop(signal: NodeJS.Signals) {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal, workers: workers.size });
    for (const timer of pendingForks) clearTimeout(timer);
    if (workers.size === 0) return resolve();
    // A terminal's Ctrl-C reaches the workers too; their stop is idempotent.
    for (const worker of workers.keys()) worker.process.kill("SIGTERM");
  }

  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  for (let slot = 1; slot <= count; slot++) fork(slot);
  return stopped;
}
