// [guides G2] The working group's meetings: a member schedules one in their own zone and sees it in
// UTC with their time alongside, moves it (the feed keeps its UID and raises SEQUENCE), writes
// internal notes a visitor cannot read, and, without JavaScript, cancels one through the
// confirmation step.
import { expect, test } from "#tests/support/e2e.ts";
import type { Page } from "@playwright/test";
import { expectAccessible } from "./helpers.ts";

const year = new Date().getUTCFullYear() + 1;

async function fillMeeting(page: Page, m: { title: string; day: string; time: string; zone?: string }) {
  await page.getByLabel("Title", { exact: true }).fill(m.title);
  await page.getByLabel("Day").fill(m.day);
  await page.getByLabel("Time (24-hour)").fill(m.time);
  if (m.zone) await page.getByLabel("Time zone of that time").selectOption(m.zone);
  await page.getByLabel("Video call link (optional)").fill("https://meet.example.org/e2e-wg");
  await page.getByLabel("Agenda (optional)").fill("- Welcome\n- The guides, reviewed");
}

/** The VEVENT of the meeting titled `title` in the meetings feed, unfolded. */
async function feedEvent(page: Page, title: string) {
  const text = (await (await page.request.get("/calendar.ics?only=meetings")).text()).replace(/\r\n /g, "");
  return text.split("BEGIN:VEVENT").find((e) => e.includes(`SUMMARY:${title}`)) ?? "";
}

test("a member schedules a meeting in New York time, moves it, and keeps internal notes from visitors", async ({
  browser,
  signInAs,
}) => {
  test.setTimeout(60_000);
  const context = await browser.newContext({ timezoneId: "America/New_York", viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const title = `E2E meeting ${Date.now().toString(36)}`;
  await signInAs("ada-demo", { page, next: "/meetings" });
  await expect(page.getByRole("heading", { level: 1, name: "Working-group meetings" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Schedule a meeting" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Schedule a meeting" })).toBeVisible();
  await expectAccessible(page);
  await fillMeeting(page, { title, day: `${year}-01-21`, time: "11:00", zone: "America/New_York" });
  await Promise.all([
    page.waitForURL(/\/meetings\/\d+\?saved=created$/),
    page.getByRole("button", { name: "Schedule the meeting" }).click(),
  ]);
  const when = page.locator(".meeting-facts dd").first();
  await expect(when).toContainText("16:00–17:00 UTC");
  await expect(when).toContainText("your time:");
  await expect(when).toContainText("11:00–12:00");
  await expectAccessible(page);
  const meetingUrl = page.url().replace(/\?.*$/, "");
  const before = await feedEvent(page, title);
  expect(before).toContain(`DTSTART:${year}0121T160000Z`);
  const uid = /UID:(\S+)/.exec(before)![1];

  // Moved an hour later.
  await page.getByRole("link", { name: "Edit or move the meeting" }).click();
  await expect(page.getByLabel("Time zone of that time")).toHaveValue("America/New_York");
  await expectAccessible(page);
  await page.getByLabel("Time (24-hour)").fill("12:00");
  await Promise.all([
    page.waitForURL(/\?saved=details$/),
    page.getByRole("button", { name: "Save the meeting" }).click(),
  ]);
  await expect(page.locator(".meeting-facts dd").first()).toContainText("17:00–18:00 UTC");
  const after = await feedEvent(page, title);
  expect(after).toContain(`UID:${uid}`);
  expect(after).toContain(`DTSTART:${year}0121T170000Z`);
  expect(after).toContain("SEQUENCE:1");

  // Internal notes.
  await page.getByRole("link", { name: "Write the notes" }).click();
  await page.getByLabel("Notes of the meeting").fill("Internal E2E-SECRET-NOTE about an applicant.");
  await page.getByLabel("Internal: only the working group may read these notes").check();
  await Promise.all([page.waitForURL(/\?saved=notes$/), page.getByRole("button", { name: "Save the notes" }).click()]);
  await expect(page.getByText("E2E-SECRET-NOTE")).toBeVisible();
  await context.close();

  const visitor = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await visitor.goto(meetingUrl);
  await expect(visitor.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(visitor.getByText("The notes of this meeting are internal to the working group.")).toBeVisible();
  await expect(visitor.locator("body")).not.toContainText("E2E-SECRET-NOTE");
  await expect(visitor.getByRole("link", { name: "Edit or move the meeting" })).toHaveCount(0);
  await expectAccessible(visitor);
  await visitor.context().close();
});

test("without JavaScript a member schedules a meeting and cancels it after confirming; the feed says CANCELLED", async ({
  browser,
  signInAs,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const title = `E2E cancelled ${Date.now().toString(36)}`;
  await signInAs("ada-demo", { page, next: "/meetings/new" });
  await fillMeeting(page, { title, day: `${year}-02-11`, time: "16:00", zone: "UTC" });
  await Promise.all([
    page.waitForURL(/\/meetings\/\d+\?saved=created$/),
    page.getByRole("button", { name: "Schedule the meeting" }).click(),
  ]);
  await page.getByRole("link", { name: "Cancel the meeting" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Cancel ${title}?` })).toBeVisible();
  await page.getByLabel("Reason (optional, shown publicly)").fill("Moved to the sprint day");
  await Promise.all([
    page.waitForURL(/\?saved=cancelled$/),
    page.getByRole("button", { name: "Cancel the meeting" }).click(),
  ]);
  await expect(page.getByText("This meeting is cancelled: Moved to the sprint day")).toBeVisible();
  const event = await feedEvent(page, `Cancelled: ${title}`);
  expect(event).toContain("STATUS:CANCELLED");
  expect(event).toContain("SEQUENCE:1");
  await context.close();
});
