// Sending email through the real Resend SDK to the local Resend stand-in over HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createElement } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { startResendStandIn, type ResendStandIn } from "#tests/fakes/resend.ts";

const API_KEY = "re_test_roadies_0123456789";

let standIn: ResendStandIn;
let email: typeof import("#app/utils/email.server.ts");
let dbModule: typeof import("#app/utils/db.server.ts");
let schema: typeof import("#db/schema.ts");

beforeAll(async () => {
  standIn = await startResendStandIn({ apiKey: API_KEY, rateLimitPerSecond: null });
  // Before the first env() call of this file: env() is read once and kept.
  process.env.RESEND_API_KEY = API_KEY;
  process.env.RESEND_BASE_URL = standIn.url;
  process.env.EMAIL_FROM = "Roadies <roadies@example.org>";
  delete process.env.DEMO_MODE;
  email = await import("#app/utils/email.server.ts");
  dbModule = await import("#app/utils/db.server.ts");
  schema = await import("#db/schema.ts");
  email.emailRetryPolicy.baseDelayMs = 5;
});

afterAll(async () => {
  await standIn.close();
});

beforeEach(() => {
  standIn.reset();
  standIn.setRateLimit(null);
});

let counter = 0;
function message(overrides: Partial<{ to: string; subject: string; body: string; key: string }> = {}) {
  counter += 1;
  const body = overrides.body ?? `Hello number ${counter}`;
  return {
    to: overrides.to ?? `person${counter}@example.org`,
    subject: overrides.subject ?? `Test message ${counter}`,
    react: createElement("p", null, body),
    template: "test",
    kind: "welcome" as const,
    idempotencyKey: overrides.key ?? `test:${counter}:${Math.random().toString(36).slice(2)}`,
  };
}

async function deliveryFor(key: string) {
  const { eq } = await import("drizzle-orm");
  const [row] = await dbModule
    .db()
    .select()
    .from(schema.emailDeliveries)
    .where(eq(schema.emailDeliveries.idempotencyKey, key));
  return row;
}

describe("sendEmail", () => {
  it("delivers one email with its subject, HTML and text to the recipient", async () => {
    const m = message({ to: "ada@example.org", subject: "Hello Ada", body: "Your call has a volunteer." });
    const result = await email.sendEmail(m);

    expect(result).toEqual({ ok: true, id: expect.any(String) });
    const sent = standIn.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: ["ada@example.org"],
      from: "Roadies <roadies@example.org>",
      subject: "Hello Ada",
      idempotencyKey: m.idempotencyKey,
    });
    expect(sent[0]!.html).toContain("Your call has a volunteer.");
    expect(sent[0]!.text).toContain("Your call has a volunteer.");
    expect(result.ok && result.id).toBe(sent[0]!.id);
    expect(await deliveryFor(m.idempotencyKey)).toMatchObject({ status: "sent", providerId: sent[0]!.id });
  });

  it("never sends the same email twice when a job runs again", async () => {
    const m = message();
    const first = await email.sendEmail(m);
    const second = await email.sendEmail({ ...m, react: createElement("p", null, "changed on the rerun") });

    expect(first.ok).toBe(true);
    expect(second).toEqual({ ok: true, id: first.ok ? first.id : "", skipped: "already-sent" });
    expect(standIn.sent()).toHaveLength(1);
    expect(standIn.requests()).toHaveLength(1);
  });

  it("does not duplicate an email Resend accepted when our record of it was lost", async () => {
    const m = message();
    const first = await email.sendEmail(m);
    const { eq } = await import("drizzle-orm");
    // As if the process died between Resend's answer and our update.
    await dbModule
      .db()
      .update(schema.emailDeliveries)
      .set({ status: "pending", providerId: null })
      .where(eq(schema.emailDeliveries.idempotencyKey, m.idempotencyKey));

    const again = await email.sendEmail(m);

    expect(again).toEqual(first);
    expect(standIn.sent()).toHaveLength(1);
    expect(standIn.requests()).toHaveLength(2);
  });

  it("waits as long as a 429's retry-after says, then delivers", async () => {
    standIn.setRateLimit(1);
    const a = message();
    const b = message();

    const results = [await email.sendEmail(a), await email.sendEmail(b)];

    expect(results.every((r) => r.ok)).toBe(true);
    expect(standIn.sent().map((e) => e.subject)).toEqual([a.subject, b.subject]);
    const requests = standIn.requests();
    const limited = requests.find((r) => r.status === 429);
    const retried = requests.find((r) => r.status === 200 && r.idempotencyKey === b.idempotencyKey);
    expect(limited?.idempotencyKey).toBe(b.idempotencyKey);
    expect(retried).toBeDefined();
    // retry-after said 1 second, and the retry waited for it.
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(900);
    expect(requests).toHaveLength(3);
  });

  it("retries after a server error and delivers exactly once", async () => {
    standIn.failNext(500);
    const m = message();

    const result = await email.sendEmail(m);

    expect(result.ok).toBe(true);
    expect(standIn.sent()).toHaveLength(1);
    expect(standIn.requests().map((r) => r.status)).toEqual([500, 200]);
    expect(await deliveryFor(m.idempotencyKey)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("gives up after a few attempts when Resend keeps failing, and sends on a later run", async () => {
    standIn.failNext(503, 10);
    const m = message();

    const result = await email.sendEmail(m);

    expect(result).toMatchObject({ ok: false, status: 503 });
    expect(standIn.requests()).toHaveLength(email.emailRetryPolicy.attempts);
    expect(standIn.sent()).toHaveLength(0);
    expect(await deliveryFor(m.idempotencyKey)).toMatchObject({ status: "failed" });

    standIn.reset();
    expect((await email.sendEmail(m)).ok).toBe(true);
    expect(standIn.sent()).toHaveLength(1);
  });

  it("does not retry a request Resend rejects as invalid", async () => {
    const m = { ...message(), subject: "" };

    const result = await email.sendEmail(m);

    expect(result).toMatchObject({ ok: false, status: 422 });
    expect(standIn.requests()).toHaveLength(1);
    expect(standIn.sent()).toHaveLength(0);
    const row = await deliveryFor(m.idempotencyKey);
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(row!.error).toContain("validation_error");
  });

  it("does not call Resend at all for an address that cannot be valid", async () => {
    const result = await email.sendEmail(message({ to: "not-an-address" }));

    expect(result).toMatchObject({ ok: false, status: 422 });
    expect(standIn.requests()).toHaveLength(0);
  });
});

describe("sendBatch", () => {
  it("sends 150 emails in two requests and a rerun sends none of them again", async () => {
    const emails = Array.from({ length: 150 }, () => message());

    const results = await email.sendBatch(emails);

    expect(results.filter((r) => r.ok)).toHaveLength(150);
    const requests = standIn.requests();
    expect(requests.map((r) => r.path)).toEqual(["/emails/batch", "/emails/batch"]);
    expect(standIn.sent()).toHaveLength(150);
    expect(new Set(standIn.sent().flatMap((e) => e.to)).size).toBe(150);

    const rerun = await email.sendBatch(emails);

    expect(rerun.every((r) => r.ok && r.skipped === "already-sent")).toBe(true);
    expect(rerun.map((r) => (r.ok ? r.id : null))).toEqual(results.map((r) => (r.ok ? r.id : null)));
    expect(standIn.requests()).toHaveLength(2);
    expect(standIn.sent()).toHaveLength(150);
  });

  it("sends only the emails a partial earlier run did not", async () => {
    const emails = Array.from({ length: 5 }, () => message());
    await email.sendBatch(emails.slice(0, 2));

    const results = await email.sendBatch(emails);

    expect(results.map((r) => r.ok && (r.skipped ?? "sent"))).toEqual([
      "already-sent",
      "already-sent",
      "sent",
      "sent",
      "sent",
    ]);
    expect(standIn.sent()).toHaveLength(5);
  });

  it("keeps the other emails of a batch going when one address is broken", async () => {
    const emails = [message(), message({ to: "broken" }), message()];

    const results = await email.sendBatch(emails);

    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(standIn.sent()).toHaveLength(2);
  });
});

describe("sendWelcomeEmail", () => {
  it("welcomes a new person once, with next steps and a link to their settings", async () => {
    const { sendWelcomeEmail } = await import("#app/models/people/welcome.server.ts");
    const [user] = await dbModule
      .db()
      .insert(schema.users)
      .values({
        githubId: 4242,
        login: "ada",
        name: "Ada Lovelace",
        email: "ada@example.org",
        createdAt: 0,
        updatedAt: 0,
      })
      .returning();

    const first = await sendWelcomeEmail(user!);
    const second = await sendWelcomeEmail(user!);

    expect(first?.ok).toBe(true);
    expect(second).toMatchObject({ ok: true, skipped: "already-sent" });
    const sent = standIn.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: ["ada@example.org"], subject: "Welcome to Roadies" });
    expect(sent[0]!.text).toContain("Welcome, Ada Lovelace!");
    expect(sent[0]!.text).toMatch(/Post a call/);
    expect(sent[0]!.text).toMatch(/mentoring programme/);
    expect(sent[0]!.html).toContain("/settings/profile");
    expect(await deliveryFor(`welcome:user:${user!.id}`)).toMatchObject({ status: "sent", userId: user!.id });
  });

  it("skips a person GitHub gave no address for", async () => {
    const { sendWelcomeEmail } = await import("#app/models/people/welcome.server.ts");

    expect(await sendWelcomeEmail({ id: 999, login: "ghost", name: null, email: null })).toBeNull();
    expect(standIn.requests()).toHaveLength(0);
  });
});

describe("the Resend stand-in", () => {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${standIn.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}`, ...headers },
      body: JSON.stringify(body),
    });
  const valid = { from: "Roadies <roadies@example.org>", to: "ada@example.org", subject: "Hi", text: "Hello" };

  it("answers the same idempotency key and body with the first result, and a different body with 409", async () => {
    const first = await post("/emails", valid, { "idempotency-key": "same-key" });
    const repeat = await post("/emails", valid, { "idempotency-key": "same-key" });
    const changed = await post("/emails", { ...valid, subject: "Other" }, { "idempotency-key": "same-key" });

    expect(first.status).toBe(200);
    expect(await repeat.json()).toEqual(await first.json());
    expect(changed.status).toBe(409);
    expect(await changed.json()).toMatchObject({ statusCode: 409, name: "invalid_idempotent_request" });
    expect(standIn.sent()).toHaveLength(1);
  });

  it("refuses missing and wrong API keys as Resend does", async () => {
    const missing = await fetch(`${standIn.url}/emails`, { method: "POST", body: JSON.stringify(valid) });
    const wrong = await post("/emails", valid, { authorization: "Bearer re_wrong" });

    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ statusCode: 401, name: "missing_api_key" });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ statusCode: 403, name: "invalid_api_key" });
  });

  it("rejects a batch of more than 100 emails and emails without a body", async () => {
    const tooMany = await post(
      "/emails/batch",
      Array.from({ length: 101 }, () => valid),
    );
    const noBody = await post("/emails", { ...valid, text: undefined });

    expect(tooMany.status).toBe(422);
    expect(await tooMany.json()).toMatchObject({ name: "validation_error" });
    expect(noBody.status).toBe(422);
    expect(standIn.sent()).toHaveLength(0);
  });

  it("sends rate-limit headers on every answer and retry-after on a 429", async () => {
    standIn.setRateLimit(1);
    const ok = await post("/emails", valid);
    const limited = await post("/emails", valid);

    expect(ok.headers.get("ratelimit-limit")).toBe("1");
    expect(ok.headers.get("ratelimit-remaining")).toBe("0");
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ name: "rate_limit_exceeded" });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get("ratelimit-reset")).not.toBeNull();
  });

  it("lets another process read and reset what it received", async () => {
    await post("/emails", valid);

    const listed = (await (await fetch(`${standIn.url}/_test/emails`)).json()) as unknown[];
    await fetch(`${standIn.url}/_test/reset`, { method: "POST" });

    expect(listed).toHaveLength(1);
    expect(standIn.sent()).toHaveLength(0);
  });
});

describe("without Resend configured", () => {
  afterAll(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("writes to the outbox in demo mode, not to Resend, and only once", async () => {
    dbModule.closeDatabase();
    vi.resetModules();
    vi.stubEnv("DEMO_MODE", "true");
    vi.stubEnv("RESEND_API_KEY", "");
    const demoEmail = await import("#app/utils/email.server.ts");
    const { listOutbox, getOutboxEmail } = await import("#app/models/digest/outbox.server.ts");
    const m = message({ to: "grace@example.org", subject: "Demo hello", body: "Only in the outbox" });

    const first = await demoEmail.sendEmail(m);
    const again = await demoEmail.sendEmail(m);

    expect(first.ok).toBe(true);
    expect(again).toMatchObject({ ok: true, skipped: "already-sent" });
    expect(standIn.requests()).toHaveLength(0);
    const outbox = (await listOutbox()).filter((e) => e.subject === "Demo hello");
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.to).toBe("grace@example.org");
    const stored = await getOutboxEmail(outbox[0]!.id);
    expect(stored!.html).toContain("Only in the outbox");
    expect(stored!.text).toContain("Only in the outbox");

    // What /dev/outbox and /dev/outbox/:id show for it.
    const list = await import("#app/routes/dev.outbox.tsx");
    const detail = await import("#app/routes/dev.outbox.$id.tsx");
    const args = (path: string, params: Record<string, string> = {}): LoaderFunctionArgs => ({
      request: new Request(`http://127.0.0.1${path}`),
      params,
      context: { cspNonce: "test", requestId: "test" },
    });
    const listed = await list.loader(args("/dev/outbox"));
    expect(listed.emails[0]).toMatchObject({ id: outbox[0]!.id, to: "grace@example.org", subject: "Demo hello" });
    const shown = await detail.loader(args(`/dev/outbox/${outbox[0]!.id}`, { id: String(outbox[0]!.id) }));
    expect(shown.email.text).toContain("Only in the outbox");
    const frame = await import("#app/routes/dev.outbox_.$id.html.ts");
    const html = await frame.loader(args(`/dev/outbox/${outbox[0]!.id}/html`, { id: String(outbox[0]!.id) }));
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await html.text()).toContain("Only in the outbox");
    const missing = await detail.loader(args("/dev/outbox/99999", { id: "99999" })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Response);
    expect((missing as Response).status).toBe(404);
    (await import("#app/utils/db.server.ts")).closeDatabase();
  });

  it("returns an error, and sends nothing, when no API key is set outside demo mode", async () => {
    vi.resetModules();
    vi.stubEnv("DEMO_MODE", "");
    vi.stubEnv("RESEND_API_KEY", "");
    const unconfigured = await import("#app/utils/email.server.ts");

    const result = await unconfigured.sendEmail(message());

    expect(result).toEqual({ ok: false, error: "email is not configured" });
    expect(standIn.requests()).toHaveLength(0);

    // Outside demo mode the outbox pages do not exist.
    const list = await import("#app/routes/dev.outbox.tsx");
    const hidden = await list
      .loader({
        request: new Request("http://127.0.0.1/dev/outbox"),
        params: {},
        context: { cspNonce: "test", requestId: "test" },
      })
      .catch((e: unknown) => e);
    expect(hidden).toBeInstanceOf(Response);
    expect((hidden as Response).status).toBe(404);
    (await import("#app/utils/db.server.ts")).closeDatabase();
  });
});
