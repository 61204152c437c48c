// The inbox end to end: a volunteer answers a maintainer's call in one browser, and the maintainer's
// header count goes up in another without a reload (the live version is read from the database, not
// from the server's memory); the inbox lists it, opens it, and marks it read. Without JavaScript the
// same forms work as plain posts. Axe on the pages, no sideways scroll at 390 px.
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

test("an answer to a call reaches the maintainer's inbox live, and the inbox marks it read", async ({
  browser,
  signInAs,
}) => {
  test.setTimeout(90_000);
  // A call of django-mptt (chiara-demo maintains it), written straight into the demo database.
  const title = `Inbox e2e ${Date.now().toString(36)}: tree queries`;
  const client = await openDatabase();
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
  client.close();

  const maintainer = await (await browser.newContext()).newPage();
  await signInAs("chiara-demo", { page: maintainer, next: "/guides" });
  const inboxLink = maintainer.getByRole("banner").getByRole("link", { name: /^Inbox/ });
  await expect(inboxLink).toBeVisible();
  const before = await unreadInHeader(maintainer);

  const volunteer = await (await browser.newContext()).newPage();
  await signInAs("mateo-demo", { page: volunteer, next: `/calls/${callId}` });
  await volunteer.getByLabel("Message to the maintainers").fill("I know django-mptt's tree queries well.");
  await volunteer.getByRole("button", { name: "Send my interest" }).click();
  await expect(volunteer.getByRole("status").filter({ hasText: "You expressed interest" })).toBeVisible();

  // No reload: the header's count follows within a poll or two.
  await expect(inboxLink).toHaveAccessibleName(`Inbox, ${before + 1} unread`, { timeout: 30_000 });

  await inboxLink.click();
  await expect(maintainer.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
  const entry = maintainer.getByRole("listitem").filter({ hasText: title });
  await expect(entry).toContainText("@mateo-demo offered to help");
  await expect(entry).toContainText("Unread");
  await expectAccessible(maintainer);
  await maintainer.setViewportSize({ width: 390, height: 844 });
  expect(await sideways(maintainer)).toBe(false);
  await maintainer.setViewportSize({ width: 1280, height: 800 });

  await entry.getByRole("button", { name: /^Mark read/ }).click();
  await expect(entry).not.toContainText("Unread");
  await expect(inboxLink).toHaveAccessibleName(before === 0 ? "Inbox" : `Inbox, ${before} unread`);

  // Opening it leads to the call's management page.
  await entry.getByRole("link", { name: new RegExp(title) }).click();
  await expect(maintainer).toHaveURL(new RegExp(`/calls/${callId}/manage$`));
});

test("without JavaScript the inbox filters, marks one read and marks all read with plain forms", async ({
  browser,
  signInAs,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAs("mateo-demo", { page, next: "/inbox" });
  const stamp = Date.now().toString(36);
  const client = await openDatabase();
  const add = (kind: string, title: string, key: string) =>
    client.execute({
      sql: `INSERT INTO notifications (user_id, kind, title, href, key, created_at)
            SELECT id, ?, ?, '/me/interests', ?, ? FROM users WHERE login = 'mateo-demo'`,
      args: [kind, title, `e2e-nojs:${stamp}:${key}`, Date.now()],
    });
  await add("interest-accepted", `First note ${stamp}`, "1");
  await add("interest-declined", `Second note ${stamp}`, "2");
  // A vote is for working-group members only: mateo-demo is not one, so it stays out of sight.
  await add("vote-closed", `Vote note ${stamp}`, "vote");
  client.close();

  await page.goto("/inbox?show=unread");
  await expect(page.getByRole("link", { name: `Vote note ${stamp}` })).toHaveCount(0);
  const first = page.getByRole("listitem").filter({ hasText: `First note ${stamp}` });
  await expect(first).toContainText("Unread");
  await first.getByRole("button", { name: /^Mark read/ }).click();
  await expect(page).toHaveURL(/\/inbox\?show=unread$/);
  await expect(page.getByRole("link", { name: `First note ${stamp}` })).toHaveCount(0);
  await expect(page.getByRole("link", { name: `Second note ${stamp}` })).toBeVisible();

  await page.getByRole("button", { name: "Mark all read" }).click();
  await expect(page.getByText("Nothing unread.")).toBeVisible();
  await expect(page.getByRole("banner").getByRole("link", { name: "Inbox", exact: true })).toBeVisible();

  await page.getByRole("link", { name: "All", exact: true }).click();
  for (const title of [`First note ${stamp}`, `Second note ${stamp}`]) {
    await expect(page.getByRole("listitem").filter({ hasText: title })).not.toContainText("Unread");
  }
  await context.close();
});
