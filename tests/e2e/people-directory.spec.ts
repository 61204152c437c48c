// Finding people on /people in a browser: "comfortable with async and Channels, within 3 hours of
// Paris" as a visitor, with and without JavaScript, on a phone and a desktop; the filters stay in the
// address (a link to share) and the page passes axe. Demo data: hana-demo (Berlin, async comfortable)
// and dev-demo (Kolkata, 4½ hours from Paris) from db/demo-people.ts and db/demo/directory.ts.
import { expect, test } from "#tests/support/e2e.ts";
import { expectAccessible } from "./helpers.ts";

for (const { javaScriptEnabled, width } of [
  { javaScriptEnabled: true, width: 1280 },
  { javaScriptEnabled: false, width: 390 },
]) {
  test(`a visitor finds people comfortable with async within 3 hours of Paris (${javaScriptEnabled ? "with" : "without"} JavaScript, ${width} px)`, async ({
    browser,
  }) => {
    const context = await browser.newContext({
      javaScriptEnabled,
      viewport: { width, height: 900 },
      timezoneId: "Europe/Paris",
    });
    const page = await context.newPage();
    await page.goto("/people");
    await expect(page.getByRole("heading", { level: 1, name: "People" })).toBeVisible();
    await page.getByLabel("Skill", { exact: true }).selectOption("async-channels");
    await page.getByLabel("Level", { exact: true }).selectOption("comfortable");
    const zone = page.getByLabel("Near the time zone");
    if (!(await zone.isVisible())) await page.getByText("More filters").click();
    await zone.selectOption("Europe/Paris");
    await page.getByLabel("Within").selectOption("3");
    await Promise.all([
      page.waitForURL(/skill=async-channels/),
      page.getByRole("button", { name: "Find people" }).click(),
    ]);

    const url = new URL(page.url());
    expect(url.searchParams.get("level")).toBe("comfortable");
    expect(url.searchParams.get("tz")).toBe("Europe/Paris");
    await expect(page.getByText(/within 3 hours of Europe\/Paris/)).toBeVisible();
    const results = page.locator(".people-list");
    await expect(results.getByRole("link", { name: "Hana Demo" })).toBeVisible();
    await expect(results.getByText("Async and Channels: comfortable").first()).toBeVisible();
    await expect(results.getByRole("link", { name: "Dev Demo" })).toHaveCount(0);
    // The chosen filters are kept in the form for the next search.
    await expect(page.getByLabel("Skill", { exact: true })).toHaveValue("async-channels");
    // No sideways scrolling on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // axe runs in the page's JavaScript: checked in the run that has it.
    if (javaScriptEnabled) await expectAccessible(page);

    await page.getByRole("link", { name: "Clear the filters" }).click();
    await expect(page).toHaveURL(/\/people$/);
    await context.close();
  });
}
