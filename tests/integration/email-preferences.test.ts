// Email that respects the person: one catalogue of every kind of email, a switch per person and
// kind honoured by the one send path (the Resend stand-in receives nothing of a switched-off kind),
// List-Unsubscribe with a one-click POST that switches off only its own kind (RFC 8058), and the
// notification settings page, a plain form that works without JavaScript.
import { beforeAll, describe, expect, it } from "vitest";
import { createElement } from "react";
import { withResendStandIn } from "#tests/support/email.ts";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { useFreshDatabase } from "#tests/support/database.ts";

const API_KEY = "re_test_email_preferences_0123456789";
const resend = withResendStandIn(API_KEY, { DIGEST_UNSUBSCRIBE_MAILTO: "unsubscribe@roadies.example.org" });

process.env.APP_URL = APP;
const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");
const { sendBatch, sendEmail } = await import("#app/utils/email.server.ts");
const { switchedOffKinds, saveSwitches } = await import("#app/utils/email-preferences.server.ts");
const { getPreferences, setDigestOn } = await import("#app/models/digest/digest.server.ts");
const { createSession, sessionCookie } = await import("#app/models/people/sessions.server.ts");
const settings = await import("#app/routes/settings.notifications.tsx");
const oneClickRoute = await import("#app/routes/unsubscribe.$token_.one-click.ts");
const { emailCatalogue, emailKinds, isPeriodic, switchableEmailKinds } = await import("#db/schema/notifications.ts");
const { makeUser } = await import("./digest-fixtures.ts");
type EmailKind = (typeof emailKinds)[number];

let counter = 0;
function message(to: string, userId: number, kind: EmailKind) {
  counter += 1;
  return {
    to,
    subject: `Roadies ${kind} ${counter}`,
    react: createElement("p", null, `About ${kind}`),
    template: kind,
    kind,
    idempotencyKey: `preferences-test:${kind}:${userId}:${counter}`,
    userId,
  };
}

const sentTo = (address: string) => resend.standIn.sent().filter((e) => e.to.includes(address));

describe("the catalogue of emails", () => {
  it("names every kind with a label and a description, and each one is switchable or says why not", () => {
    expect(emailKinds.length).toBeGreaterThanOrEqual(15);
    for (const kind of emailKinds) {
      const info = emailCatalogue[kind] as {
        label: string;
        description: string;
        switchable: true | { reason: string };
      };
      expect(info.label.length, kind).toBeGreaterThan(2);
      expect(info.description.length, kind).toBeGreaterThan(10);
      if (info.switchable !== true) expect(info.switchable.reason.length, kind).toBeGreaterThan(10);
    }
    // A periodic or bulk email can always be unsubscribed from.
    for (const kind of emailKinds.filter(isPeriodic)) expect(switchableEmailKinds, kind).toContain(kind);
    // The ones the issue names as impossible to switch off.
    expect(switchableEmailKinds).not.toContain("requests-assigned");
    expect(switchableEmailKinds).not.toContain("account-security");
  });
});

describe("a kind the person switched off", () => {
  useFreshDatabase();

  it("never reaches Resend, and the ledger says why, while the person's other emails still go out", async () => {
    const person = await makeUser({ login: "quiet-person", email: "quiet@example.org" });
    const other = await makeUser({ login: "loud-person", email: "loud@example.org" });
    await saveSwitches(
      person.id,
      switchableEmailKinds.filter((k) => k !== "ecosystem-checkin"),
    );
    resend.standIn.reset();

    const results = await sendBatch([
      message(person.email!, person.id, "ecosystem-checkin"),
      message(person.email!, person.id, "calls-interest"),
      message(other.email!, other.id, "ecosystem-checkin"),
    ]);
    expect(results.map((r) => r.ok)).toEqual([false, true, true]);
    expect(results[0]).toEqual({ ok: false, error: "the person switched this kind of email off (ecosystem-checkin)" });
    expect(sentTo(person.email!).map((e) => e.subject)).toEqual([expect.stringContaining("calls-interest")]);
    expect(sentTo(other.email!)).toHaveLength(1);

    const rows = await db()
      .select({ status: schema.emailDeliveries.status, error: schema.emailDeliveries.error })
      .from(schema.emailDeliveries)
      .where(eq(schema.emailDeliveries.userId, person.id))
      .all();
    expect(rows).toContainEqual({
      status: "failed",
      error: "the person switched this kind of email off (ecosystem-checkin)",
    });
  });

  it("cannot silence what cannot be switched off", async () => {
    const person = await makeUser({ login: "assigned-expert", email: "expert@example.org" });
    // Even a hand-written row for an always-sent kind is ignored by the send path.
    await db().insert(schema.emailOptOuts).values({ userId: person.id, kind: "requests-assigned", createdAt: 1 });
    resend.standIn.reset();
    expect((await sendEmail(message(person.email!, person.id, "requests-assigned"))).ok).toBe(true);
    expect(sentTo(person.email!)).toHaveLength(1);
  });

  it("the digest's switch is its preferences: unsubscribed, nothing goes out", async () => {
    const person = await makeUser({ login: "no-digest", email: "no-digest@example.org" });
    await setDigestOn(person.id, false);
    resend.standIn.reset();
    expect((await sendEmail(message(person.email!, person.id, "digest"))).ok).toBe(false);
    expect(sentTo(person.email!)).toEqual([]);
    expect(await switchedOffKinds(person.id)).toEqual(["digest"]);
  });
});

describe("every periodic or bulk email", () => {
  useFreshDatabase();

  it("carries List-Unsubscribe and List-Unsubscribe-Post, and its one-click POST switches off that kind only", async () => {
    const person = await makeUser({ login: "periodic-person", email: "periodic@example.org" });
    const periodic = emailKinds.filter(isPeriodic);
    expect(periodic).toEqual(expect.arrayContaining(["digest", "ecosystem-checkin", "calls-expiry"]));
    for (const kind of periodic) {
      resend.standIn.reset();
      expect((await sendEmail(message(person.email!, person.id, kind))).ok, kind).toBe(true);
      const [sent] = sentTo(person.email!);
      expect(sent!.headers["List-Unsubscribe-Post"], kind).toBe("List-Unsubscribe=One-Click");
      const header = sent!.headers["List-Unsubscribe"]!;
      const oneClick = /<(https?:[^>]+\/one-click)>/.exec(header)?.[1];
      expect(oneClick, kind).toMatch(new RegExp(`^${APP}/unsubscribe/[^/]+/one-click$`));
      expect(header, kind).toContain("<mailto:unsubscribe@roadies.example.org?subject=");

      // What a mail provider does: a POST from its own servers, no session, a foreign Origin.
      const token = oneClick!.split("/").at(-2)!;
      const response = await oneClickRoute.action({
        request: new Request(oneClick!, {
          method: "POST",
          headers: { Origin: "https://mail.example.com", "Content-Type": "application/x-www-form-urlencoded" },
          body: "List-Unsubscribe=One-Click",
        }),
        params: { token },
        context,
      });
      expect(response.status, kind).toBe(200);
      expect(await switchedOffKinds(person.id), kind).toEqual([kind]);
      if (kind === "digest") expect((await getPreferences(person.id)).unsubscribedAt).not.toBeNull();

      // Switched off, the next one of that kind does not go out; then back on for the next kind.
      resend.standIn.reset();
      expect((await sendEmail(message(person.email!, person.id, kind))).ok, kind).toBe(false);
      expect(sentTo(person.email!), kind).toEqual([]);
      await saveSwitches(person.id, switchableEmailKinds);
      await setDigestOn(person.id, true);
      expect(await switchedOffKinds(person.id)).toEqual([]);
    }
  });

  it("an email that is not periodic carries no List-Unsubscribe", async () => {
    const person = await makeUser({ login: "one-off-person", email: "one-off@example.org" });
    resend.standIn.reset();
    await sendEmail(message(person.email!, person.id, "calls-interest"));
    expect(sentTo(person.email!)[0]!.headers["List-Unsubscribe"]).toBeUndefined();
  });
});

describe("/settings/notifications", () => {
  useFreshDatabase();
  let person: Awaited<ReturnType<typeof makeUser>>;
  let cookie: string;

  beforeAll(async () => {
    person = await makeUser({ login: "settings-person", email: "settings@example.org" });
    const { token } = await createSession(person.id, null);
    cookie = `${sessionCookie()}=${token}`;
  });

  const load = async () =>
    (await run(() => settings.loader({ request: request("/settings/notifications", { cookie }), params: {}, context })))
      .value as Awaited<ReturnType<typeof settings.loader>>;

  it("lists every kind of email, on by default, and says why the others are always sent", async () => {
    const { kinds } = await load();
    expect(kinds.map((k) => k.key)).toEqual(emailKinds);
    expect(kinds.every((k) => k.on)).toBe(true);
    expect(kinds.find((k) => k.key === "requests-assigned")!.alwaysSentBecause).toMatch(/security/);
  });

  it("saves the switches from a plain form post (no JavaScript): unticked kinds are off, the rest stay on", async () => {
    const keep = switchableEmailKinds.filter((k) => k !== "calls-expiry" && k !== "digest");
    const result = await run(() =>
      settings.action({
        request: request("/settings/notifications", { cookie, form: { intent: "email-kinds", on: keep } }),
        params: {},
        context,
      }),
    );
    expect(result.status).toBe(302);
    expect(result.location).toBe("/settings/notifications?saved=emails");
    expect(await switchedOffKinds(person.id)).toEqual(["calls-expiry", "digest"]);
    const { kinds, prefs } = await load();
    expect(kinds.filter((k) => !k.on).map((k) => k.key)).toEqual(["calls-expiry", "digest"]);
    expect(prefs.unsubscribedAt).not.toBeNull();

    // Ticking them again turns both back on; the digest keeps its other settings.
    await run(() =>
      settings.action({
        request: request("/settings/notifications", {
          cookie,
          form: { intent: "email-kinds", on: [...switchableEmailKinds] },
        }),
        params: {},
        context,
      }),
    );
    expect(await switchedOffKinds(person.id)).toEqual([]);
    expect((await getPreferences(person.id)).frequency).toBe("weekly");
  });

  it("refuses a kind that does not exist or cannot be switched off, changing nothing", async () => {
    const result = await run(() =>
      settings.action({
        request: request("/settings/notifications", {
          cookie,
          form: { intent: "email-kinds", on: ["requests-assigned"] },
        }),
        params: {},
        context,
      }),
    );
    expect(result.status).toBe(400);
    expect(await switchedOffKinds(person.id)).toEqual([]);
  });

  it("still saves the digest settings from the form that sends no intent", async () => {
    const result = await run(() =>
      settings.action({
        request: request("/settings/notifications", {
          cookie,
          form: { frequency: "monthly", sections: ["calls"], dayOfWeek: "3", pausedUntil: "" },
        }),
        params: {},
        context,
      }),
    );
    expect(result.location).toBe("/settings/notifications?saved=1");
    expect(await getPreferences(person.id)).toMatchObject({ frequency: "monthly", dayOfWeek: 3 });
  });
});
