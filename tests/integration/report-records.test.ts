// Monthly reports are records: once a month has ended, the job stores its report and the page, the
// Markdown and the Atom feed show that record whatever the data does afterwards; the current month
// is marked provisional; a job that missed a month's end stores it at its next run, once.
import { describe, expect, test } from "vitest";
import { APP, context, request } from "#tests/support/routes.ts";
import { useFreshDatabase } from "#tests/support/database.ts";

process.env.APP_URL = APP;

const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");
const { makeAdmin, makeCall, makePackage, makeUser } = await import("#tests/support/factories.ts");
const { recordEndedMonths } = await import("#app/models/ecosystem/report-records.server.ts");
const { monthBounds, monthlyReport, monthOf } = await import("#app/models/ecosystem/ecosystem.server.ts");
const { createSurvey, saveQuestion } = await import("#app/models/surveys/surveys.server.ts");
const pageRoute = await import("#app/routes/reports.$month.tsx");
const markdownRoute = await import("#app/routes/reports.$month_.markdown.ts");
const atomRoute = await import("#app/routes/reports[.]atom.ts");

const DAY = 86_400_000;
const HOUR = 3_600_000;

function lastMonth(now = Date.now()) {
  const d = new Date(now);
  return monthOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
}

const page = (month: string) => pageRoute.loader({ request: request(`/reports/${month}`), params: { month }, context });
const markdown = async (month: string) =>
  (
    (await markdownRoute.loader({
      request: request(`/reports/${month}/markdown`),
      params: { month },
      context,
    })) as Response
  ).text();
const atom = async () => ((await atomRoute.loader()) as Response).text();

describe("a month's report is a record", () => {
  useFreshDatabase();

  test("once recorded, a month's report does not change when the data changes afterwards", async () => {
    const month = lastMonth();
    const { start, end } = monthBounds(month);
    const ada = await makeUser("record-ada");
    const admin = await makeAdmin("record-wg");
    const pkg = await makePackage("django-recorded", [ada]);
    await makeCall(pkg.id, ada, { title: "RECORDED-CALL", createdAt: start + 2 * DAY, updatedAt: start + 2 * DAY });
    // A survey that closed during the month, answered by nobody: its section is in the record.
    const survey = await createSurvey(
      { title: "RECORDED-SURVEY", intro: "", opensAt: start + DAY, closesAt: start + 9 * DAY },
      admin.id,
      start,
    );
    await saveQuestion(
      survey,
      undefined,
      { kind: "free_text", prompt: "Anything?", help: "", required: false, options: [], scaleLow: "", scaleHigh: "" },
      admin.id,
      start,
    );

    expect(await recordEndedMonths(end + HOUR)).toContain(month);
    const first = await page(month);
    const firstMarkdown = await markdown(month);
    expect(first.provisional).toBe(false);
    expect(first.report.newCalls.map((c) => c.title)).toEqual(["RECORDED-CALL"]);
    expect(first.report.surveys.map((s) => s.title)).toEqual(["RECORDED-SURVEY"]);
    expect(first.status).toMatch(/^Recorded on .*This record does not change\.$/);
    expect(firstMarkdown).toContain("_Recorded on ");

    // Afterwards: another call backdated into the month, the first one renamed, a package more.
    await makeCall(pkg.id, ada, { title: "LATE-CALL", createdAt: start + 3 * DAY, updatedAt: start + 3 * DAY });
    await db().update(schema.calls).set({ title: "RENAMED-CALL" }).where(eq(schema.calls.title, "RECORDED-CALL"));
    await makePackage("django-added-later", [ada]);

    const again = await page(month);
    expect(again).toEqual(first);
    expect(await markdown(month)).toBe(firstMarkdown);
    // …while the live figures did change: without the record, the report would show them.
    const live = await monthlyReport(month, Date.now());
    expect(live.newCalls.map((c) => c.title)).toEqual(["RENAMED-CALL", "LATE-CALL"]);
  });
});

describe("a record and moderation", () => {
  useFreshDatabase();

  test("a call hidden by moderation after the month was recorded leaves the record's lists; the rest stays", async () => {
    const month = lastMonth();
    const { start, end } = monthBounds(month);
    const bo = await makeUser("record-bo");
    const admin = await makeAdmin("record-moderator");
    const pkg = await makePackage("django-moderated", [bo]);
    const spam = await makeCall(pkg.id, bo, { title: "SPAM-CALL", createdAt: start + DAY, updatedAt: start + DAY });
    await makeCall(pkg.id, bo, { title: "GOOD-CALL", createdAt: start + 2 * DAY, updatedAt: start + 2 * DAY });
    await recordEndedMonths(end + HOUR);
    expect((await page(month)).report.newCalls.map((c) => c.title)).toEqual(["SPAM-CALL", "GOOD-CALL"]);

    await db()
      .insert(schema.moderationHides)
      .values({
        objectType: "call",
        objectId: String(spam.id),
        reason: "spam",
        hiddenByUserId: admin.id,
        createdAt: Date.now(),
      });
    expect((await page(month)).report.newCalls.map((c) => c.title)).toEqual(["GOOD-CALL"]);
    expect(await markdown(month)).not.toContain("SPAM-CALL");
    expect(await atom()).not.toContain("SPAM-CALL");
  });
});

describe("provisional reports", () => {
  useFreshDatabase();

  test("the current month is marked provisional on the page, in the Markdown and in the feed", async () => {
    const now = Date.now();
    const current = monthOf(now);
    const previous = lastMonth(now);
    const ada = await makeUser("prov-ada");
    const pkg = await makePackage("django-provisional", [ada]);
    await makeCall(pkg.id, ada, { createdAt: monthBounds(previous).start + DAY });

    const here = await page(current);
    expect(here.provisional).toBe(true);
    expect(here.status).toMatch(/^Provisional: this month is not over yet/);
    expect(await markdown(current)).toContain("_Provisional: this month is not over yet");

    // An ended month the job has not stored yet is provisional too, and says so in the feed.
    expect((await page(previous)).provisional).toBe(true);
    const entry = (feed: string) => feed.split("<entry>").find((e) => e.includes(`/reports/${previous}<`))!;
    expect(entry(await atom())).toMatch(/<title>Roadies report: .* \(provisional\)<\/title>/);

    await recordEndedMonths(now);
    const recorded = entry(await atom());
    expect(recorded).not.toContain("(provisional)");
    expect(recorded).toContain("Recorded on");
    expect((await page(previous)).provisional).toBe(false);
  });
});

describe("catching up after downtime", () => {
  useFreshDatabase();

  test("months whose end the job missed are stored at its next run, once; stored late, they leave out package figures and say so", async () => {
    const d = new Date();
    const twoBack = monthOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 2, 1));
    const oneBack = lastMonth();
    const ada = await makeUser("catchup-ada");
    const pkg = await makePackage("django-catchup", [ada]);
    await makeCall(pkg.id, ada, { title: "OLDER-CALL", createdAt: monthBounds(twoBack).start + DAY });
    // The job was down from before the end of `twoBack` until three days into `oneBack`'s successor.
    const back = monthBounds(oneBack).end + 3 * DAY;
    expect((await recordEndedMonths(back)).sort()).toEqual([twoBack, oneBack]);
    expect(await recordEndedMonths(back + HOUR)).toEqual([]);
    expect(await db().select().from(schema.monthlyReportRecords).all()).toHaveLength(2);

    const older = await page(twoBack);
    expect(older.report.newCalls.map((c) => c.title)).toEqual(["OLDER-CALL"]);
    expect(older.report.states).toBeNull();
    expect(older.report.drives).toBeNull();
    expect(older.status).toMatch(/days after the month ended .*package figures were not recorded/);
    expect(await markdown(twoBack)).toContain("Package figures (compatibility, maintenance states) were not recorded");

    // Three days late is still the month's end: package figures are kept.
    const newer = await page(oneBack);
    expect(newer.report.states).not.toBeNull();
    expect(newer.status).toMatch(/after the month ended\. This record does not change\.$/);
  });
});
