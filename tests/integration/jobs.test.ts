// Jobs that recover: a failed run is retried with backoff and every attempt is in the history; a
// long run renews its lease so a second instance never starts it meanwhile; a dead instance's run
// is marked abandoned and taken over once its short lease lapses; "Run now" on the admin page runs
// the job once, on whichever instance's scheduler ticks, and only admins may ask for it.
import { afterEach, describe, expect, it } from "vitest";
import { APP, context, request, run } from "#tests/support/routes.ts";

process.env.APP_URL = APP;

const { db, schema } = await import("#app/utils/db.server.ts");
const { createScheduler } = await import("#app/jobs/scheduler.server.ts");
const { scheduledJobs } = await import("#app/jobs/registry.server.ts");
const jobsPage = await import("#app/routes/admin.jobs.tsx");
const { makeAdmin, makeUser, cookieFor } = await import("#tests/support/factories.ts");
const { and, asc, eq } = await import("drizzle-orm");
type ScheduledJob = import("#app/jobs/scheduler.server.ts").ScheduledJob;

const MIN = 60_000;
const BACKOFF = { attempts: 4, firstDelayMs: MIN, factor: 5, maxDelayMs: 25 * MIN };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function job(name: string, run: ScheduledJob["run"], overrides: Partial<ScheduledJob> = {}): ScheduledJob {
  return {
    name,
    cron: "0 3 * * *",
    description: name,
    leaseMs: 2 * MIN,
    maxRunMs: 10 * MIN,
    retry: BACKOFF,
    run,
    ...overrides,
  };
}

const history = (name: string) =>
  db().select().from(schema.jobRuns).where(eq(schema.jobRuns.name, name)).orderBy(asc(schema.jobRuns.id)).all();

/** A clock the test moves by hand. */
function manualClock(start: string) {
  let t = Date.parse(start);
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const releases: (() => void)[] = [];
afterEach(() => releases.splice(0).forEach((r) => r()));

describe("the registry", () => {
  it("declares each job once, with a UTC cron pattern, a description, a short lease and a retry policy", async () => {
    const { assertCronPattern } = await import("#app/jobs/schedule.ts");
    expect(new Set(scheduledJobs.map((j) => j.name)).size).toBe(scheduledJobs.length);
    for (const j of scheduledJobs) {
      expect(() => assertCronPattern(j.cron), j.name).not.toThrow();
      expect(j.description.length, j.name).toBeGreaterThan(10);
      // Short and renewed: a dead instance blocks its job for minutes, not hours.
      expect(j.leaseMs, j.name).toBeLessThanOrEqual(5 * MIN);
      expect(j.maxRunMs, j.name).toBeGreaterThan(j.leaseMs);
      expect(j.retry.attempts, j.name).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("a failed run is retried with backoff", () => {
  it("fails twice, is retried after about 1 then 5 minutes, succeeds, and the history shows all three attempts", async () => {
    const clock = manualClock("2030-01-01T10:00:00Z");
    let calls = 0;
    const flaky = job("flaky-sync", async () => {
      calls += 1;
      if (calls < 3) throw new Error(`upstream answered 502 for ada@example.org (try ${calls})`);
      return { updated: 7 };
    });
    const scheduler = createScheduler([flaky], { clock: clock.now, random: () => 0.5 });
    const tick = async () => {
      await scheduler.tick();
      await scheduler.idle();
    };

    await tick(); // never run before: due at start-up
    clock.advance(59_000);
    await tick(); // 59 s later: the first retry is not due yet
    expect(calls).toBe(1);
    clock.advance(1_000);
    await tick(); // 1 min after the failure
    expect(calls).toBe(2);
    clock.advance(4 * MIN);
    await tick();
    expect(calls).toBe(2); // the second retry waits 5 minutes
    clock.advance(MIN);
    await tick();
    expect(calls).toBe(3);
    clock.advance(30 * MIN);
    await tick(); // succeeded: nothing more until 03:00 tomorrow
    expect(calls).toBe(3);

    const runs = await history("flaky-sync");
    expect(runs.map((r) => [r.attempt, r.trigger, r.outcome])).toEqual([
      [1, "schedule", "failed"],
      [2, "retry", "failed"],
      [3, "retry", "ok"],
    ]);
    expect(runs[0]!.error).toBe("upstream answered 502 for [address] (try 1)");
    expect(JSON.parse(runs[2]!.counts!)).toEqual({ updated: 7 });
    expect(runs[1]!.startedAt - runs[0]!.finishedAt!).toBe(MIN);
    expect(runs[2]!.startedAt - runs[1]!.finishedAt!).toBe(5 * MIN);
  });

  it("after its last attempt, waits for the next scheduled time instead of retrying", async () => {
    const clock = manualClock("2030-01-01T10:00:00Z");
    let calls = 0;
    const broken = job(
      "always-broken",
      async () => {
        calls += 1;
        throw new Error("still broken");
      },
      { retry: { ...BACKOFF, attempts: 2 } },
    );
    const scheduler = createScheduler([broken], { clock: clock.now, random: () => 0.5 });
    for (let i = 0; i < 12; i++) {
      await scheduler.tick();
      await scheduler.idle();
      clock.advance(5 * MIN);
    }
    expect(calls).toBe(2); // the first try and one retry, within the hour
    clock.advance(Date.parse("2030-01-02T03:00:00Z") - clock.now());
    await scheduler.tick();
    await scheduler.idle();
    expect(calls).toBe(3); // the next day's 03:00 run, a first attempt again
    expect((await history("always-broken")).map((r) => r.attempt)).toEqual([1, 2, 1]);
  });
});

describe("a run never overlaps itself", () => {
  it("a run longer than its lease renews it: a second scheduler over the same database does not start it meanwhile", async () => {
    let active = 0;
    let most = 0;
    let calls = 0;
    const long = job(
      "long-report",
      async () => {
        calls += 1;
        active += 1;
        most = Math.max(most, active);
        await sleep(1_200);
        active -= 1;
      },
      { leaseMs: 300 },
    );
    const a = createScheduler([long], { instance: "machine-a" });
    const b = createScheduler([long], { instance: "machine-b" });
    await a.tick();
    await sleep(50);
    // Asked for again while it runs: due for instance B, which must still keep off.
    await db().update(schema.jobState).set({ requestedAt: Date.now() }).where(eq(schema.jobState.name, "long-report"));
    for (let i = 0; i < 10; i++) {
      await b.tick();
      await sleep(100);
    }
    expect(calls).toBe(1); // 1 s in, four lease lengths: B never started it
    await a.idle();
    await b.tick();
    await b.idle();
    expect(calls).toBe(2); // the request is honoured once the first run has ended
    expect(most).toBe(1);
    const [first, second] = await history("long-report");
    expect(first).toMatchObject({ instance: "machine-a", outcome: "ok" });
    expect(second).toMatchObject({ instance: "machine-b", outcome: "ok", trigger: "manual" });
    expect(second!.startedAt).toBeGreaterThanOrEqual(first!.finishedAt!);
  });

  it("a dead instance's run is marked abandoned once its short lease lapses, and another instance takes the job over", async () => {
    const start = Date.parse("2030-01-01T10:00:00Z");
    let frozenAt = start;
    let calls = 0;
    const stuck = job(
      "stuck-export",
      async () => {
        calls += 1;
        if (calls === 1) await new Promise<void>((resolve) => releases.push(resolve)); // the instance hangs
        return { exported: 3 };
      },
      { leaseMs: 2 * MIN },
    );
    // Instance A's clock stands still: its heartbeats never move the lease past start + 2 min, as
    // when the instance is gone.
    const a = createScheduler([stuck], { clock: () => frozenAt, instance: "machine-a" });
    await a.tick();
    await sleep(20);
    expect(calls).toBe(1);

    const later = manualClock("2030-01-01T10:01:00Z");
    const b = createScheduler([stuck], { clock: later.now, instance: "machine-b" });
    await db()
      .update(schema.jobState)
      .set({ requestedAt: later.now() })
      .where(eq(schema.jobState.name, "stuck-export"));
    await b.tick();
    await b.idle();
    expect(calls).toBe(1); // a minute in, the lease is still live

    later.advance(MIN + 1);
    await b.tick();
    await b.idle();
    expect(calls).toBe(2);
    const [dead, takeover] = await history("stuck-export");
    expect(dead).toMatchObject({ instance: "machine-a", outcome: "abandoned", finishedAt: start + 2 * MIN + 1 });
    expect(takeover).toMatchObject({ instance: "machine-b", outcome: "ok", attempt: 2 });

    // The hung run finally returns: it stays abandoned, and changes nothing.
    frozenAt = later.now();
    releases.splice(0).forEach((r) => r());
    await a.idle();
    expect((await history("stuck-export"))[0]!.outcome).toBe("abandoned");
  });

  it("a run past its maximum run time is told to stop and recorded as failed", async () => {
    const slow = job(
      "slow-cleanup",
      async ({ signal }) => {
        await new Promise((resolve) => signal.addEventListener("abort", resolve));
        throw new Error("stopped early");
      },
      { maxRunMs: 100 },
    );
    const scheduler = createScheduler([slow]);
    await scheduler.tick();
    await scheduler.idle();
    const [only] = await history("slow-cleanup");
    expect(only).toMatchObject({ outcome: "failed", error: "ran longer than its maximum of 100 ms" });
  });
});

describe("run history", () => {
  it("housekeeping keeps 60 days of finished runs and never deletes a running one", async () => {
    const { pruneJobRuns } = await import("#app/jobs/scheduler.server.ts");
    const now = Date.parse("2030-06-01T00:00:00Z");
    const DAY = 24 * 60 * MIN;
    const row = (startedAt: number, outcome: "ok" | "running") => ({
      name: "old-history",
      attempt: 1,
      trigger: "schedule" as const,
      instance: "machine-a",
      leaseHolder: "h",
      startedAt,
      outcome,
    });
    await db()
      .insert(schema.jobRuns)
      .values([row(now - 61 * DAY, "ok"), row(now - 61 * DAY, "running"), row(now - 59 * DAY, "ok")]);
    expect(await pruneJobRuns(now)).toBeGreaterThanOrEqual(1);
    expect((await history("old-history")).map((r) => r.startedAt)).toEqual([now - 61 * DAY, now - 59 * DAY]);
  });
});

describe("the admin Jobs page", () => {
  it("lists every job of the registry with its schedule in words and cron, and shows a run's history", async () => {
    const admin = await makeAdmin("jobs-page-admin");
    const cookie = await cookieFor(admin.id);
    const page = await run(() => jobsPage.loader({ request: request("/admin/jobs", { cookie }), params: {}, context }));
    expect(page.status).toBe(200);
    const { jobs } = page.value as Awaited<ReturnType<typeof jobsPage.loader>>;
    expect(jobs.map((j) => j.name)).toEqual(scheduledJobs.map((j) => j.name));
    expect(jobs.find((j) => j.name === "package-sync")).toMatchObject({
      cron: "0 3 * * *",
      schedule: "Every day at 03:00 UTC",
    });
    const filtered = await run(() =>
      jobsPage.loader({ request: request("/admin/jobs?job=flaky-sync", { cookie }), params: {}, context }),
    );
    // Not a registry job: the filter is ignored rather than trusted.
    expect((filtered.value as { filter?: string }).filter).toBeUndefined();
  });

  it("Run now runs the job once, on whichever instance ticks first, records who asked, and is audited", async () => {
    const admin = await makeAdmin("jobs-run-now-admin");
    const cookie = await cookieFor(admin.id);
    const housekeeping = scheduledJobs.find((j) => j.name === "housekeeping")!;
    const a = createScheduler([housekeeping], { instance: "machine-a" });
    const b = createScheduler([housekeeping], { instance: "machine-b" });
    await a.tick(); // its first run ever
    await a.idle();
    await Promise.all([a.tick(), b.tick()]);
    await Promise.all([a.idle(), b.idle()]);
    expect(await history("housekeeping")).toHaveLength(1);

    const posted = await run(() =>
      jobsPage.action({
        request: request("/admin/jobs", { cookie, form: { intent: "run-now", job: "housekeeping" } }),
        params: {},
        context,
      }),
    );
    expect(posted.status).toBe(302);
    expect(posted.location).toBe("/admin/jobs?requested=housekeeping");
    await Promise.all([a.tick(), b.tick()]);
    await Promise.all([a.idle(), b.idle()]);
    await Promise.all([a.tick(), b.tick()]);
    await Promise.all([a.idle(), b.idle()]);

    const runs = await history("housekeeping");
    expect(runs).toHaveLength(2);
    expect(runs[1]).toMatchObject({ trigger: "manual", requestedBy: admin.id, outcome: "ok" });
    const audit = await db()
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.action, "job.run-requested"), eq(schema.auditLog.actorUserId, admin.id)))
      .all();
    expect(audit).toMatchObject([{ objectType: "job", objectId: "housekeeping" }]);

    const page = await run(() =>
      jobsPage.loader({ request: request("/admin/jobs?job=housekeeping", { cookie }), params: {}, context }),
    );
    const { runs: shown } = page.value as Awaited<ReturnType<typeof jobsPage.loader>>;
    expect(shown[0]).toMatchObject({ trigger: "manual", requestedBy: "jobs-run-now-admin", outcome: "ok" });
  });

  it("an unknown job cannot be requested", async () => {
    const admin = await makeAdmin("jobs-unknown-admin");
    const cookie = await cookieFor(admin.id);
    const posted = await run(() =>
      jobsPage.action({
        request: request("/admin/jobs", { cookie, form: { intent: "run-now", job: "drop-tables" } }),
        params: {},
        context,
      }),
    );
    expect(posted.status).toBe(400);
    expect(await db().select().from(schema.jobState).where(eq(schema.jobState.name, "drop-tables")).all()).toEqual([]);
  });

  it("only working-group admins see the page or ask for a run; others get 403, visitors are sent to sign in", async () => {
    const volunteer = await makeUser("jobs-volunteer");
    const cookie = await cookieFor(volunteer.id);
    const seen = await run(() => jobsPage.loader({ request: request("/admin/jobs", { cookie }), params: {}, context }));
    expect(seen.status).toBe(403);
    const asked = await run(() =>
      jobsPage.action({
        request: request("/admin/jobs", { cookie, form: { intent: "run-now", job: "package-sync" } }),
        params: {},
        context,
      }),
    );
    expect(asked.status).toBe(403);
    const anonymous = await run(() => jobsPage.loader({ request: request("/admin/jobs"), params: {}, context }));
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login/);
    const state = await db().select().from(schema.jobState).where(eq(schema.jobState.name, "package-sync")).get();
    expect(state?.requestedAt ?? null).toBeNull();
  });
});
