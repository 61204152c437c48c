import { expect, test } from "@playwright/test";
import { expectAccessible } from "./helpers.ts";

test("a visitor signs in through GitHub, sees their name, and signs out", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Keep Django packages alive, together");
  await expect(page.getByText("Demo", { exact: true })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("banner").getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();

  // The GitHub stand-in's authorize page.
  await expect(page).toHaveURL(/\/_demo\/github\/login\/oauth\/authorize/);
  await expectAccessible(page);
  await page.getByRole("button", { name: /ada-demo/i }).click();

  await expect(page).toHaveURL(/\/$/);
  const account = page.getByRole("banner").locator("summary");
  await expect(account).toContainText("Ada");
  await expectAccessible(page);

  await account.click();
  await page.getByRole("link", { name: "Sessions" }).click();
  await expect(page.getByRole("heading", { name: "Your sessions" })).toBeVisible();
  await expect(page.getByText("This browser")).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("banner").locator("summary").click();
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();

  // The old session is gone on the server: the sessions page asks to sign in again.
  await page.goto("/settings/sessions");
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings%2Fsessions/);
});

test("signing in after a redirect returns to the page that asked for it", async ({ page }) => {
  await page.goto("/settings/sessions");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.getByRole("button", { name: /ada-demo/i }).click();
  await expect(page).toHaveURL(/\/settings\/sessions$/);
});

test("a callback with a wrong state shows the 400 page with a way to try again", async ({ page }) => {
  const response = await page.goto("/auth/github/callback?code=abc&state=not-the-one");
  expect(response?.status()).toBe(400);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This sign-in link has expired");
  await expect(page.getByRole("button", { name: "Try signing in again" })).toBeVisible();
  await expectAccessible(page);
});

test("an unknown address shows the 404 page", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page).toHaveTitle("Page not found · Roadies");
  await expectAccessible(page);
});

test("the build's own files are served with their cache lifetimes, and a page's path is never a file", async ({
  request,
}) => {
  const favicon = await request.get("/favicon.svg");
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()["cache-control"]).toBe("public, max-age=3600");
  // A module the page's HTML preloads (read from the HTML: Remix drops these links from the live
  // page at its first render after hydration).
  const html = await (await request.get("/")).text();
  const module = /<link rel="modulepreload" href="(\/assets\/[^"]+)"/.exec(html)?.[1];
  expect(module).toBeDefined();
  const asset = await request.get(module!);
  expect(asset.status()).toBe(200);
  expect(asset.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  // Paths that are no file of the build reach the app: its 404 page, not a bare "Cannot GET".
  const missing = await request.get("/favicon.png");
  expect(missing.status()).toBe(404);
  expect(await missing.text()).toContain("<main");
});

test("a cross-site POST is refused with 403", async ({ request, baseURL }) => {
  const response = await request.post("/logout", {
    headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
    data: "",
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
  const sameSite = await request.post("/logout", { headers: { Origin: baseURL! }, data: "", maxRedirects: 0 });
  expect(sameSite.status()).toBe(302);
});

test("every page carries the security headers and a CSP nonce that its scripts use", async ({ page }) => {
  const response = await page.goto("/packages");
  const headers = response!.headers();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("'unsafe-inline'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-powered-by"]).toBeUndefined();
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  // The app hydrated under the enforced policy: client-side navigation works.
  await page.getByRole("link", { name: "Calendar" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Django release calendar");
  await expectAccessible(page);
});

test("browsing packages and the calendar shows real Django data", async ({ page }) => {
  await page.goto("/packages");
  await expectAccessible(page);
  await page.getByLabel("Name").fill("django-filter");
  await page.getByRole("button", { name: "Show packages" }).click();
  await expect(page.getByRole("link", { name: "django-filter", exact: true })).toBeVisible();
  await page.getByRole("link", { name: "django-filter", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("django-filter");
  await expectAccessible(page);

  await page.goto("/calendar");
  await expect(page.getByRole("rowheader", { name: /4\.2/ })).toBeVisible();
});

test("the demo outbox shows the welcome email sent at first sign-in", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.getByLabel(/login/i).fill("newcomer-e2e");
  await page.getByRole("button", { name: /continue|sign in|authorize/i }).click();
  await expect(page.getByRole("banner").locator("summary")).toContainText("newcomer-e2e");
  // The email is sent just after sign-in, without holding it up: look until it is there.
  await expect(async () => {
    await page.goto("/dev/outbox");
    await expect(page.getByRole("link", { name: /welcome to roadies/i }).first()).toBeVisible({ timeout: 500 });
  }).toPass();
  await expectAccessible(page);
});

test("the layout works at 320 px wide", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto("/");
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  // The areas are one "Menu" button away on a phone (tests/e2e/navigation.spec.ts has the rest).
  await page.getByRole("banner").locator("summary").click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
});

test("anonymous pages come from the cache until a write changes what visitors can see", async ({
  request,
  browser,
}) => {
  const first = await request.get("/calendar");
  expect(first.status()).toBe(200);
  const second = await request.get("/calendar");
  expect(second.headers()["x-cache"]).toBe("hit");
  // The same page, each with its own CSP nonce.
  const withoutNonce = (html: string) => html.replace(/nonce="[^"]*"/g, 'nonce=""');
  expect(withoutNonce(await second.text())).toBe(withoutNonce(await first.text()));
  // A cached page still hydrates: its CSP nonce is the one in its HTML.
  const csp = second.headers()["content-security-policy"]!;
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  expect(await second.text()).toContain(`nonce="${nonce}"`);

  // A signed-in person never gets a shared page.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.getByRole("button", { name: /ada-demo/i }).click();
  await expect(page.getByRole("banner").locator("summary")).toBeVisible();
  const mine = await page.goto("/calendar");
  expect(mine!.headers()["x-cache"]).toBeUndefined();
  expect(mine!.headers()["cache-control"]).toBe("private, no-store");
  // Any write (here: signing out) retires the cached copies.
  await page.getByRole("banner").locator("summary").click();
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
  await context.close();
  await expect.poll(async () => (await request.get("/calendar")).headers()["x-cache"]).toBe("miss");
});

test("a form the server refuses shows the server's reason on the page", async ({ page }) => {
  await page.goto("/nominate");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.getByRole("button", { name: /ada-demo/i }).click();
  await expect(page).toHaveURL(/\/nominate$/);
  // A hostile form: more fields than readFormData accepts, posted as a plain document request
  // (HTMLFormElement.submit() skips Remix's handler, as a browser without JavaScript would).
  const refused = page.waitForResponse((r) => r.url().endsWith("/nominate") && r.request().method() === "POST");
  await page.evaluate(() => {
    const form = document.querySelector<HTMLFormElement>('main form[method="post"]')!;
    for (let i = 0; i < 1_001; i++) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = `f${i}`;
      form.append(input);
    }
    form.submit();
  });
  expect((await refused).status()).toBe(400);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("We could not accept that");
  await expect(page.getByText("The form has too many fields (at most 1000).")).toBeVisible();
  await expectAccessible(page);
});
