// Suppression is the email module's rule, not the digest's: once Resend reports a hard bounce
// (a signed webhook), no kind of email reaches that address, and the email ledger says why.
import { beforeAll, describe, expect, it } from "vitest";
import { withResendStandIn } from "#tests/support/email.ts";
import { svixSignature } from "#tests/fakes/svix.ts";

const API_KEY = "re_test_suppression_0123456789";
const SECRET = `whsec_${Buffer.from("email-suppression-webhook-secret").toString("base64")}`;
const resend = withResendStandIn(API_KEY);

const { db, schema } = await import("#app/utils/db.server.ts");
const { eq, like } = await import("drizzle-orm");
const { sendBatch } = await import("#app/utils/email.server.ts");
const { handleResendWebhook } = await import("#app/models/digest/webhooks.server.ts");
const { expressInterest } = await import("#app/models/calls/interests.server.ts");
const { getCall } = await import("#app/models/calls/calls.server.ts");
const { sendDormantCheckins } = await import("#app/models/packages/checkins.server.ts");
const { decisionEmail } = await import("#emails/programs-decision.tsx");
const { makeCall, makePackage, makeUser } = await import("./digest-fixtures.ts");

const BOUNCED = "bounced-maintainer@example.org";
const NOW = Date.parse("2026-11-24T12:00:00Z");

/** Resend's webhook for a permanent bounce of `address`, signed as Svix signs it. */
async function bounce(address: string) {
  const body = JSON.stringify({ type: "email.bounced", data: { to: [address], bounce: { type: "Permanent" } } });
  const id = `msg_${address}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const outcome = await handleResendWebhook(
    SECRET,
    { id, timestamp, signature: `v1,${svixSignature(SECRET, id, timestamp, body)}` },
    body,
  );
  expect(outcome).toEqual({ status: 200, message: "suppressed (bounced)" });
}

/** The ledger rows of one template, with why they did not go out. */
const ledger = (template: string) =>
  db()
    .select({ status: schema.emailDeliveries.status, error: schema.emailDeliveries.error })
    .from(schema.emailDeliveries)
    .where(eq(schema.emailDeliveries.template, template))
    .all();

const sentTo = (address: string) => resend.standIn.sent().filter((e) => e.to.includes(address));

describe("a bounced address", () => {
  let maintainer: Awaited<ReturnType<typeof makeUser>>;
  let volunteer: Awaited<ReturnType<typeof makeUser>>;

  beforeAll(async () => {
    maintainer = await makeUser({ login: "bounced-maintainer", email: BOUNCED });
    volunteer = await makeUser({ login: "keen-volunteer" });
    await bounce(BOUNCED.toUpperCase());
  });

  it("gets no interest, decision or check-in email, and the ledger says why", async () => {
    // Interest: a volunteer answers a call of the bounced maintainer's package.
    const pkg = await makePackage("django-bounced", [maintainer.id]);
    const call = await makeCall({ packageId: pkg.id, title: "Triage help" });
    const detail = await getCall(call.id);
    expect(await expressInterest(volunteer, detail!, { message: "I can help", shareEmail: false })).toMatchObject({
      ok: true,
    });
    // The interest email is sent in the background: wait for its ledger row to settle.
    await expect.poll(async () => (await ledger("calls-interest"))[0]?.status).toBe("failed");

    // Check-in: the same maintainer's package has gone dormant.
    const [dormant] = await db()
      .insert(schema.packages)
      .values({
        name: "django-quiet-bounce",
        normalizedName: "django-quiet-bounce",
        repository: "example/django-quiet-bounce",
        classifiers: ["Framework :: Django :: 4.2", "Framework :: Django :: 5.0"],
        createdAt: 1,
        updatedAt: 1,
      })
      .returning();
    await db()
      .insert(schema.packageMetadata)
      .values({
        packageId: dormant!.id,
        updatedAt: 1,
        latestReleaseOn: "2025-03-01",
        releaseDates: ["2024-03-01", "2025-03-01"],
        githubPushedAt: Date.parse("2025-06-01T00:00:00Z"),
      });
    await db()
      .insert(schema.packageMaintainers)
      .values({ packageId: dormant!.id, userId: maintainer.id, githubLogin: "bm", verifiedAt: 1, createdAt: 1 });
    expect(await sendDormantCheckins(NOW)).toMatchObject({ sent: 0 });

    // Decision: the programme decision email, as the decisions page sends it (in a batch).
    const { subject, react } = decisionEmail({
      name: "Bounced",
      programName: "Djangonaut Space",
      roleName: "Djangonaut",
      decision: "accepted",
      url: "https://roadies.example.org/me/applications",
      appUrl: "https://roadies.example.org",
    });
    const [decision] = await sendBatch([
      {
        to: BOUNCED,
        subject,
        react,
        template: "programs-decision",
        kind: "programs-decision",
        idempotencyKey: "decision:suppressed:1",
      },
    ]);
    expect(decision).toEqual({ ok: false, error: "the address is suppressed (bounced)" });

    expect(sentTo(BOUNCED)).toEqual([]);
    for (const template of ["calls-interest", "ecosystem-checkin", "programs-decision"]) {
      expect(await ledger(template)).toEqual([{ status: "failed", error: "the address is suppressed (bounced)" }]);
    }
  });

  it("still lets every other address through", async () => {
    const other = await makeUser({ login: "fine-maintainer" });
    const { subject, react } = decisionEmail({
      name: "Fine",
      programName: "Djangonaut Space",
      roleName: "Djangonaut",
      decision: "accepted",
      url: "https://roadies.example.org/me/applications",
      appUrl: "https://roadies.example.org",
    });
    const results = await sendBatch([
      {
        to: BOUNCED,
        subject,
        react,
        template: "programs-decision",
        kind: "programs-decision",
        idempotencyKey: "decision:mixed:1",
      },
      {
        to: other.email!,
        subject,
        react,
        template: "programs-decision",
        kind: "programs-decision",
        idempotencyKey: "decision:mixed:2",
      },
    ]);
    expect(results.map((r) => r.ok)).toEqual([false, true]);
    expect(sentTo(other.email!)).toHaveLength(1);
    expect(sentTo(BOUNCED)).toEqual([]);
    const rows = await db()
      .select({ key: schema.emailDeliveries.idempotencyKey, status: schema.emailDeliveries.status })
      .from(schema.emailDeliveries)
      .where(like(schema.emailDeliveries.idempotencyKey, "decision:mixed:%"))
      .all();
    expect(rows.sort((a, b) => a.key.localeCompare(b.key)).map((r) => r.status)).toEqual(["failed", "sent"]);
  });
});
