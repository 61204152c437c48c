// Forms that do not lose clicks or text (issue 17, "forms"). After a validation error, correcting
// the field and clicking once submits: leaving a field never adds or removes a message, so nothing
// moves under the pointer (the roadie application, the interest form and its "share my email"
// checkbox, the call outcome form). Text over a limit is kept and refused with its count, a live
// counter shows the length (the hint states the limit without JavaScript), and withdrawing a
// programme application asks first and explains itself afterwards.
import type { Locator, Page } from "@playwright/test";
import { expect, openDatabase, test } from "#tests/support/e2e.ts";
import { expectAccessible } from "./helpers.ts";

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}`;

/** Signs a brand-new account in through the demo's GitHub stand-in and lands on `next`. */
async function signInNew(page: Page, login: string, next: string) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.getByLabel("or type any GitHub login").fill(login);
  await page.getByRole("button", { name: "Sign in with this login" }).click();
  await expect(page).toHaveURL(next); // a path, checked as it changes (see signInAs in tests/support/e2e.ts)
}

/** An open call on a package `login` does not maintain, written straight into the demo database. */
async function openCall(title: string, packageName?: string): Promise<number> {
  const client = await openDatabase();
  const now = Date.now();
  await client.execute({
    sql: `INSERT INTO calls (package_id, kind, title, description, hours_per_week, django_versions, urgency, status, expires_on, created_at, updated_at)
          SELECT ${packageName ? "(SELECT id FROM packages WHERE name = ?)" : "(SELECT min(id) FROM packages)"},
                 'triage-review', ?, 'Help us review pull requests.', 2, '[]', 'normal', 'open', ?, ?, ?`,
    args: [
      ...(packageName ? [packageName] : []),
      title,
      new Date(now + 30 * 86_400_000).toISOString().slice(0, 10),
      now,
      now,
    ],
  });
  const found = await client.execute({ sql: "SELECT id FROM calls WHERE title = ?", args: [title] });
  client.close();
  return Number(found.rows[0]!.id);
}

/** Leaving the field (Tab) moves nothing below it: the button stays where the pointer is. */
async function expectNoShiftOnBlur(field: Locator, button: Locator) {
  const before = await button.boundingBox();
  await field.press("Tab");
  expect(await button.boundingBox()).toEqual(before);
  await field.focus();
}

test("roadie application: the minimum is said up front, and after an error one click on Send submits", async ({
  page,
}) => {
  const login = unique("forms-roadie");
  // The stand-in's new accounts date from 2019: old enough to apply.
  await signInNew(page, login, "/roadies/apply");

  const motivation = page.getByLabel("Why do you want to be a roadie?");
  await expect(motivation).toHaveAccessibleDescription(/40 to 4,000 characters\./);
  const send = page.getByRole("button", { name: "Send application" });
  await motivation.fill("I like Django.");
  await send.click();
  await expect(page.getByText("Write at least 40 characters (now 14).")).toBeVisible();
  await expect(motivation).toHaveValue("I like Django.");

  await motivation.fill("I triage issues on three Django packages and helped move one to a new maintainer.");
  await expect(page.getByText(/Write at least 40 characters/)).toHaveCount(0);
  await expectNoShiftOnBlur(motivation, send);
  await send.click();
  await expect(page).toHaveURL(/\/roadies\/apply\?sent=1$/);
  await expect(page.getByRole("status").filter({ hasText: "Application sent." })).toBeVisible();
});

test("interest form: counter, over-limit text kept and refused, then the checkbox and Send each work with one click", async ({
  page,
}) => {
  const callId = await openCall(unique("Forms e2e: interest"));
  await signInNew(page, unique("forms-volunteer"), `/calls/${callId}`);
  const message = page.getByLabel("Message to the maintainers");
  const send = page.getByRole("button", { name: "Send my interest" });
  const share = page.getByLabel("Share my email address with the maintainers");
  await expect(message).toHaveAccessibleDescription(/10 to 2,000 characters\./);

  // The live counter, and pasted text over the limit is kept whole, not cut.
  await message.fill("Hello");
  await expect(page.getByText("5 / 2,000", { exact: true })).toBeVisible();
  const long = `I can help. ${"x".repeat(2488)}`;
  await message.fill(long);
  await expect(message).toHaveValue(long);
  await expect(page.getByText("2,500 / 2,000: 500 too many", { exact: true })).toBeVisible();
  await send.click();
  await expect(page.getByText("At most 2,000 characters: this has 2,500. Shorten it by 500.")).toBeVisible();
  await expect(message).toHaveValue(long);
  await expectAccessible(page);

  // Too short: an error; corrected, one click on the checkbox ticks it and one on Send sends.
  await message.fill("Hi");
  await send.click();
  await expect(page.getByText("Write at least 10 characters.")).toBeVisible();
  await message.fill("I review pull requests on Django packages most weekends.");
  await expect(page.getByText("Write at least 10 characters.")).toHaveCount(0);
  await expectNoShiftOnBlur(message, share);
  await share.click();
  await expect(share).toBeChecked();
  const posted = page.waitForResponse((r) => r.request().method() === "POST");
  await send.click();
  await posted;
  await expect(page).toHaveURL(new RegExp(`/calls/${callId}\\?interested=1$`));
  await expect(page.getByText("You expressed interest in this call")).toBeVisible();
});

test("text typed while the page's scripts are still loading is counted as soon as they run", async ({ page }) => {
  const callId = await openCall(unique("Forms e2e: early typing"));
  await signInNew(page, unique("forms-early"), "/calls");

  // Hold every script until the message is typed: a slow connection, where a person starts before
  // the page is interactive.
  let release!: () => void;
  const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\.js(\?|$)/, async (route) => {
    await scriptsHeld;
    await route.continue();
  });
  await page.goto(`/calls/${callId}`, { waitUntil: "commit" });
  const message = page.getByLabel("Message to the maintainers");
  await message.fill("Hello there");
  await expect(page.getByText(/ \/ 2,000/)).toHaveCount(0); // no counter before the scripts run
  release();
  await expect(page.getByText("11 / 2,000", { exact: true })).toBeVisible();
  await expect(message).toHaveValue("Hello there");
  await message.press("End");
  await message.pressSequentially("!");
  await expect(page.getByText("12 / 2,000", { exact: true })).toBeVisible();
});

test("interest form without JavaScript: the hint states the limit, and over-limit text comes back with its count", async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const callId = await openCall(unique("Forms e2e: no script"));
  await signInNew(page, unique("forms-noscript"), `/calls/${callId}`);
  const message = page.getByLabel("Message to the maintainers");
  await expect(page.getByText("10 to 2,000 characters.", { exact: false })).toBeVisible();
  await expect(page.getByText(/ \/ 2,000/)).toHaveCount(0); // no counter without JavaScript
  const long = `I can help. ${"y".repeat(2488)}`;
  await message.fill(long);
  await page.getByRole("button", { name: "Send my interest" }).click();
  await expect(page.getByText("At most 2,000 characters: this has 2,500. Shorten it by 500.")).toBeVisible();
  await expect(message).toHaveValue(long);
  await context.close();
});

test("call outcome form: after an error, one click on Record the outcome records it", async ({ page, signInAs }) => {
  const callId = await openCall(unique("Forms e2e: outcome"), "django-htmx");
  await signInAs("bruno-demo", { next: `/calls/${callId}/manage` });
  const section = page.getByRole("region", { name: "Fill or close the call" });
  const note = section.getByLabel("Outcome note");
  const record = section.getByRole("button", { name: "Record the outcome" });
  await section.getByLabel("Closed without filling it").check();
  await record.click();
  await expect(section.getByText("Write a short outcome note.")).toBeVisible();
  await note.fill("Nobody had the time this season.");
  await expect(section.getByText("Write a short outcome note.")).toHaveCount(0);
  await expectNoShiftOnBlur(note, record);
  const posted = page.waitForResponse((r) => r.request().method() === "POST");
  await record.click();
  await posted;
  await expect(page.getByRole("heading", { name: "Outcome", exact: true })).toBeVisible();
  await expect(page.getByText("Nobody had the time this season.").first()).toBeVisible();
});

test("withdrawing a programme application asks first, then says what happened and what is still possible", async ({
  page,
}) => {
  const login = unique("forms-withdraw");
  await signInNew(page, login, "/me/applications");
  const client = await openDatabase();
  const now = Date.now();
  await client.execute({
    sql: `INSERT INTO applications (program_id, role_id, user_id, status, submitted_at, created_at, updated_at)
          SELECT p.id, (SELECT min(r.id) FROM program_roles r WHERE r.program_id = p.id), u.id, 'submitted', ?, ?, ?
          FROM programs p, users u WHERE p.slug = 'djangonaut-space-demo-session' AND u.login = ?`,
    args: [now, now, now, login],
  });
  client.close();
  await page.reload();

  await page.getByRole("link", { name: /^Withdraw from / }).click();
  const confirm = page.getByRole("region", { name: /^Withdraw your application to / });
  await expect(confirm).toContainText("This cannot be undone.");
  await expectAccessible(page);
  // Changing one's mind withdraws nothing.
  await confirm.getByRole("link", { name: "Keep my application" }).click();
  await expect(page.getByRole("region", { name: /^Withdraw your application/ })).toHaveCount(0);
  await expect(page.getByRole("cell", { name: "Submitted" })).toBeVisible();

  await page.getByRole("link", { name: /^Withdraw from / }).click();
  const posted = page.waitForResponse((r) => r.request().method() === "POST");
  await page.getByRole("button", { name: "Yes, withdraw my application" }).click();
  await posted;
  await expect(page.getByRole("status").filter({ hasText: "You withdrew your application to" })).toBeVisible();
  await expect(
    page.getByRole("status").filter({ hasText: "A withdrawn application cannot be reopened or sent again." }),
  ).toBeVisible();
  await expect(page.getByRole("cell", { name: /^Withdrawn on / })).toBeVisible();

  // The application's own page explains the greyed-out answers.
  await page
    .getByRole("row", { name: /Withdrawn/ })
    .getByRole("link")
    .first()
    .click();
  await expect(page.getByRole("status").filter({ hasText: "You withdrew this application on" })).toContainText(
    "so it can no longer be changed or sent again",
  );
});
