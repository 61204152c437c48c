// The digest job end to end against the Resend stand-in: one email per eligible person with the
// RFC 8058 headers, nothing on a rerun, retries, permanent failures, concurrent runs, and a run
// killed with SIGKILL then started again.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { startResendStandIn, type ResendStandIn } from "#tests/fakes/resend.ts";

const API_KEY = "re_test_digest_0123456789";
let standIn: ResendStandIn;

beforeAll(async () => {
  standIn = await startResendStandIn({ apiKey: API_KEY, rateLimitPerSecond: null });
  process.env.RESEND_API_KEY = API_KEY;
  process.env.RESEND_BASE_URL = standIn.url;
  process.env.EMAIL_FROM = "Roadies <roadies@example.org>";
  process.env.APP_URL = "https://roadies.example.org";
  delete process.env.DEMO_MODE;
});
afterAll(async () => {
  await standIn.close();
});

const { db, schema } = await import("#app/utils/db.server.ts");
const { emailRetryPolicy } = await import("#app/utils/email.server.ts");
const { runDigest, deliveryCounts } = await import("#app/jobs/digest.server.ts");
const { isoWeekOf, addWeeks } = await import("#app/models/digest/weeks.ts");
const { unsubscribeWithToken, unsubscribeToken } = await import("#app/models/digest/digest.server.ts");
const { suppressAddress } = await import("#app/utils/email-suppressions.server.ts");
const { makeCall, makePackage, makeUser } = await import("./digest-fixtures.ts");
const { eq, sql } = await import("drizzle-orm");

emailRetryPolicy.baseDelayMs = 5;

/** A fresh week per test, far from the others, so each test starts with no deliveries. */
let weekOffset = -60;
const nextWeek = () => addWeeks(isoWeekOf(Date.now()), (weekOffset -= 1));

const eligible: string[] = [];
let maintainer: { id: number; login: string };

beforeAll(async () => {
  maintainer = await makeUser({ login: "maintainer-mo", skills: [["packaging", "expert"]] });
  const pkgA = await makePackage("django-alpha", [maintainer.id]);
  const pkgB = await makePackage("django-beta", [maintainer.id]);
  await makeCall({
    packageId: pkgA.id,
    title: "Review ORM pull requests",
    skills: [["orm-migrations", "comfortable"]],
  });
  await makeCall({
    packageId: pkgB.id,
    title: "Release help",
    kind: "release-management",
    skills: [["packaging", "comfortable"]],
  });
  for (let i = 0; i < 12; i++) {
    const login = `vol-${i}`;
    await makeUser({ login, skills: [[i % 2 ? "orm-migrations" : "packaging", "expert"]], roles: ["co-maintainer"] });
    eligible.push(login);
  }
  // People who must get nothing: no skills, no address.
  await makeUser({ login: "nobody-skills" });
  await makeUser({ login: "no-address", email: null, skills: [["packaging", "expert"]] });
});

beforeEach(() => {
  standIn.reset();
  standIn.setRateLimit(null);
});

const sentTo = () => standIn.sent().map((e) => e.to[0]!);

describe("a digest run", () => {
  it("sends exactly one email per eligible person, with reasons, links and one-click unsubscribe headers", async () => {
    const week = nextWeek();
    const summary = await runDigest({ week, ratePerSecond: 1000 });

    expect(summary.status).toBe("done");
    const sent = standIn.sent();
    expect(sent.map((e) => e.to[0]).sort()).toEqual(
      [...eligible.map((l) => `${l}@example.org`), "maintainer-mo@example.org"].sort(),
    );
    expect(summary.sent).toBe(sent.length);
    expect(summary.skipped["no-email"]).toBe(1);
    expect(summary.skipped["nothing-to-show"]).toBeGreaterThanOrEqual(1);
    const one = sent.find((e) => e.to[0] === "vol-1@example.org")!;
    expect(one.subject).toMatch(/^\d+ match(es)? for you on Roadies this week$/);
    expect(one.html).toContain("Review ORM pull requests");
    expect(one.text).toContain("expert in ORM and migrations, which this call needs");
    expect(one.text).toMatch(/https:\/\/roadies\.example\.org\/calls\/\d+/);
    expect(one.text).toContain("https://roadies.example.org/settings/notifications");
    expect(one.headers["List-Unsubscribe"]).toMatch(
      /^<https:\/\/roadies\.example\.org\/unsubscribe\/[\w-]+\.[\w-]+\/one-click>$/,
    );
    expect(one.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    // Batches of up to 100, each with an idempotency key of its own.
    expect(standIn.requests().every((r) => r.path === "/emails/batch" && r.idempotencyKey)).toBe(true);
    expect(await deliveryCounts(week)).toEqual({ sent: sent.length });
  });

  it("sends nothing when run a second time for the same week", async () => {
    const week = nextWeek();
    const first = await runDigest({ week, ratePerSecond: 1000 });
    const before = standIn.sent().length;
    const second = await runDigest({ week, ratePerSecond: 1000 });

    expect(first.sent).toBe(before);
    expect(second.sent).toBe(0);
    expect(second.alreadySent).toBe(before);
    expect(standIn.sent()).toHaveLength(before);
  });

  it("retries 429 bursts and 500s and still sends each email once", async () => {
    const week = nextWeek();
    standIn.failNext(429, 2);
    standIn.failNext(500, 1);
    const summary = await runDigest({ week, ratePerSecond: 1000 });

    expect(summary.failed).toBe(0);
    expect(summary.sent).toBe(eligible.length + 1);
    expect(new Set(sentTo()).size).toBe(sentTo().length);
    expect(standIn.requests().filter((r) => r.status === 429)).toHaveLength(2);
  });

  it("records a permanent 422 and moves on; the rerun does not retry it", async () => {
    const week = nextWeek();
    standIn.failNext(422, 1);
    const { BATCH_LIMIT } = await import("#app/utils/email.server.ts");
    expect(BATCH_LIMIT).toBe(100);
    const summary = await runDigest({ week, ratePerSecond: 1000 });

    expect(summary.failed).toBe(eligible.length + 1);
    expect(summary.sent).toBe(0);
    // The email ledger is the one record of it: failed for good, with the provider's reason.
    const rows = await db()
      .select({
        status: schema.emailDeliveries.status,
        permanent: schema.emailDeliveries.permanent,
        error: schema.emailDeliveries.error,
      })
      .from(schema.digestDeliveries)
      .innerJoin(schema.emailDeliveries, eq(schema.emailDeliveries.idempotencyKey, schema.digestDeliveries.emailKey))
      .where(eq(schema.digestDeliveries.week, week))
      .all();
    expect(rows).toHaveLength(eligible.length + 1);
    expect(rows.every((r) => r.status === "failed" && r.permanent && r.error?.includes("Simulated 422"))).toBe(true);

    const rerun = await runDigest({ week, ratePerSecond: 1000 });
    expect(rerun.sent).toBe(0);
    expect(standIn.sent()).toHaveLength(0);
  });

  it("lets only one of two concurrent runs send", async () => {
    const week = nextWeek();
    const [a, b] = await Promise.all([
      runDigest({ week, ratePerSecond: 1000 }),
      runDigest({ week, ratePerSecond: 1000 }),
    ]);

    expect([a.status, b.status].sort()).toEqual(["busy", "done"]);
    expect(sentTo()).toHaveLength(eligible.length + 1);
    expect(new Set(sentTo()).size).toBe(eligible.length + 1);
  });

  it("skips people who unsubscribed or whose address bounced", async () => {
    const week = nextWeek();
    const [vol0] = await db().select().from(schema.users).where(eq(schema.users.login, "vol-0")).all();
    await unsubscribeWithToken(unsubscribeToken(vol0!.id, isoWeekOf(Date.now())));
    await suppressAddress("VOL-1@example.org", "bounced");
    const summary = await runDigest({ week, ratePerSecond: 1000 });

    expect(sentTo()).not.toContain("vol-0@example.org");
    expect(sentTo()).not.toContain("vol-1@example.org");
    expect(summary.skipped.unsubscribed).toBe(1);
    expect(summary.skipped.suppressed).toBe(1);
    await db().delete(schema.emailSuppressions);
    await db().update(schema.digestPreferences).set({ unsubscribedAt: null });
  });

  it("--limit and --only choose who gets it; the rest follow on the next run", async () => {
    const week = nextWeek();
    const limited = await runDigest({ week, ratePerSecond: 1000, limit: 3 });
    expect(limited.sent).toBe(3);
    expect(limited.skipped.limit).toBe(eligible.length + 1 - 3);
    const only = await runDigest({ week, ratePerSecond: 1000, only: "VOL-11" });
    expect(only.sent).toBe(1);
    expect(sentTo()).toContain("vol-11@example.org");
    const rest = await runDigest({ week, ratePerSecond: 1000 });
    expect(rest.sent).toBe(eligible.length + 1 - 4);
    expect(new Set(sentTo()).size).toBe(eligible.length + 1);
  });

  it("a dry run sends nothing, writes nothing and lists recipients with scored, explained matches", async () => {
    const week = nextWeek();
    const summary = await runDigest({ week, dryRun: true });

    expect(standIn.requests()).toHaveLength(0);
    expect(await deliveryCounts(week)).toEqual({});
    const vol1 = summary.dryRunRecipients!.find((r) => r.login === "vol-1")!;
    expect(vol1.email).toBe("vol-1@example.org");
    expect(vol1.matches[0]).toMatchObject({ kind: "call", url: expect.stringMatching(/\/calls\/\d+$/) });
    expect(vol1.matches[0]!.score).toBeGreaterThan(0);
    expect(vol1.matches[0]!.score).toBeLessThanOrEqual(1);
    expect(vol1.matches[0]!.reasons.length).toBeGreaterThan(0);
  });
});

describe("a run that dies after Resend accepted a chunk", () => {
  it("rebuilds the same request on the rerun, so Resend answers it without sending again", async () => {
    const week = nextWeek();
    const first = await runDigest({ week, ratePerSecond: 1000 });
    const sentBefore = standIn.sent().length;
    expect(first.sent).toBe(sentBefore);
    const [request] = standIn.requests().filter((r) => r.status === 200);
    // As if the process died between Resend's answer and writing it down.
    await db().run(
      sql`UPDATE email_deliveries SET status = 'pending', provider_id = NULL, sent_at = NULL WHERE idempotency_key LIKE ${`digest:${week}:%`}`,
    );

    const rerun = await runDigest({ week, ratePerSecond: 1000 });
    expect(rerun.sent).toBe(sentBefore);
    expect(standIn.sent()).toHaveLength(sentBefore);
    const replayed = standIn.requests().filter((r) => r.status === 200);
    expect(replayed).toHaveLength(2);
    expect(replayed[1]!.idempotencyKey).toBe(request!.idempotencyKey);
    expect(await deliveryCounts(week)).toEqual({ sent: sentBefore });
  });
});

describe("the dry run's JSON file", () => {
  it("is written as recipients come, as the same text as the whole object stringified", async () => {
    const { openDryRunJson } = await import("#app/jobs/digest.server.ts");
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "digest-json-"));
    const week = nextWeek();
    const recipients: import("#app/jobs/digest.server.ts").DryRunRecipient[] = [];
    const json = openDryRunJson(join(dir, "out.json"), week);
    await runDigest({
      week,
      dryRun: true,
      onDryRunRecipient: (r) => {
        recipients.push(r);
        json.write(r);
      },
    });
    json.close();
    expect(recipients.length).toBeGreaterThan(eligible.length - 1);
    expect(readFileSync(join(dir, "out.json"), "utf8")).toBe(`${JSON.stringify({ week, recipients }, null, 2)}\n`);

    const empty = openDryRunJson(join(dir, "empty.json"), week);
    empty.close();
    expect(readFileSync(join(dir, "empty.json"), "utf8")).toBe(
      `${JSON.stringify({ week, recipients: [] }, null, 2)}\n`,
    );
  });
});

describe("a run killed with SIGKILL", () => {
  it("sends only what is missing when started again: exactly one email each", async () => {
    // Enough people for several batches of 100, paced so the kill lands in the middle.
    const many: string[] = [];
    const pkg = await makePackage("django-gamma");
    await makeCall({
      packageId: pkg.id,
      title: "Docs",
      kind: "documentation",
      skills: [["documentation", "learning"]],
    });
    for (let i = 0; i < 250; i++) {
      const login = `crowd-${i}`;
      many.push(login);
      await makeUser({ login, skills: [["documentation", "comfortable"]] });
    }
    const week = isoWeekOf(Date.now());
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/digest.ts", "--week", week], {
      env: {
        ...process.env,
        DIGEST_RATE_PER_SECOND: "2",
        DIGEST_LEASE_TTL_MS: "1500",
        LOG_LEVEL: "silent",
      },
      stdio: "ignore",
    });
    await expect.poll(() => standIn.sent().length, { timeout: 20_000, interval: 20 }).toBeGreaterThan(0);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const sentBeforeKill = standIn.sent().length;
    expect(sentBeforeKill).toBeLessThan(many.length);

    // The dead run's lease lapses after its time-to-live; until then a new run says "busy".
    let summary = await runDigest({ week, ratePerSecond: 1000, leaseTtlMs: 1500 });
    await expect
      .poll(
        async () => {
          if (summary.status === "busy") summary = await runDigest({ week, ratePerSecond: 1000, leaseTtlMs: 1500 });
          return summary.status;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe("done");

    // Everyone planned got exactly one email: the crowd, and whoever else had a match this week.
    const counts = new Map<string, number>();
    for (const to of sentTo()) counts.set(to, (counts.get(to) ?? 0) + 1);
    const planned = (await deliveryCounts(week)).sent ?? 0;
    expect(await deliveryCounts(week)).toEqual({ sent: planned });
    expect(planned).toBeGreaterThanOrEqual(many.length);
    expect(counts.size).toBe(planned);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    for (const login of many) expect(counts.get(`${login}@example.org`)).toBe(1);
    const [run] = await db().all<{ status: string }>(sql`SELECT status FROM digest_runs WHERE week = ${week}`);
    expect(run?.status).toBe("finished");
  }, 60_000);
});
