// [experience] The first hour in the demo: the home page's live ways in and a signed-in person's next
// steps and waiting items, without JavaScript, at 390 and 1280 px; the GitHub stand-in's picker
// naming each demo person's role and what to try; a typed login told how to become a maintainer,
// and becoming one.
import { expect, test } from "#tests/support/e2e.ts";
import { expectAccessible } from "./helpers.ts";

const WIDTHS = [390, 1280] as const;

test("the home page links every way in to a live page, with no 'soon' left", async ({ page }) => {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/");
    const waysIn = page.getByRole("region", { name: "Four ways in" });
    await expect(waysIn.getByRole("link", { name: "Write your volunteer profile" })).toHaveAttribute(
      "href",
      "/settings/profile",
    );
    await expect(waysIn.getByRole("link", { name: "See the programmes" })).toHaveAttribute("href", "/programs");
    await expect(waysIn.getByRole("link", { name: "Choose your digest" })).toHaveAttribute(
      "href",
      "/settings/notifications",
    );
    await expect(waysIn.getByRole("link", { name: "Meet the roadies" })).toHaveAttribute("href", "/roadies");
    await expect(waysIn.getByRole("link", { name: "Browse open calls" })).toHaveAttribute("href", "/calls");
    await expect(page.getByText(/open soon|start soon/)).toHaveCount(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  }
  await page.getByRole("link", { name: "See the programmes" }).click();
  await expect(page).toHaveURL(/\/programs$/);
});

test("without JavaScript, an organiser signed in sees what waits for them and follows it", async ({
  browser,
  signInAs,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAs("kofi-demo", { page, next: "/" });
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    const waiting = page.getByRole("region", { name: "Waiting for you" });
    await expect(waiting.getByRole("link", { name: /programme applications? waits? for your review/ })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  }
  await page
    .getByRole("region", { name: "Waiting for you" })
    .getByRole("link", { name: /for your review/ })
    .click();
  await expect(page).toHaveURL(/\/programs\/[^/]+\/review$/);
  await context.close();
});

test("the sign-in picker names each demo person's role and what to try, and tells a new login how to maintain a package", async ({
  page,
}) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await expect(page.getByRole("button", { name: "ada-demo (Ada Demo)" })).toHaveAccessibleDescription(
    /working-group admin.*maintainer of .*Try: /,
  );
  await expect(page.getByRole("button", { name: "chiara-demo (Chiara Demo)" })).toHaveAccessibleDescription(
    /roadie.*organiser of Google Summer of Code/,
  );
  await expect(page.getByRole("button", { name: "nia-demo (Nia Demo)" })).toHaveAccessibleDescription(/newcomer/);
  await expect(page.getByText(/A login typed here is a new GitHub account/)).toContainText("LOGIN/django-sandbox");
  await expectAccessible(page);
});

test("a newly typed login is told why it maintains nothing and becomes the verified maintainer of its sandbox package", async ({
  page,
}) => {
  const login = `first-run-${Date.now().toString(36)}`;
  await page.goto("/login?next=%2Fpackages%2Fnew");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.getByLabel("or type any GitHub login").fill(login);
  await page.getByRole("button", { name: "Sign in with this login" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Add a package" })).toBeVisible();
  const hint = page.getByRole("complementary", { name: "Trying the demo with a new login?" });
  await expect(hint).toContainText(`django-sandbox-${login}`);
  await expect(hint).toContainText(`${login}/django-sandbox`);
  await expectAccessible(page);

  // A listed package: nothing is added, and the page says why and what to do.
  await page.getByLabel("Name on PyPI").fill("django-filter");
  await page.getByLabel("GitHub repository").fill("carltongibson/django-filter");
  await Promise.all([
    page.waitForURL(/\/packages\/django-filter\?existing=1/),
    page.getByRole("button", { name: "Check with GitHub and add" }).click(),
  ]);
  await expect(page.getByText(/already on Roadies with verified maintainers/)).toContainText(
    "ask one of its maintainers to invite you",
  );

  // A repository of someone else's that is not listed: GitHub gives this account no role on it.
  await page.goto("/packages/new");
  // (django-gentle-admin: no other test lists it, so this holds in any order.)
  await page.getByLabel("Name on PyPI").fill("django-gentle-admin");
  await page.getByLabel("GitHub repository").fill("roadies-demo/django-gentle-admin");
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Check with GitHub and add" }).click(),
  ]);
  await expect(page.getByText(/do not have the admin or maintain role on this repository/)).toBeVisible();

  await page.goto("/packages/new");
  await page.getByLabel("Name on PyPI").fill(`django-sandbox-${login}`);
  await page.getByLabel("GitHub repository").fill(`${login}/django-sandbox`);
  await Promise.all([
    page.waitForURL(/\/packages\/django-sandbox-/),
    page.getByRole("button", { name: "Check with GitHub and add" }).click(),
  ]);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`django-sandbox-${login}`);
});
