// Special requests in the browser: a maintainer files a security request, the assigned expert is
// emailed (without details), acknowledges and comments, the maintainer follows the timeline, and
// anyone else meets a plain 404. Axe checks every page visited.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible } from "./helpers.ts";

async function signedIn(browser: Browser, baseURL: string, login: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.getByRole("button", { name: new RegExp(login, "i") }).click();
  await expect(page.getByRole("banner").locator("summary")).toBeVisible();
  return page;
}

test("a security request goes from filing to acknowledgement, visible only to those involved", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const title = `E2E: session fixation in the lockout reset ${Date.now()}`;

  // The maintainer of django-axes files it.
  const maintainer = await signedIn(browser, baseURL!, "bruno-demo");
  await maintainer.getByRole("banner").locator("summary").click();
  await maintainer.getByRole("link", { name: "Special requests" }).click();
  await expect(maintainer.getByRole("heading", { level: 1 })).toHaveText("Special requests");
  await expectAccessible(maintainer);
  await maintainer.getByRole("link", { name: "File a request" }).click();
  await expect(maintainer.getByRole("heading", { level: 1 })).toHaveText("File a special request");
  await expectAccessible(maintainer);
  await expect(maintainer.getByRole("link", { name: "handling a vulnerability report" })).toHaveAttribute(
    "href",
    "/guides/security",
  );

  // Bad input first: the page comes back with messages and keeps what was typed.
  await maintainer.getByLabel("Package").selectOption({ label: "django-axes" });
  await maintainer.getByLabel("What do you need help with?").selectOption("security");
  await maintainer.getByLabel("Title").fill(title);
  await maintainer.getByLabel("Details").fill("short");
  await maintainer.getByRole("button", { name: "File the request" }).click();
  await expect(maintainer.getByText("Write at least 20 characters.")).toBeVisible();
  await expect(maintainer.getByLabel("Title")).toHaveValue(title);

  await maintainer.getByLabel("Severity (security requests)").selectOption("critical");
  await maintainer
    .getByLabel("Details")
    .fill("A reporter showed that the session survives the lockout reset, so an attacker keeps access.");
  await maintainer.getByRole("button", { name: "File the request" }).click();
  await expect(maintainer.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(maintainer).toHaveTitle(/^Confidential request #\d+ · Roadies$/);
  await expect(maintainer.getByText("This request is confidential.")).toBeVisible();
  await expectAccessible(maintainer);
  const requestUrl = new URL(maintainer.url()).pathname;
  const expertName = (await maintainer.locator("dt:has-text('Expert') + dd").textContent())!.trim();
  const expertLogin = expertName.toLowerCase().replace(/\s+/g, "-");
  expect(["chiara-demo", "dev-demo"]).toContain(expertLogin);

  // The expert's email says only that there is something confidential, with the link.
  const outbox = await signedIn(browser, baseURL!, "ada-demo");
  await outbox.goto("/dev/outbox");
  await expectAccessible(outbox);
  const row = outbox
    .getByRole("row")
    .filter({ hasText: `${expertLogin}@` })
    .filter({ hasText: "New confidential request on Roadies" });
  await expect(row).toHaveCount(1);
  await row.getByRole("link").first().click();
  await expect(outbox).toHaveURL(/\/dev\/outbox\/\d+$/);
  const html = await (await outbox.request.get(`${outbox.url().replace(/\/$/, "")}/html`)).text();
  expect(html).toContain(requestUrl);
  expect(html).not.toContain(title);
  expect(html).not.toContain("django-axes");
  expect(html).not.toContain("lockout");

  // The expert acknowledges and comments.
  const expert = await signedIn(browser, baseURL!, expertLogin);
  await expert.goto(requestUrl);
  await expect(expert.getByRole("heading", { level: 1 })).toHaveText(title);
  await expectAccessible(expert);
  await expert.getByRole("button", { name: "Acknowledge" }).click();
  await expect(expert.locator(".tag", { hasText: "Acknowledged" })).toBeVisible();
  await expert.getByLabel("Add a comment").fill("Got it. Please open a draft GitHub security advisory and invite me.");
  await expert.getByRole("button", { name: "Comment" }).click();
  await expect(expert.getByText("Please open a draft GitHub security advisory")).toBeVisible();
  await expectAccessible(expert);

  // The maintainer sees the whole timeline.
  await maintainer.reload();
  const timeline = maintainer.locator(".request-timeline");
  await expect(timeline).toContainText("Bruno Demo filed the request");
  await expect(timeline).toContainText(`Assigned to ${expertName}`);
  await expect(timeline).toContainText("from New to Acknowledged");
  await expect(timeline).toContainText("Please open a draft GitHub security advisory");
  await expectAccessible(maintainer);

  // Anyone else: the same 404 as a request that does not exist.
  const stranger = await signedIn(browser, baseURL!, "lena-demo");
  const response = await stranger.goto(requestUrl);
  expect(response?.status()).toBe(404);
  await expect(stranger.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(stranger.getByText(title)).toHaveCount(0);
  await expectAccessible(stranger);
  await stranger.goto("/requests");
  await expect(stranger.getByText(title)).toHaveCount(0);

  // Signed out: asked to sign in and come back, for this request and for one that does not exist alike.
  const anonymous = await (await browser.newContext({ baseURL })).newPage();
  for (const path of [requestUrl, "/requests/999999"]) {
    await anonymous.goto(path);
    await expect(anonymous).toHaveURL(/\/login\?/);
    expect(new URL(anonymous.url()).searchParams.get("next")).toBe(path);
    await expect(anonymous.getByText(title)).toHaveCount(0);
  }
});

test("experts apply to pools and pause themselves; the guides are reachable and accessible", async ({
  browser,
  baseURL,
}) => {
  const page = await signedIn(browser, baseURL!, "gus-demo");
  await page.goto("/requests/pools");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Expert pools");
  await expectAccessible(page);
  await page.getByLabel("Pool", { exact: true }).selectOption("security");
  await page.getByLabel("Evidence").fill("too short");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText(/Write at least 20 characters/)).toBeVisible();
  await page.getByLabel("Evidence").fill("I handled two CVEs for django-constance and wrote the advisories.");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("a working-group admin will look at your application")).toBeVisible();
  await expect(page.getByText("Security: application waiting")).toBeVisible();

  // An admin admits them.
  const admin = await signedIn(browser, baseURL!, "kofi-demo");
  await admin.goto("/requests/pools");
  await expectAccessible(admin);
  await admin.getByRole("button", { name: "Admit @gus-demo" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Admitted" })).toHaveText(
    /Admitted: the security pool has a new member/,
  );
  await expect(admin.getByRole("button", { name: "Admit @gus-demo" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByText("Security: member, available")).toBeVisible();
  await page.getByRole("button", { name: "Pause security requests" }).click();
  await expect(page.getByText("Security: member, paused")).toBeVisible();

  for (const [path, heading] of [
    ["/guides/security", "Handling a vulnerability report"],
    ["/guides/funding", "Funding a Django package"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    await expectAccessible(page);
    // No dead internal links.
    const hrefs = await page
      .locator("main a[href^='/']")
      .evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
    for (const href of hrefs) {
      const status = (await page.request.get(href)).status();
      expect(status, href).toBeLessThan(400);
    }
  }
});
