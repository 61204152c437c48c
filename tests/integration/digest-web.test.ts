// The digest's pages and endpoints, called as the router would: notification settings,
// unsubscribe links (GET confirms, POST acts, one-click without a session), the Resend webhook
// with Svix signatures, and the internal endpoint for external schedulers.
import { beforeAll, describe, expect, it } from "vitest";
import { APP, context } from "#tests/support/routes.ts";

const SECRET = `whsec_${Buffer.from("digest-webhook-secret-for-tests!").toString("base64")}`;
process.env.RESEND_WEBHOOK_SECRET = SECRET;
process.env.APP_URL = APP;
process.env.INTERNAL_API_TOKEN = "internal-token-for-the-digest-tests-0123456789";

const { db, schema } = await import("#app/utils/db.server.ts");
const { createSession, sessionCookie } = await import("#app/models/people/sessions.server.ts");
const settings = await import("#app/routes/settings.notifications.tsx");
const unsubscribe = await import("#app/routes/unsubscribe.$token.tsx");
const oneClickRoute = await import("#app/routes/unsubscribe.$token_.one-click.ts");
const webhook = await import("#app/routes/webhooks.resend.ts");
const internal = await import("#app/routes/internal.jobs.digest.ts");
const { getPreferences, unsubscribeToken } = await import("#app/models/digest/digest.server.ts");
const { suppressionFor } = await import("#app/utils/email-suppressions.server.ts");
const { svixSignature } = await import("#tests/fakes/svix.ts");
const { isoWeekOf } = await import("#app/models/digest/weeks.ts");
const { makeUser } = await import("./digest-fixtures.ts");
const { eq } = await import("drizzle-orm");

let user: Awaited<ReturnType<typeof makeUser>>;
let cookie: string;

beforeAll(async () => {
  user = await makeUser({ login: "pref-person", email: "Pref@Example.org" });
  const { token } = await createSession(user.id, null);
  cookie = `${sessionCookie()}=${token}`;
});

async function call<T>(fn: () => Promise<T>): Promise<T | Response> {
  try {
    return await fn();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
const statusOf = (r: unknown) =>
  r instanceof Response ? r.status : ((r as { init?: { status?: number } }).init?.status ?? 200);

function post(path: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) body.append(k, item);
  return new Request(`${APP}${path}`, { method: "POST", body, headers });
}

describe("/settings/notifications", () => {
  it("sends people who are not signed in to sign in", async () => {
    const result = await call(() =>
      settings.loader({ request: new Request(`${APP}/settings/notifications`), params: {}, context }),
    );
    expect(statusOf(result)).toBe(302);
  });

  it("shows the defaults, saves choices, and they are what the next run reads", async () => {
    const page = (await settings.loader({
      request: new Request(`${APP}/settings/notifications`, { headers: { Cookie: cookie } }),
      params: {},
      context,
    })) as { prefs: { frequency: string; sections: string[]; dayOfWeek: number } };
    expect(page.prefs).toMatchObject({
      frequency: "weekly",
      dayOfWeek: 1,
      sections: ["calls", "people", "programs", "transfers"],
    });

    const saved = await call(() =>
      settings.action({
        request: post(
          "/settings/notifications",
          { frequency: "biweekly", pausedUntil: "2099-01-31", sections: ["calls", "programs"], dayOfWeek: "4" },
          { Cookie: cookie },
        ),
        params: {},
        context,
      }),
    );
    expect(statusOf(saved)).toBe(302);
    expect(await getPreferences(user.id)).toMatchObject({
      frequency: "biweekly",
      pausedUntil: "2099-01-31",
      sections: ["calls", "programs"],
      dayOfWeek: 4,
    });
  });

  it("refuses bad input with a message next to the field and changes nothing", async () => {
    const before = await getPreferences(user.id);
    const result = (await settings.action({
      request: post(
        "/settings/notifications",
        { frequency: "hourly", pausedUntil: "next week", dayOfWeek: "9" },
        { Cookie: cookie },
      ),
      params: {},
      context,
    })) as { data: { error: Record<string, string[]> }; init: { status: number } };
    expect(result.init.status).toBe(400);
    expect(Object.keys(result.data.error).sort()).toEqual(["dayOfWeek", "frequency", "pausedUntil"]);
    expect(await getPreferences(user.id)).toEqual(before);
  });
});

describe("/unsubscribe/:token", () => {
  it("GET only shows what will stop; POST without session or Origin unsubscribes (RFC 8058)", async () => {
    const token = unsubscribeToken(user.id, isoWeekOf(Date.now()));
    const page = await unsubscribe.loader({
      request: new Request(`${APP}/unsubscribe/${token}`),
      params: { token },
      context,
    });
    expect(page).toEqual({ login: "pref-person", alreadyUnsubscribed: false, kind: "digest", label: "Match digest" });
    expect((await getPreferences(user.id)).unsubscribedAt).toBeNull();

    const oneClick = new Request(`${APP}/unsubscribe/${token}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    const result = await unsubscribe.action({ request: oneClick, params: { token }, context });
    expect(result).toEqual({ done: true, login: "pref-person" });
    expect((await getPreferences(user.id)).unsubscribedAt).not.toBeNull();
    // Clicking twice is fine.
    expect(await unsubscribe.action({ request: oneClick, params: { token }, context })).toEqual({
      done: true,
      login: "pref-person",
    });
  });

  it("the List-Unsubscribe one-click target acts on POST only; a GET leads to the confirm page", async () => {
    const other = await makeUser({ login: "one-click-olga" });
    const token = unsubscribeToken(other.id, isoWeekOf(Date.now()));
    const url = `${APP}/unsubscribe/${token}/one-click`;
    const get = (await oneClickRoute.loader({ request: new Request(url), params: { token }, context })) as Response;
    expect(get.status).toBe(302);
    expect(get.headers.get("location")).toBe(`/unsubscribe/${token}`);
    expect((await getPreferences(other.id)).unsubscribedAt).toBeNull();

    const post = await oneClickRoute.action({
      request: new Request(url, {
        method: "POST",
        headers: { Origin: "https://mail.example.com", "Content-Type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      }),
      params: { token },
      context,
    });
    expect(post.status).toBe(200);
    expect((await getPreferences(other.id)).unsubscribedAt).not.toBeNull();
    const forged = await oneClickRoute.action({
      request: new Request(`${APP}/unsubscribe/x.y/one-click`, { method: "POST" }),
      params: { token: "x.y" },
      context,
    });
    expect(forged.status).toBe(404);
  });

  it.each([
    ["forged", "eyJ4IjoxfQ.forged"],
    ["malformed", "not-a-token"],
    ["another purpose", "x"],
  ])("a %s token gets 404 and changes nothing", async (_name, raw) => {
    const { createSignedToken } = await import("#app/utils/signed-token.server.ts");
    const token =
      raw === "x"
        ? createSignedToken({ purpose: "call-renew", subject: String(user.id), expiresAt: Date.now() + 1e6 })
        : raw;
    const get = await call(() =>
      unsubscribe.loader({ request: new Request(`${APP}/unsubscribe/${token}`), params: { token }, context }),
    );
    const postResult = await call(() =>
      unsubscribe.action({
        request: new Request(`${APP}/unsubscribe/${token}`, { method: "POST" }),
        params: { token },
        context,
      }),
    );
    expect(statusOf(get)).toBe(404);
    expect(statusOf(postResult)).toBe(404);
  });

  it("choosing a frequency again in the settings turns the digest back on", async () => {
    await settings.action({
      request: post(
        "/settings/notifications",
        { frequency: "weekly", sections: ["calls"], dayOfWeek: "1" },
        { Cookie: cookie },
      ),
      params: {},
      context,
    });
    expect((await getPreferences(user.id)).unsubscribedAt).toBeNull();
  });
});

describe("POST /webhooks/resend", () => {
  let seq = 0;
  function signed(event: unknown, options: { secret?: string; ageSeconds?: number; id?: string } = {}) {
    const body = JSON.stringify(event);
    const id = options.id ?? `msg_${++seq}`;
    const timestamp = String(Math.floor(Date.now() / 1000) - (options.ageSeconds ?? 0));
    const signature = `v1,${svixSignature(options.secret ?? SECRET, id, timestamp, body)}`;
    return new Request(`${APP}/webhooks/resend`, {
      method: "POST",
      body,
      headers: {
        "svix-id": id,
        "svix-timestamp": timestamp,
        "svix-signature": signature,
        "content-type": "application/json",
      },
    });
  }
  const bounce = (to: string, type = "Permanent") => ({
    type: "email.bounced",
    created_at: new Date().toISOString(),
    data: { email_id: "e1", to: [to], bounce: { type, message: "mailbox does not exist" } },
  });
  const run = async (request: Request) => {
    const r = await webhook.action({ request, params: {}, context });
    return { status: r.status, message: ((await r.json()) as { message: string }).message };
  };

  it("suppresses the address on a verified hard bounce; the settings page shows it and re-enabling works", async () => {
    expect((await run(signed(bounce("pref@example.org")))).status).toBe(200);
    expect(await suppressionFor(user.email)).toMatchObject({ reason: "bounced" });
    const page = (await settings.loader({
      request: new Request(`${APP}/settings/notifications`, { headers: { Cookie: cookie } }),
      params: {},
      context,
    })) as { suppression: { reason: string } | null };
    expect(page.suppression?.reason).toBe("bounced");

    await settings.action({
      request: post("/settings/notifications", { intent: "reenable" }, { Cookie: cookie }),
      params: {},
      context,
    });
    expect(await suppressionFor(user.email)).toBeNull();
  });

  it("suppresses on a complaint but not on a soft bounce", async () => {
    await run(signed(bounce("soft@example.org", "Transient")));
    expect(await suppressionFor("soft@example.org")).toBeNull();
    await run(signed({ type: "email.complained", data: { to: ["angry@example.org"] } }));
    expect(await suppressionFor("angry@example.org")).toMatchObject({ reason: "complained" });
  });

  it.each([
    ["a wrong signature", { secret: `whsec_${Buffer.from("another-secret-entirely-32bytes!").toString("base64")}` }],
    ["a stale timestamp (over 5 minutes)", { ageSeconds: 301 }],
    ["a timestamp over 5 minutes in the future", { ageSeconds: -301 }],
  ])("refuses %s with 401 and changes nothing", async (_name, options) => {
    const result = await run(signed(bounce("victim@example.org"), options));
    expect(result.status).toBe(401);
    expect(await suppressionFor("victim@example.org")).toBeNull();
  });

  it("refuses a request without Svix headers and a body changed after signing", async () => {
    const plain = new Request(`${APP}/webhooks/resend`, {
      method: "POST",
      body: JSON.stringify(bounce("victim@example.org")),
    });
    expect((await run(plain)).status).toBe(401);
    const good = signed(bounce("someone@example.org"));
    const tampered = new Request(good.url, {
      method: "POST",
      headers: good.headers,
      body: JSON.stringify(bounce("victim@example.org")),
    });
    expect((await run(tampered)).status).toBe(401);
    expect(await suppressionFor("victim@example.org")).toBeNull();
  });

  it("a signature holds only for its own id, timestamp and body: moved onto another is a 401", async () => {
    const good = signed(bounce("moved@example.org"));
    const body = await good.clone().text();
    for (const [name, value] of [
      ["svix-id", "msg_other"],
      ["svix-timestamp", String(Number(good.headers.get("svix-timestamp")) - 1)],
      ["svix-signature", `v2,${good.headers.get("svix-signature")!.slice(3)}`],
    ] as const) {
      const headers = new Headers(good.headers);
      headers.set(name, value);
      expect((await run(new Request(good.url, { method: "POST", headers, body }))).status).toBe(401);
    }
    expect(await suppressionFor("moved@example.org")).toBeNull();
  });

  it("accepts a delivery signed with the current secret among several (rotation), 4 minutes old", async () => {
    const body = JSON.stringify(bounce("rotated@example.org"));
    const timestamp = String(Math.floor(Date.now() / 1000) - 240);
    const old = `whsec_${Buffer.from("the-previous-secret-of-32-bytes!").toString("base64")}`;
    const signature = [old, SECRET].map((s) => `v1,${svixSignature(s, "msg_rotated", timestamp, body)}`).join(" ");
    const request = new Request(`${APP}/webhooks/resend`, {
      method: "POST",
      body,
      headers: { "svix-id": "msg_rotated", "svix-timestamp": timestamp, "svix-signature": signature },
    });
    expect(await run(request)).toEqual({ status: 200, message: "suppressed (bounced)" });
    expect(await suppressionFor("rotated@example.org")).toMatchObject({ reason: "bounced" });
  });

  it("processes each svix-id once: a replay changes nothing", async () => {
    const first = await run(signed(bounce("replayed@example.org"), { id: "msg_replay" }));
    expect(first.message).toBe("suppressed (bounced)");
    await db().delete(schema.emailSuppressions).where(eq(schema.emailSuppressions.address, "replayed@example.org"));
    const again = await run(signed(bounce("replayed@example.org"), { id: "msg_replay" }));
    expect(again).toEqual({ status: 200, message: "already processed" });
    expect(await suppressionFor("replayed@example.org")).toBeNull();
  });
});

describe("POST /internal/jobs/digest", () => {
  it("needs the bearer token", async () => {
    for (const auth of [undefined, "Bearer wrong-token", "Basic abc"]) {
      const request = new Request(`${APP}/internal/jobs/digest`, {
        method: "POST",
        headers: auth ? { Authorization: auth } : {},
      });
      const result = await internal.action({ request, params: {}, context });
      expect(result.status).toBe(401);
    }
  });

  it("runs the week asked for and answers with the summary; a bad week is a 400", async () => {
    const headers = { Authorization: `Bearer ${process.env.INTERNAL_API_TOKEN}`, "Content-Type": "application/json" };
    const ok = await internal.action({
      request: new Request(`${APP}/internal/jobs/digest`, {
        method: "POST",
        headers,
        body: JSON.stringify({ week: "2020-W10" }),
      }),
      params: {},
      context,
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ week: "2020-W10", status: "done" });
    const bad = await internal.action({
      request: new Request(`${APP}/internal/jobs/digest`, {
        method: "POST",
        headers,
        body: JSON.stringify({ week: "2021-W53" }),
      }),
      params: {},
      context,
    });
    expect(bad.status).toBe(400);
  });
});
