// Faults the outside world and the database throw at Roadies, and what people and jobs get:
// Resend failing half its requests or down, GitHub and PyPI down or slower than our timeouts, and
// the database's write lock held by another connection past the busy timeout.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { APP, context } from "#tests/support/routes.ts";
import { createClient } from "@libsql/client";
import { startResendStandIn } from "#tests/fakes/resend.ts";
import { createGitHubStandIn } from "#tests/fakes/github.ts";
import { createPyPIStandIn, demoPyPIProjects } from "#tests/fakes/pypi.ts";
import { startFaultGate } from "./quality-fault-gate.ts";

const API_KEY = "re_test_quality_faults_0123";
const resend = await startResendStandIn({ apiKey: API_KEY, rateLimitPerSecond: null });
const resendGate = await startFaultGate(resend.url);
const github = createGitHubStandIn({
  identities: [
    { id: 901, login: "lin", name: "Lin", createdAt: "2016-01-01T00:00:00Z", emails: [] },
    { id: 902, login: "sam", name: "Sam", createdAt: "2016-01-01T00:00:00Z", emails: [] },
  ],
  repos: [{ owner: "adamchainz", name: "django-htmx", stars: 1800, openIssues: 7, permissions: {} }],
});
const githubServer = await github.listen();
const githubGate = await startFaultGate(githubServer.url);
const pypi = createPyPIStandIn(demoPyPIProjects().filter((p) => p.name === "django-htmx"));
const pypiServer = await pypi.listen();
const pypiGate = await startFaultGate(pypiServer.url);

process.env.RESEND_API_KEY = API_KEY;
process.env.RESEND_BASE_URL = resendGate.url;
process.env.EMAIL_FROM = "Roadies <roadies@example.org>";
process.env.APP_URL = APP;
process.env.GITHUB_OAUTH_URL = githubGate.url;
process.env.GITHUB_API_URL = `${githubGate.url}/api`;
process.env.PYPI_URL = pypiGate.url;
const WEBHOOK_SECRET = `whsec_${Buffer.from("quality-faults-webhook-secret!!").toString("base64")}`;
const INTERNAL_TOKEN = "quality-faults-internal-token-0123456789";
process.env.RESEND_WEBHOOK_SECRET = WEBHOOK_SECRET;
process.env.INTERNAL_API_TOKEN = INTERNAL_TOKEN;
delete process.env.DEMO_MODE;

const { db, schema } = await import("#app/utils/db.server.ts");
const { emailRetryPolicy } = await import("#app/utils/email.server.ts");
const { githubTimeouts } = await import("#app/utils/github.server.ts");
const { runDigest, deliveryCounts } = await import("#app/jobs/digest.server.ts");
const { runSync } = await import("#app/jobs/sync.server.ts");
const { isoWeekOf, addWeeks } = await import("#app/models/digest/weeks.ts");
const { answerBusy, isDatabaseBusy, withDatabaseBusyAnswers } = await import("#app/utils/database-busy.server.ts");
const { createSession, sessionCookie } = await import("#app/models/people/sessions.server.ts");
const { getCurrentUser } = await import("#app/models/people/auth.server.ts");
const { unsubscribeToken } = await import("#app/models/digest/digest.server.ts");
const { svixSignature } = await import("#tests/fakes/svix.ts");
const { createProgram } = await import("#app/models/programs/programs.server.ts");
const { addQuestion } = await import("#app/models/programs/questions.server.ts");
const { getAnswers } = await import("#app/models/programs/answers.server.ts");
const { flushApplicationEmails, getApplication, saveApplication } =
  await import("#app/models/programs/applications.server.ts");
const { action: startSignIn } = await import("#app/routes/auth.github.tsx");
const { loader: signInCallback } = await import("#app/routes/auth.github_.callback.tsx");
const { action: saveProfileAction } = await import("#app/routes/settings.profile.tsx");
const entry = await import("#app/entry.server.tsx");
const { makeCall, makePackage, makeUser } = await import("./digest-fixtures.ts");
const { eq, sql } = await import("drizzle-orm");

emailRetryPolicy.baseDelayMs = 5;

afterAll(async () => {
  await Promise.all([resendGate.close(), githubGate.close(), pypiGate.close(), resend.close()]);
  await Promise.all([githubServer.close(), pypiServer.close()]);
});

/** A second connection to the same file, as another process would hold it. */
function otherConnection() {
  return createClient({ url: process.env.DATABASE_URL!, timeout: 100 });
}

/** Runs `work` while another connection holds the write lock; what it returned or threw. */
async function underWriteLock(work: () => Promise<unknown>): Promise<unknown> {
  const other = otherConnection();
  const lock = await other.transaction("write");
  try {
    return await work();
  } catch (thrown) {
    return thrown;
  } finally {
    await lock.rollback();
    other.close();
  }
}

let weekOffset = -80;
const nextWeek = () => addWeeks(isoWeekOf(Date.now()), (weekOffset -= 1));
const volunteers: string[] = [];

beforeAll(async () => {
  // 150 people whose skills match an open call: two Resend batch requests per digest run.
  const maintainer = await makeUser({ login: "fault-maintainer" });
  const pkg = await makePackage("django-faults", [maintainer.id]);
  await makeCall({ packageId: pkg.id, title: "Review pull requests", skills: [["packaging", "comfortable"]] });
  for (let i = 0; i < 150; i++) {
    const login = `fault-vol-${i}`;
    await makeUser({ login, skills: [["packaging", "expert"]], roles: ["co-maintainer"] });
    volunteers.push(`${login}@example.org`);
  }
});

/** Addresses the Resend stand-in delivered to (after its own idempotency), one entry per email. */
const delivered = () => resend.sent().map((e) => e.to[0]!);

describe("the digest when Resend fails", () => {
  test("failing every other request (500 and 429 alternately): every eligible person gets exactly one email; a rerun sends nothing", async () => {
    resend.reset();
    resendGate.seen.length = 0;
    const firstTry = new Set<string>();
    let failures = 0;
    resendGate.intercept = (req) => {
      const key = String(req.headers["idempotency-key"] ?? "");
      if (req.method !== "POST" || firstTry.has(key)) return undefined;
      firstTry.add(key);
      failures += 1;
      return failures % 2
        ? { status: 500, body: JSON.stringify({ statusCode: 500, name: "internal_server_error", message: "boom" }) }
        : {
            status: 429,
            headers: { "retry-after": "0" },
            body: JSON.stringify({ statusCode: 429, name: "rate_limit_exceeded", message: "slow down" }),
          };
    };
    try {
      const week = nextWeek();
      const summary = await runDigest({ week, ratePerSecond: 1000 });
      expect(summary.status).toBe("done");
      expect(summary.retryLater).toBe(0);
      const intercepted = resendGate.seen.filter((s) => s.answer === "intercepted").length;
      const forwarded = resendGate.seen.filter((s) => s.answer === "forwarded").length;
      expect(intercepted).toBeGreaterThanOrEqual(2);
      expect(intercepted).toBe(forwarded); // half of Resend's answers were failures
      const to = delivered();
      expect(new Set(to).size).toBe(to.length); // nobody twice
      for (const address of volunteers) expect(to).toContain(address);
      expect(summary.sent).toBe(to.length);
      expect(await deliveryCounts(week)).toEqual({ sent: to.length });

      const again = await runDigest({ week, ratePerSecond: 1000 });
      expect(again.sent).toBe(0);
      expect(again.alreadySent).toBe(to.length);
      expect(delivered()).toHaveLength(to.length);
    } finally {
      resendGate.intercept = undefined;
    }
  });

  test("Resend down (connection refused): the run keeps every delivery pending, and the next run sends each once", async () => {
    resend.reset();
    const week = nextWeek();
    await resendGate.mode("down");
    try {
      const summary = await runDigest({ week, ratePerSecond: 1000 });
      expect(summary.sent).toBe(0);
      expect(summary.retryLater).toBeGreaterThanOrEqual(volunteers.length);
      expect(delivered()).toHaveLength(0);
      expect(await deliveryCounts(week)).toEqual({ pending: summary.retryLater });
    } finally {
      await resendGate.mode("up");
    }
    const resumed = await runDigest({ week, ratePerSecond: 1000 });
    const to = delivered();
    expect(resumed.sent).toBe(to.length);
    expect(new Set(to).size).toBe(to.length);
    for (const address of volunteers) expect(to).toContain(address);
    expect(await deliveryCounts(week)).toEqual({ sent: to.length });
  });

  test("the database locked by another connection mid-run: the run stops, the next run finishes it, nobody gets two emails", async () => {
    resend.reset();
    const week = nextWeek();
    const other = otherConnection();
    let lock: ReturnType<typeof other.transaction> | undefined;
    // The lock is taken the moment the first email request reaches Resend (BEGIN IMMEDIATE runs
    // before the answer goes out): the send succeeds, but recording it waits past the busy timeout.
    resendGate.intercept = () => {
      lock ??= other.transaction("write");
      return undefined;
    };
    try {
      await expect(runDigest({ week, ratePerSecond: 1000, leaseTtlMs: 1000 })).rejects.toSatisfy(isDatabaseBusy);
    } finally {
      resendGate.intercept = undefined;
      await (await lock)?.rollback();
      other.close();
    }
    const sentBefore = delivered().length;
    expect(sentBefore).toBeGreaterThan(0);

    const resumed = await runDigest({ week, ratePerSecond: 1000 });
    expect(resumed.status).toBe("done");
    const to = delivered();
    expect(new Set(to).size).toBe(to.length);
    for (const address of volunteers) expect(to).toContain(address);
    expect(await deliveryCounts(week)).toEqual({ sent: to.length });
  });
});

describe("package sync when PyPI or GitHub is down or slow", () => {
  const quick = { sleep: async () => {}, baseDelayMs: 1, attempts: 2, requestTimeoutMs: 300 };
  async function meta() {
    const pkg = await db()
      .select()
      .from(schema.packages)
      .where(eq(schema.packages.normalizedName, "django-htmx"))
      .get();
    return db().select().from(schema.packageMetadata).where(eq(schema.packageMetadata.packageId, pkg!.id)).get();
  }

  beforeAll(async () => {
    await db()
      .insert(schema.packages)
      .values({
        name: "django-htmx",
        normalizedName: "django-htmx",
        repository: "adamchainz/django-htmx",
        createdAt: 1,
        updatedAt: 1,
      })
      .onConflictDoNothing();
    const first = await runSync({ packages: ["django-htmx"], ...quick });
    expect(first.updated).toBe(1);
  });

  for (const fault of ["down", "slow"] as const) {
    test(`both ${fault}: the run records the failure, keeps the previous figures, and the next run succeeds`, async () => {
      const before = await meta();
      expect(before?.latestVersion).toBeTruthy();
      expect(before?.githubStars).toBe(1800);
      const mode = fault === "down" ? "down" : { slowMs: 2_000 };
      await Promise.all([pypiGate.mode(mode), githubGate.mode(mode)]);
      try {
        const failed = await runSync({ packages: ["django-htmx"], ...quick });
        expect(failed.failed).toBe(1);
        expect(failed.outcomes[0]).toMatchObject({ pypi: "failed", github: "failed" });
        const run = await db().select().from(schema.syncRuns).where(eq(schema.syncRuns.id, failed.runId)).get();
        expect(run).toMatchObject({ failed: 1, done: 1 });
        expect(run?.finishedAt).toBeTruthy();
        const kept = await meta();
        expect(kept?.lastError).toMatch(/PyPI: .*after 2 attempts.*GitHub: .*after 2 attempts/);
        expect(kept).toMatchObject({
          latestVersion: before!.latestVersion,
          githubStars: 1800,
          pypiEtag: before!.pypiEtag,
          pypiSyncedAt: before!.pypiSyncedAt,
        });
      } finally {
        await Promise.all([pypiGate.mode("up"), githubGate.mode("up")]);
      }
      const next = await runSync({ packages: ["django-htmx"], ...quick });
      expect(next.failed).toBe(0);
      expect((await meta())?.lastError).toBeNull();
    });
  }
});

describe("sign-in when GitHub is down or slow", () => {
  async function beginSignIn(login: string) {
    const started = (await startSignIn({
      request: new Request(`${APP}/auth/github`, { method: "POST", body: new URLSearchParams({ next: "/" }) }),
      params: {},
      context,
    })) as Response;
    const cookie = started.headers.get("set-cookie")!.split(";")[0]!;
    const approve = new URL(started.headers.get("location")!);
    approve.pathname += "/approve";
    approve.searchParams.set("login", login);
    const back = await fetch(approve, { redirect: "manual" });
    return { cookie, callback: back.headers.get("location")! };
  }
  async function finishSignIn(callback: string, cookie: string) {
    try {
      return await signInCallback({
        request: new Request(callback, { headers: { Cookie: cookie } }),
        params: {},
        context,
      });
    } catch (thrown) {
      return thrown;
    }
  }
  const counts = async () => ({
    users: (await db().select().from(schema.users).all()).length,
    sessions: (await db().select().from(schema.sessions).all()).length,
  });

  for (const fault of ["down", "slow"] as const) {
    test(`GitHub ${fault}: a clear "could not reach GitHub" page, nothing created; signing in again works`, async () => {
      const before = await counts();
      const { cookie, callback } = await beginSignIn("lin");
      githubTimeouts.requestMs = 300;
      await githubGate.mode(fault === "down" ? "down" : { slowMs: 2_000 });
      try {
        const result = (await finishSignIn(callback, cookie)) as {
          data: { problem: string };
          init: { status: number };
        };
        expect(result.init.status).toBe(502);
        expect(result.data.problem).toBe("github");
        expect(await counts()).toEqual(before);
      } finally {
        await githubGate.mode("up");
        githubTimeouts.requestMs = 10_000;
      }
      const retry = await beginSignIn("lin");
      const ok = await finishSignIn(retry.callback, retry.cookie);
      expect(ok).toBeInstanceOf(Response);
      expect((ok as Response).status).toBe(302);
      await db().delete(schema.sessions);
      await db().delete(schema.users).where(eq(schema.users.login, "lin"));
    });
  }
});

describe("a person's write while another connection holds the write lock", () => {
  test("gets a 503 with Retry-After and a plain message, nothing half-written; the same write succeeds once the lock is gone", async () => {
    const user = await makeUser({ login: "fault-writer", skills: [["packaging", "learning"]] });
    const { token } = await createSession(user.id, "test");
    const form = () =>
      new URLSearchParams([
        ["timezone", "Asia/Tokyo"],
        ["availabilityHours", "7"],
        ["rolesWanted", "mentor"],
        ["bio", "Written while the database was locked."],
        ["visibility", "public"],
        ["skills.testing", "expert"],
      ]);
    const request = () =>
      new Request(`${APP}/settings/profile`, {
        method: "POST",
        headers: { Cookie: `${sessionCookie()}=${token}`, "Content-Type": "application/x-www-form-urlencoded" },
        body: form(),
      });
    const snapshot = async () => ({
      user: await db().select().from(schema.users).where(eq(schema.users.id, user.id)).get(),
      skills: await db().select().from(schema.userSkills).where(eq(schema.userSkills.userId, user.id)).all(),
      profile: await db()
        .select()
        .from(schema.volunteerProfiles)
        .where(eq(schema.volunteerProfiles.userId, user.id))
        .get(),
    });
    const before = await snapshot();

    const error = await underWriteLock(() => saveProfileAction({ request: request(), params: {}, context }));
    expect(isDatabaseBusy(error)).toBe(true);
    expect(await snapshot()).toEqual(before);

    // What Remix does with that error: handleError marks the request, the document is a 503.
    const loadContext: { cspNonce: string; requestId: string; databaseBusy?: boolean } = {
      cspNonce: "",
      requestId: "test",
    };
    entry.handleError(error, { request: request(), context: loadContext });
    const page = (await entry.default(request(), 500, new Headers(), {} as never, loadContext)) as Response;
    expect(page.status).toBe(503);
    expect(page.headers.get("retry-after")).toBe("5");
    const html = await page.text();
    expect(html).toContain("Roadies is busy for a moment");
    expect(html).toContain("try again");
    expect(html).not.toMatch(/locked|SQLITE|Failed query|at .*\.ts/);

    const saved = (await saveProfileAction({ request: request(), params: {}, context })) as Response;
    expect(saved.status).toBe(302);
    const after = await snapshot();
    expect(after.user).toMatchObject({
      timezone: "Asia/Tokyo",
      availabilityHours: 7,
      bio: "Written while the database was locked.",
    });
    expect(after.skills.map((s) => [s.skillId, s.level])).toEqual([["testing", "expert"]]);
  });
});

describe("resource routes while another connection holds the write lock", () => {
  test("the Resend webhook, the digest endpoint and one-click unsubscribe answer 503 with Retry-After, so senders retry; the retry works", async () => {
    const user = await makeUser({ login: "fault-unsubscriber" });
    const unsubscribe = unsubscribeToken(user.id, isoWeekOf(Date.now()));
    // As server.ts hands the build to Remix: every loader and action wrapped in one place.
    const { routes } = withDatabaseBusyAnswers({
      routes: {
        webhook: { module: await import("#app/routes/webhooks.resend.ts") },
        digest: { module: await import("#app/routes/internal.jobs.digest.ts") },
        oneClick: { module: await import("#app/routes/unsubscribe.$token_.one-click.ts") },
      },
    });
    const bounce = JSON.stringify({
      type: "email.bounced",
      created_at: new Date().toISOString(),
      data: { email_id: "e-fault", to: ["bounced-under-lock@example.org"], bounce: { type: "Permanent" } },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const requests = {
      webhook: () =>
        new Request(`${APP}/webhooks/resend`, {
          method: "POST",
          body: bounce,
          headers: {
            "svix-id": "msg_fault_1",
            "svix-timestamp": timestamp,
            "svix-signature": `v1,${svixSignature(WEBHOOK_SECRET, "msg_fault_1", timestamp, bounce)}`,
            "content-type": "application/json",
          },
        }),
      digest: () =>
        new Request(`${APP}/internal/jobs/digest`, {
          method: "POST",
          headers: { Authorization: `Bearer ${INTERNAL_TOKEN}` },
          body: JSON.stringify({ week: nextWeek() }),
        }),
      oneClick: () =>
        new Request(`${APP}/unsubscribe/${unsubscribe}/one-click`, {
          method: "POST",
          body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }),
        }),
    };
    const call = async (name: keyof typeof requests, loadContext: Record<string, unknown>) => {
      try {
        return (await (routes[name].module.action as (args: unknown) => Promise<Response>)({
          request: requests[name](),
          params: { token: unsubscribe },
          context: loadContext,
        })) as Response;
      } catch (thrown) {
        return thrown;
      }
    };

    for (const name of ["webhook", "oneClick", "digest"] as const) {
      const loadContext: Record<string, unknown> = { cspNonce: "", requestId: "test" };
      const answer = await underWriteLock(() => call(name, loadContext));
      expect(answer, name).toBeInstanceOf(Response);
      expect((answer as Response).status, name).toBe(503);
      expect((answer as Response).headers.get("retry-after"), name).toBe("5");
      expect(await (answer as Response).text(), name).toMatch(/busy.*Nothing was half-saved.*try again/s);
      expect(loadContext.databaseBusy, name).toBe(true);
    }
    // Nothing was recorded under the lock, so each retry does the work once.
    const webhook = (await call("webhook", { ...context })) as Response;
    expect(webhook.status).toBe(200);
    expect(((await webhook.json()) as { message: string }).message).not.toBe("already processed");
    const oneClick = (await call("oneClick", { ...context })) as Response;
    expect(oneClick.status).toBe(200);
    expect(
      (await db().select().from(schema.digestPreferences).where(eq(schema.digestPreferences.userId, user.id)).get())
        ?.unsubscribedAt,
    ).toBeTruthy();
  });
});

describe("a person's write while the database is read-only for a moment", () => {
  test("gets a 503 with Retry-After and nothing is written; the next write succeeds on a fresh connection", async () => {
    const user = await makeUser({ login: "fault-readonly", skills: [["packaging", "learning"]] });
    const { token } = await createSession(user.id, "test");
    const request = () =>
      new Request(`${APP}/settings/profile`, {
        method: "POST",
        headers: { Cookie: `${sessionCookie()}=${token}`, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams([
          ["timezone", "Europe/Lisbon"],
          ["availabilityHours", "3"],
          ["rolesWanted", "co-maintainer"],
          ["bio", "Saved after the volume came back."],
          ["visibility", "public"],
          ["skills.packaging", "comfortable"],
        ]),
      });
    const bio = async () => (await db().select().from(schema.users).where(eq(schema.users.id, user.id)).get())?.bio;
    const before = await bio();
    const save = answerBusy(saveProfileAction as never) as unknown as (args: object) => Promise<Response>;

    // The app's connection turns read-only, as on a volume remounted read-only: SQLite refuses
    // every write with SQLITE_READONLY, the same error a read-only file gives (the tests run as
    // root, who may write to a file whatever its mode, so the mode cannot be used here).
    await db().run(sql`PRAGMA query_only = ON`);
    const answer = await save({ request: request(), params: {}, context: { ...context } }).catch((e: unknown) => e);
    expect(answer).toBeInstanceOf(Response);
    const refused = answer as Response;
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    const text = await refused.text();
    expect(text).toContain("Nothing was half-saved");
    expect(text).not.toMatch(/readonly|SQLITE/i);
    expect(await bio()).toBe(before);

    // The refused write replaced the connection, so the same save now goes through.
    const saved = await save({ request: request(), params: {}, context: { ...context } });
    expect(saved.status).toBe(302);
    expect(await bio()).toBe("Saved after the volume came back.");
  });
});

describe("a signed-in page view while another connection holds the write lock", () => {
  test("the session's last-used time is not slid, but the person is still signed in; it slides after the lock", async () => {
    const user = await makeUser({ login: "fault-reader" });
    const twoHoursAgo = Date.now() - 2 * 60 * 60 * 1000;
    const { token, session } = await createSession(user.id, "test", twoHoursAgo);
    const request = () => new Request(`${APP}/`, { headers: { Cookie: `${sessionCookie()}=${token}` } });
    const lastUsedAt = async () =>
      (await db().select().from(schema.sessions).where(eq(schema.sessions.id, session.id)).get())?.lastUsedAt;

    const signedIn = await underWriteLock(() => getCurrentUser(request()));
    expect((signedIn as { id: number } | null)?.id).toBe(user.id);
    expect(await lastUsedAt()).toBe(twoHoursAgo);

    expect((await getCurrentUser(request()))?.id).toBe(user.id);
    expect(await lastUsedAt()).toBeGreaterThan(twoHoursAgo);
  });
});

describe("applying to a programme", () => {
  async function openProgramme(slug: string) {
    const now = Date.now();
    const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
    const program = await createProgram(
      {
        slug,
        name: `Fault programme ${slug}`,
        organisation: "Djangonaut Space",
        description: "A programme for the fault tests.",
        seasonStart: day(30),
        seasonEnd: day(60),
        opensOn: day(-2),
        closesOn: day(2),
        windowTimezone: "AoE",
        roles: [{ name: "Djangonaut", capacity: 2 }],
        organiserLogins: [],
        rubric: [{ label: "Motivation", weight: 1 }],
      },
      null,
    );
    const question = await addQuestion(program.id, { kind: "short_text", label: "Why?", required: true }, null);
    return { program, question };
  }
  const draft = (answers: Record<number, string>) => ({
    answers,
    projectRanking: [],
    timezone: null,
    availableFrom: null,
    availableTo: null,
  });

  test("a first save under the lock leaves no empty draft behind; the same save works afterwards", async () => {
    const { program, question } = await openProgramme("fault-lock");
    const user = await makeUser({ login: "fault-applicant" });
    const roleId = program.roles[0]!.id;

    const error = await underWriteLock(() =>
      saveApplication(program, roleId, user.id, draft({ [question.id]: "To learn" }), { submit: false }),
    );
    expect(isDatabaseBusy(error)).toBe(true);
    expect(await getApplication(program.id, roleId, user.id)).toBeUndefined();

    const saved = await saveApplication(program, roleId, user.id, draft({ [question.id]: "To learn" }), {
      submit: false,
    });
    expect(saved.ok).toBe(true);
    expect(await getAnswers(saved.ok ? saved.application.id : 0)).toEqual({ [question.id]: "To learn" });
  });

  test("submitting answers before Resend does: the confirmation follows, once", async () => {
    const { program, question } = await openProgramme("fault-slow-resend");
    const user = await makeUser({ login: "fault-quick-applicant", email: "quick-applicant@example.org" });
    const roleId = program.roles[0]!.id;
    resend.reset();
    await resendGate.mode({ slowMs: 1_500 });
    try {
      const submitted = await saveApplication(program, roleId, user.id, draft({ [question.id]: "Because" }), {
        submit: true,
      });
      expect(submitted.ok && submitted.firstSubmission).toBe(true);
      expect(delivered()).not.toContain("quick-applicant@example.org"); // answered without waiting on Resend
      await flushApplicationEmails();
    } finally {
      await resendGate.mode("up");
    }
    expect(delivered()).toEqual(["quick-applicant@example.org"]);
    // Saving again does not send a second confirmation.
    await saveApplication(program, roleId, user.id, draft({ [question.id]: "Because, still" }), { submit: true });
    await flushApplicationEmails();
    expect(delivered()).toEqual(["quick-applicant@example.org"]);
  });
});
