// [experience] The one time-zone picker suggests the browser's own zone: chosen for a person whose
// profile has none, offered as a button to one whose profile holds another. Browsers in India may
// still report the old name (Asia/Calcutta); the picker shows and saves the current one.
import { expect, test } from "#tests/support/e2e.ts";
import { expectAccessible } from "./helpers.ts";

test("a new person's profile starts on the browser's time zone, under its current name, and saves it", async ({
  browser,
}) => {
  const context = await browser.newContext({ timezoneId: "Asia/Kolkata", viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const login = `tz-newcomer-${Date.now().toString(36)}`;
  await page.goto(`/login?next=${encodeURIComponent("/settings/profile")}`);
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.getByLabel("or type any GitHub login").fill(login);
  await page.getByRole("button", { name: "Sign in with this login" }).click();
  await expect(page).toHaveURL(/\/settings\/profile$/);

  const zone = page.getByLabel("Time zone");
  await expect(zone).toHaveValue("Asia/Kolkata");
  await expect(page.getByRole("status").filter({ hasText: "Your browser says Asia/Kolkata" })).toBeVisible();
  await expect(zone.locator("option:checked")).toHaveText("Asia/Kolkata (UTC+05:30)");
  await expectAccessible(page);

  await page.getByLabel("Hours a week you can give").fill("3");
  await Promise.all([
    page.waitForURL(/\/settings\/profile\?saved=1$/),
    page.getByRole("button", { name: "Save profile" }).click(),
  ]);
  await expect(page.getByLabel("Time zone")).toHaveValue("Asia/Kolkata");
  await context.close();
});

test("a person whose profile has another zone is offered the browser's with one click", async ({
  browser,
  signInAs,
}) => {
  const context = await browser.newContext({ timezoneId: "Europe/Paris", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInAs("ada-demo", { page, next: "/settings/profile" });
  const zone = page.getByLabel("Time zone");
  await expect(zone).toHaveValue("Europe/London");
  const useMine = page.getByRole("button", { name: "Use my time zone (Europe/Paris)" });
  await useMine.focus();
  await page.keyboard.press("Enter");
  await expect(zone).toHaveValue("Europe/Paris");
  await expect(useMine).toHaveCount(0);
  await context.close();
});
