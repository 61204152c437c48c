// The notification settings as a person meets them on a phone without JavaScript: every kind of
// email with its switch, a plain form that posts, and what cannot be switched off saying why.
import { expect, test } from "#tests/support/e2e.ts";
import { expectAccessible } from "./helpers.ts";

test("on a 390 px phone without JavaScript, a person switches one kind of email off and on again", async ({
  browser,
  signInAs,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await signInAs("kofi-demo", { page: await context.newPage(), next: "/settings/notifications" });
  await expect(page.getByRole("heading", { level: 2, name: "Emails we send you" })).toBeVisible();

  const checkins = page.getByRole("checkbox", { name: "Dormant package check-ins" });
  await expect(checkins).toBeChecked();
  // What cannot be switched off has no box, and says why.
  await expect(page.getByRole("checkbox", { name: "Request assignments" })).toHaveCount(0);
  await expect(page.getByRole("listitem").filter({ hasText: "Request assignments" })).toContainText("security report");

  await checkins.uncheck();
  await page.getByRole("button", { name: "Save email choices" }).click();
  const confirmation = "Your email choices are saved.";
  await expect(page.getByRole("status").filter({ hasText: confirmation })).toHaveText(confirmation);
  await expect(page.getByRole("checkbox", { name: "Dormant package check-ins" })).not.toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Answers to your offers of help" })).toBeChecked();
  // Nothing overflows the phone's width.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await page.getByRole("checkbox", { name: "Dormant package check-ins" }).check();
  await page.getByRole("button", { name: "Save email choices" }).click();
  await expect(page.getByRole("checkbox", { name: "Dormant package check-ins" })).toBeChecked();
  await context.close();
});

// (axe needs JavaScript, so accessibility is checked here, at both widths.)
test("at 390 px and 1280 px with JavaScript, the page is accessible and keyboard reachable", async ({
  page,
  signInAs,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInAs("kofi-demo", { next: "/settings/notifications" });
  await expectAccessible(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  const box = page.getByRole("checkbox", { name: "Comments on requests" });
  await box.focus();
  await page.keyboard.press("Space");
  await expect(box).not.toBeChecked();
  await page.keyboard.press("Space");
  await expect(box).toBeChecked();
  await expectAccessible(page);
});
