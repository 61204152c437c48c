// Conversations end to end: a maintainer accepts an offer of help with a note, which opens the
// conversation; in two browsers the maintainer and the volunteer exchange messages, the volunteer's
// header count goes up live when a message arrives, and each open thread shows the other's new
// message without a reload. Axe on the thread page, no sideways scroll at 390 px; without
// JavaScript, writing a message is a plain form post.
import type { Page } from "@playwright/test";
import { expect, openDatabase, test } from "#tests/support/e2e.ts";
import { expectAccessible } from "./helpers.ts";

/** The header's unread count, as a screen reader hears the link ("Inbox, 3 unread"). */
async function unreadInHeader(page: Page): Promise<number> {
  const name =
    (await page
      .getByRole("banner")
      .getByRole("link", { name: /^Inbox/ })
      .getAttribute("aria-label")) ?? "";
  const match = /^Inbox, (\d+) unread$/.exec(name);
  return match ? Number(match[1]) : 0;
}

const sideways = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth > window.innerWidth);

/** A fresh call of django-mptt (chiara-demo maintains it) with mateo-demo's pending offer of help. */
async function callWithOffer(tag: string) {
  const title = `Conversation e2e ${tag} ${Date.now().toString(36)}`;
  const client = await openDatabase();
  // The server may be writing at the same moment: wait for its lock instead of failing.
  const now = Date.now();
  await client.execute({
    sql: `INSERT INTO calls (package_id, kind, title, description, hours_per_week, django_versions, urgency, status,
            expires_on, posted_by_user_id, created_at, updated_at)
          SELECT (SELECT id FROM packages WHERE normalized_name = 'django-mptt'), 'triage-review', ?,
                 'Review pull requests about tree queries.', 2, '[]', 'normal', 'open', ?,
                 (SELECT id FROM users WHERE login = 'chiara-demo'), ?, ?`,
    args: [title, new Date(now + 30 * 86_400_000).toISOString().slice(0, 10), now, now],
  });
  const callId = Number(
    (await client.execute({ sql: "SELECT id FROM calls WHERE title = ?", args: [title] })).rows[0]!.id,
  );
  await client.execute({
    sql: `INSERT INTO call_interests (call_id, user_id, message, share_email, status, created_at, updated_at)
          SELECT ?, (SELECT id FROM users WHERE login = 'mateo-demo'), 'I know tree queries well.', 0, 'pending', ?, ?`,
    args: [callId, now, now],
  });
  client.close();
  return { title, callId };
}

/** The maintainer accepts mateo-demo's offer with a note and lands in the conversation. */
async function acceptWithNote(page: Page, callId: number, note: string) {
  await page.goto(`/calls/${callId}/manage`);
  await page.getByLabel("Optional first message to @mateo-demo").fill(note);
  await Promise.all([
    page.waitForURL(new RegExp(`/calls/${callId}/manage$`)),
    page.getByRole("button", { name: "Accept @mateo-demo" }).click(),
  ]);
  await page.getByRole("link", { name: "Open the conversation with @mateo-demo" }).click();
  await expect(page).toHaveURL(/\/threads\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Conversation about");
  return new URL(page.url()).pathname;
}

/** Writes `text` in the composer, sends it, and sees it on the page (`shown`: its words once rendered). */
async function send(page: Page, text: string, shown = text) {
  await page.getByLabel("Message", { exact: true }).fill(text);
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/threads/")),
    page.getByRole("button", { name: "Send", exact: true }).click(),
  ]);
  await expect(page.locator(".thread-messages").getByText(shown)).toBeVisible();
}

test("two people exchange messages on an accepted offer of help; the unread count and the open thread follow live", async ({
  browser,
  signInAs,
}) => {
  test.setTimeout(120_000);
  const { title, callId } = await callWithOffer("live");

  const maintainer = await (await browser.newContext()).newPage();
  await signInAs("chiara-demo", { page: maintainer, next: `/calls/${callId}/manage` });
  const threadPath = await acceptWithNote(
    maintainer,
    callId,
    "Welcome aboard! Shall we start with the open tree-query PRs?",
  );
  await expect(maintainer.getByText("Shall we start with the open tree-query PRs?")).toBeVisible();

  // The volunteer is elsewhere on the site: the header's count is all they see.
  const volunteer = await (await browser.newContext()).newPage();
  await signInAs("mateo-demo", { page: volunteer, next: "/guides" });
  const inboxLink = volunteer.getByRole("banner").getByRole("link", { name: /^Inbox/ });
  await expect(inboxLink).toBeVisible();
  const before = await unreadInHeader(volunteer);

  await send(maintainer, "I have labelled three PRs for you to look at first.");
  // No reload: the volunteer's count goes up within a poll or two.
  await expect(inboxLink).toHaveAccessibleName(`Inbox, ${before + 1} unread`, { timeout: 30_000 });

  // The volunteer opens the conversation from their interests: both messages are there, and it is read.
  await volunteer.goto("/me/interests");
  await volunteer
    .getByRole("row")
    .filter({ hasText: title })
    .getByRole("link", { name: `Conversation about “${title}”` })
    .click();
  await expect(volunteer).toHaveURL(new RegExp(`${threadPath}$`));
  await expect(volunteer.getByText("Shall we start with the open tree-query PRs?")).toBeVisible();
  await expect(volunteer.getByText("I have labelled three PRs")).toBeVisible();
  await expect.poll(() => unreadInHeader(volunteer)).toBeLessThanOrEqual(before);
  await expectAccessible(volunteer);

  // A marker in the volunteer's window survives only if the page is never reloaded.
  await volunteer.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await send(maintainer, "Ping me on the first one when you are ready.");
  await expect(volunteer.getByText("Ping me on the first one when you are ready.")).toBeVisible({ timeout: 20_000 });
  expect(await volunteer.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

  // And back: the maintainer's open thread shows the reply without a reload.
  await maintainer.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await send(volunteer, "On it: I will review **the first PR** tonight.", "the first PR");
  await expect(maintainer.locator(".thread-messages strong").filter({ hasText: "the first PR" })).toBeVisible({
    timeout: 20_000,
  });
  expect(await maintainer.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

  await volunteer.setViewportSize({ width: 390, height: 844 });
  expect(await sideways(volunteer)).toBe(false);
});

test("without JavaScript a message is a plain form post, and deleting it asks first and leaves a trace", async ({
  browser,
  signInAs,
}) => {
  test.setTimeout(90_000);
  const { callId } = await callWithOffer("nojs");
  const maintainer = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signInAs("chiara-demo", { page: maintainer, next: `/calls/${callId}/manage` });
  const threadPath = await acceptWithNote(maintainer, callId, "");
  await expect(maintainer.getByText("No messages yet.")).toBeVisible();
  await maintainer.getByLabel("Message", { exact: true }).fill("Written without JavaScript.");
  await maintainer.getByRole("button", { name: "Send", exact: true }).click();
  await expect(maintainer.locator(".thread-messages").getByText("Written without JavaScript.")).toBeVisible();

  await maintainer.getByRole("link", { name: /^Delete/ }).click();
  await expect(maintainer.getByRole("heading", { name: /^Delete your message/ })).toBeVisible();
  await maintainer.getByRole("button", { name: "Delete the message" }).click();
  await expect(maintainer).toHaveURL(new RegExp(`${threadPath}`));
  await expect(maintainer.getByText("Message deleted.")).toBeVisible();
  await expect(maintainer.getByText("Written without JavaScript.")).toHaveCount(0);
});
