// A second email address: added on /settings/email, verified only by the link sent to it (a forged
// or expired link changes nothing), removable, and chosen for Roadies' email. One home decides where
// an email to a person goes: the send path sends to the person's delivery address whatever a sender
// put in `to`, an unverified address never receives anything but its link, and a person GitHub gave
// no address to receives email once they verify one.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { withResendStandIn } from "#tests/support/email.ts";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { useFreshDatabase } from "#tests/support/database.ts";

const resend = withResendStandIn("re_test_email_addresses_0123456789");

process.env.APP_URL = APP;
const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");
const { sendEmail } = await import("#app/utils/email.server.ts");
const { addressFor } = await import("#app/utils/email-address.server.ts");
const { createSignedToken } = await import("#app/utils/signed-token.server.ts");
const { exportAccount } = await import("#app/models/people/account.server.ts");
const { verificationToken, VERIFICATION_HOURS } = await import("#app/models/people/emails.server.ts");
const settings = await import("#app/routes/settings.email.tsx");
const verifyRoute = await import("#app/routes/verify-email.$token.tsx");
const { makeUser, cookieFor } = await import("#tests/support/factories.ts");

const HOUR = 60 * 60 * 1000;

async function post(cookie: string, form: Record<string, string>) {
  return run(() => settings.action({ request: request("/settings/email", { cookie, form }), params: {}, context }));
}

/** The verification link in the newest email the stand-in received for `address`. */
function linkSentTo(address: string): string {
  const email = resend.standIn
    .sent()
    .filter((e) => e.to.includes(address))
    .at(-1);
  const match = email?.text?.match(/\/verify-email\/([A-Za-z0-9_.-]+)/);
  if (!match) throw new Error(`no verification link was sent to ${address}`);
  return match[1]!;
}

async function verify(token: string) {
  return run(() =>
    verifyRoute.action({ request: request(`/verify-email/${token}`, { form: {} }), params: { token }, context }),
  );
}

async function ping(userId: number, to: string, n: number) {
  return sendEmail({
    to,
    subject: `Ping ${n}`,
    react: createElement("p", null, "ping"),
    template: "ping",
    kind: "requests-comment",
    idempotencyKey: `address-test:${userId}:${n}`,
    userId,
  });
}

const sentTo = (address: string) => resend.standIn.sent().filter((e) => e.to.includes(address));

describe("adding and verifying a second address", () => {
  useFreshDatabase();

  it("sends the link to the new address only, and the address gets nothing else until it is verified", async () => {
    const ada = await makeUser("ada-addr");
    const cookie = await cookieFor(ada.id);
    const added = await post(cookie, { intent: "add", address: "Ada.Second@example.net" });
    expect(added.location).toBe("/settings/email?saved=added");
    const link = sentTo("Ada.Second@example.net");
    expect(link).toHaveLength(1);
    expect(link[0]!.subject).toMatch(/confirm your email address/i);
    // Not verified: a choice of it is refused, and email still goes to the GitHub address.
    const row = await db().select().from(schema.userEmails).where(eq(schema.userEmails.userId, ada.id)).get();
    const refused = await post(cookie, { intent: "choose", choice: String(row!.id) });
    expect(refused.status).toBe(400);
    expect(await addressFor(ada.id)).toBe("ada-addr@example.org");
    await ping(ada.id, "Ada.Second@example.net", 1);
    expect(sentTo("Ada.Second@example.net")).toHaveLength(1);
    expect(sentTo("ada-addr@example.org")).toHaveLength(1);

    // The link: GET shows the address and changes nothing; POST verifies.
    const token = linkSentTo("Ada.Second@example.net");
    const shown = await run(() =>
      verifyRoute.loader({ request: request(`/verify-email/${token}`), params: { token }, context }),
    );
    expect(shown.value).toMatchObject({ address: "Ada.Second@example.net", verified: false });
    expect(
      (await db().select().from(schema.userEmails).where(eq(schema.userEmails.id, row!.id)).get())!.verifiedAt,
    ).toBeNull();
    expect((await verify(token)).status).toBe(200);

    // Verified, then chosen: every email to Ada goes there, whatever the sender wrote in `to`.
    expect((await post(cookie, { intent: "choose", choice: String(row!.id) })).location).toBe(
      "/settings/email?saved=chosen",
    );
    expect(await addressFor(ada.id)).toBe("Ada.Second@example.net");
    await ping(ada.id, "ada-addr@example.org", 2);
    expect(sentTo("Ada.Second@example.net").map((e) => e.subject)).toContain("Ping 2");
    expect(sentTo("ada-addr@example.org").map((e) => e.subject)).not.toContain("Ping 2");

    // The address that received Ada's email until now is told where it goes (a security notice).
    const notice = sentTo("ada-addr@example.org").find((e) => e.subject.includes("another address"));
    expect(notice?.text).toContain("From now on, Roadies sends your email to Ada.Second@example.net");

    // Back to the GitHub address; the added one hears of it.
    await post(cookie, { intent: "choose", choice: "github" });
    expect(await addressFor(ada.id)).toBe("ada-addr@example.org");
    expect(sentTo("Ada.Second@example.net").map((e) => e.subject)).toContain(
      "Your Roadies email goes to another address now",
    );
  });

  it("refuses a forged link, an expired one, and one for an address removed since", async () => {
    const bo = await makeUser("bo-addr");
    const cookie = await cookieFor(bo.id);
    await post(cookie, { intent: "add", address: "bo.second@example.net" });
    const row = (await db().select().from(schema.userEmails).where(eq(schema.userEmails.userId, bo.id)).get())!;
    const good = linkSentTo("bo.second@example.net");

    // Signed with another key: the HMAC does not match.
    const [payload] = good.split(".");
    const forged = `${payload}.${"A".repeat(43)}`;
    // Ours, but for another address of the same row id (an address swapped under the link).
    const otherAddress = verificationToken(bo.id, row.id, "someone-else@example.net", Date.now());
    // Ours, for this address, but issued more than a day ago.
    const expired = verificationToken(bo.id, row.id, row.address, Date.now() - (VERIFICATION_HOURS + 1) * HOUR);
    // Ours, but for another purpose (an unsubscribe link's token shape).
    const wrongPurpose = createSignedToken({
      purpose: "unsubscribe:digest",
      subject: `${bo.id}.${row.id}.x`,
      expiresAt: Date.now() + HOUR,
    });
    for (const token of [forged, otherAddress, expired, wrongPurpose, "not-a-token"]) {
      expect((await verify(token)).status, token).toBe(404);
      const get = await run(() =>
        verifyRoute.loader({ request: request(`/verify-email/${token}`), params: { token }, context }),
      );
      expect(get.status, token).toBe(404);
    }
    expect(
      (await db().select().from(schema.userEmails).where(eq(schema.userEmails.id, row.id)).get())!.verifiedAt,
    ).toBeNull();

    // Removed: the link that was good is now refused too.
    expect((await post(cookie, { intent: "remove", id: String(row.id) })).location).toBe(
      "/settings/email?saved=removed",
    );
    expect((await verify(good)).status).toBe(404);
  });

  it("refuses another person's address id, a duplicate, the GitHub address, and a fourth address", async () => {
    const cy = await makeUser("cy-addr");
    const dee = await makeUser("dee-addr");
    const cyCookie = await cookieFor(cy.id);
    const deeCookie = await cookieFor(dee.id);
    await post(deeCookie, { intent: "add", address: "dee.second@example.net" });
    const dees = (await db().select().from(schema.userEmails).where(eq(schema.userEmails.userId, dee.id)).get())!;
    expect((await post(cyCookie, { intent: "remove", id: String(dees.id) })).status).toBe(400);
    expect((await post(cyCookie, { intent: "choose", choice: String(dees.id) })).status).toBe(400);
    expect(await db().select().from(schema.userEmails).where(eq(schema.userEmails.id, dees.id)).get()).toBeDefined();

    expect((await post(cyCookie, { intent: "add", address: "CY-ADDR@example.org" })).status).toBe(400);
    expect((await post(cyCookie, { intent: "add", address: "not an address" })).status).toBe(400);
    for (const n of [1, 2, 3]) await post(cyCookie, { intent: "add", address: `cy${n}@example.net` });
    expect((await post(cyCookie, { intent: "add", address: "cy1@EXAMPLE.net" })).status).toBe(400);
    expect((await post(cyCookie, { intent: "add", address: "cy4@example.net" })).status).toBe(400);
    const page = await run(() =>
      settings.loader({ request: request("/settings/email", { cookie: cyCookie }), params: {}, context }),
    );
    expect((page.value as { added: unknown[] }).added).toHaveLength(3);
  });

  it("lets a person GitHub gave no address to add one, and then email reaches them", async () => {
    const eve = await makeUser("eve-addr", { email: null });
    expect(await addressFor(eve.id)).toBeNull();
    const before = await ping(eve.id, "", 10);
    expect(before.ok).toBe(false);
    const cookie = await cookieFor(eve.id);
    await post(cookie, { intent: "add", address: "eve@example.net" });
    // Unverified: still nothing.
    expect(await addressFor(eve.id)).toBeNull();
    expect((await ping(eve.id, "eve@example.net", 11)).ok).toBe(false);
    await verify(linkSentTo("eve@example.net"));
    expect(await addressFor(eve.id)).toBe("eve@example.net");
    expect((await ping(eve.id, "", 12)).ok).toBe(true);
    expect(sentTo("eve@example.net").map((e) => e.subject)).toEqual([
      "Confirm your email address for Roadies",
      "Ping 12",
    ]);
  });

  it("lists the addresses in the account export", async () => {
    const fay = await makeUser("fay-addr");
    await post(await cookieFor(fay.id), { intent: "add", address: "fay@example.net" });
    const exported = await exportAccount(fay.id);
    expect(exported?.emailAddresses).toEqual([
      expect.objectContaining({ address: "fay@example.net", verifiedAt: null, forNotifications: false }),
    ]);
  });
});

describe("the one home of a person's address", () => {
  it("no model or job sends to users.email directly: they select the delivery address", () => {
    // Where users.email may still be read: the GitHub sign-in that stores it, the settings that show
    // it as the GitHub address, the volunteer's consented sharing, and the export of the account.
    const allowed = new Set([
      "app/models/people/users.server.ts",
      "app/models/people/emails.server.ts",
      "app/models/people/account.server.ts",
      "app/models/calls/interests.server.ts",
    ]);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.tsx?$/.test(entry.name) && !allowed.has(path)) {
          const source = readFileSync(path, "utf8");
          if (/\b(users|u)\.email\b/.test(source)) offenders.push(path);
        }
      }
    };
    walk("app/models");
    walk("app/jobs");
    expect(offenders).toEqual([]);
  });
});
