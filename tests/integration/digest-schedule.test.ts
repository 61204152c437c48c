// The scheduler's side of the digest: nothing before the send time, one run a day after it,
// catching up after downtime, people's own days of the week; in demo mode emails land in the
// outbox with their List-Unsubscribe headers.
import { beforeAll, describe, expect, it } from "vitest";

process.env.DEMO_MODE = "true";
process.env.DIGEST_TIME = "09:00";

const { db, schema } = await import("#app/utils/db.server.ts");
const { runScheduledDigest } = await import("#app/jobs/digest.server.ts");
const { savePreferences } = await import("#app/models/digest/digest.server.ts");
const { makeCall, makePackage, makeUser } = await import("./digest-fixtures.ts");

const MONDAY = Date.parse("2030-03-04T00:00:00Z"); // 2030-W10
const H = 60 * 60 * 1000;
let wednesdayPerson: { id: number };

beforeAll(async () => {
  const pkg = await makePackage("django-sched");
  await makeCall({
    packageId: pkg.id,
    title: "Scheduled call",
    skills: [["testing", "comfortable"]],
    createdAt: MONDAY - 48 * H,
  });
  await makeUser({ login: "monday-mia", skills: [["testing", "expert"]] });
  wednesdayPerson = await makeUser({ login: "wednesday-wes", skills: [["testing", "expert"]] });
  await savePreferences(wednesdayPerson.id, { frequency: "weekly", sections: ["calls"], dayOfWeek: 3 });
});

const outboxTo = async () => (await db().select().from(schema.outboxEmails).all()).map((e) => e.to).sort();

describe("the scheduled digest", () => {
  it("waits for the send time, runs once that day, and honours each person's day", async () => {
    expect(await runScheduledDigest(MONDAY + 8 * H)).toBeNull();
    const monday = await runScheduledDigest(MONDAY + 9 * H + 60_000);
    expect(monday).toMatchObject({ week: "2030-W10", sent: 1 });
    expect(monday!.skipped["not-their-day"]).toBe(1);
    expect(await outboxTo()).toEqual(["monday-mia@example.org"]);
    expect(await runScheduledDigest(MONDAY + 15 * H)).toBeNull();
  });

  it("catches up after downtime: Thursday's run sends what Wednesday missed, once", async () => {
    const thursday = await runScheduledDigest(MONDAY + 3 * 24 * H + 12 * H);
    expect(thursday).toMatchObject({ sent: 1, alreadySent: 1 });
    expect(await outboxTo()).toEqual(["monday-mia@example.org", "wednesday-wes@example.org"]);
  });

  it("records the one-click unsubscribe headers in the demo outbox", async () => {
    const [email] = await db().select().from(schema.outboxEmails).all();
    const headers = JSON.parse(email!.headers) as Record<string, string>;
    expect(headers["List-Unsubscribe"]).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/unsubscribe\/.+\/one-click>$/);
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(email!.subject).toBe("1 match for you on Roadies this week");
  });
});
