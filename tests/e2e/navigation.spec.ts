// Navigation on a phone (390 px) and a desktop (1280 px), as each kind of person in the demo data
// (quality-personas.ts): no page scrolls sideways, the phone menu opens and closes with the keyboard
// and the pointer (and without JavaScript), and the header links each person to the pages of their
// roles and to no one else's (app/models/people/navigation-labels.ts decides them).
import type { Browser, BrowserContext, Locator, Page } from "@playwright/test";
import { expect, test } from "#tests/support/e2e.ts";
import { expectAccessible } from "./helpers.ts";
import { personas, type Persona } from "./quality-personas.ts";
import { MAX_PAGES, MAX_PER_PATTERN, NOT_FOLLOWED, patternOf, staticSegments } from "./crawl.ts";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

/** The role links each person of the demo data sees, in order (db/demo/*.ts gives them the roles). */
const roleLinks: Record<string, string[]> = {
  anonymous: [],
  // Every demo account verifiably maintains a few packages, so everyone signed in may post a call.
  volunteer: ["Post a call"],
  maintainer: ["Post a call"],
  "programme organiser": [
    "Roadie desk",
    "Transfers",
    "Nominations",
    "Review applications: Google Summer of Code with Django: demo round",
    "Post a call",
  ],
  admin: [
    "Working group",
    "Roadie applications",
    "Working-group votes",
    "Transfers",
    "Nominations",
    "Call announcements",
    "Moderation",
    "Post a call",
  ],
  "working-group member": [
    "Working group",
    "Roadie applications",
    "Working-group votes",
    "Transfers",
    "Nominations",
    "Post a call",
  ],
};

/** On top of the crawl's people: a working-group member who is not an admin (db/demo/people.ts). */
const rolePersonas: Persona[] = [...personas, { name: "working-group member", login: "gus-demo" }];

const BLANK_GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

async function contextFor(browser: Browser, options: { javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext({ viewport: PHONE, ...options });
  // This machine has no internet: GitHub's avatars come from here as a blank image.
  await context.route(
    (url) => url.hostname === "avatars.githubusercontent.com",
    (route) => route.fulfill({ contentType: "image/gif", body: BLANK_GIF }),
  );
  return context;
}

async function signedInPage(context: BrowserContext, persona: Persona, signInAs: SignInAs, next = "/") {
  const page = await context.newPage();
  if (persona.login) await signInAs(persona.login, { page, next });
  else await page.goto(next);
  return page;
}
type SignInAs = (login: string, options?: { page?: Page; next?: string }) => Promise<Page>;

/** Waits until React has hydrated the page, so its scripts (the menus' Escape key) are running. */
async function hydrated(page: Page) {
  await page.waitForFunction(() =>
    Object.keys(document.querySelector("main") ?? {}).some((key) => key.startsWith("__reactFiber")),
  );
}

/** Presses Tab until `target` has the focus. */
async function tabTo(page: Page, target: Locator) {
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error("Tab never reached the menu button");
}

const sideways = (page: Page) =>
  page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, width: window.innerWidth }));

test.describe.configure({ timeout: 240_000 });

for (const persona of personas) {
  test(`no page reachable as ${persona.name} scrolls sideways at 390 or 1280 px`, async ({ browser, signInAs }) => {
    const context = await contextFor(browser);
    const page = await signedInPage(context, persona, signInAs);
    const origin = new URL(page.url()).origin;
    const statics = staticSegments();
    const perPattern = new Map<string, number>();
    const seen = new Set([`${origin}/`]);
    const queue = [`${origin}/`];
    const wide: string[] = [];
    let visited = 0;
    // Breadth first, as the accessibility crawl: the same pages, at most MAX_PER_PATTERN of each.
    while (queue.length > 0 && visited < MAX_PAGES) {
      const url = queue.shift()!;
      const pattern = patternOf(new URL(url), statics);
      const count = perPattern.get(pattern) ?? 0;
      if (count >= MAX_PER_PATTERN) continue;
      const head = await context.request.get(url, { maxRedirects: 5 });
      const html = (head.headers()["content-type"] ?? "").startsWith("text/html");
      await head.dispose();
      if (!html || head.status() >= 400) continue;
      perPattern.set(pattern, count + 1);
      visited++;

      await page.setViewportSize(PHONE);
      await page.goto(url);
      const phone = await sideways(page);
      if (phone.scrollWidth > phone.width) wide.push(`${url} is ${phone.scrollWidth} px wide at 390 px`);
      await page.setViewportSize(DESKTOP);
      const desktop = await sideways(page);
      if (desktop.scrollWidth > desktop.width) wide.push(`${url} is ${desktop.scrollWidth} px wide at 1280 px`);

      const links = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLAnchorElement>("a[href]")].map((a) => a.href),
      );
      for (const link of links) {
        const next = new URL(link);
        next.hash = "";
        if (next.origin !== origin || NOT_FOLLOWED.test(next.pathname) || seen.has(next.href)) continue;
        seen.add(next.href);
        queue.push(next.href);
      }
    }
    await context.close();
    expect(wide).toEqual([]);
    expect(visited).toBeGreaterThan(persona.login ? 30 : 20);
  });

  test(`the phone menu opens and closes with the keyboard and the pointer, as ${persona.name}`, async ({
    browser,
    signInAs,
  }) => {
    const context = await contextFor(browser);
    const page = await signedInPage(context, persona, signInAs, "/guides");
    await hydrated(page);
    const banner = page.getByRole("banner");
    const menu = banner.locator("details[data-menu]");
    const button = menu.locator("summary");
    const areas = menu.getByRole("navigation", { name: "Main" });

    // One line of header: the areas are behind the button, which takes a small part of the screen.
    await expect(button).toBeVisible();
    await expect(button).toContainText("Menu");
    await expect(areas).toBeHidden();
    const header = (await banner.boundingBox())!;
    expect(header.height).toBeLessThanOrEqual(PHONE.height / 10);

    // Keyboard: Enter opens, Escape closes and gives the focus back; Space opens too.
    await tabTo(page, button);
    await page.keyboard.press("Enter");
    await expect(areas.getByRole("link", { name: "Calls" })).toBeVisible();
    await page.keyboard.press("Tab");
    await expect(areas.getByRole("link", { name: "Calls" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(areas).toBeHidden();
    await expect(button).toBeFocused();
    await page.keyboard.press("Space");
    await expect(areas).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(areas).toBeHidden();

    // Pointer: the button toggles it, a click elsewhere closes it, a link in it goes there.
    await button.click();
    await expect(areas).toBeVisible();
    await expectAccessible(page);
    await button.click();
    await expect(areas).toBeHidden();
    await button.click();
    // The open panel covers the page: a click on the header bar beside it counts as elsewhere.
    await banner.click({ position: { x: 4, y: 4 } });
    await expect(areas).toBeHidden();
    await button.click();
    await areas.getByRole("link", { name: "Packages" }).click();
    await expect(page).toHaveURL(/\/packages$/);
    await expect(areas).toBeHidden();

    // On a desktop the areas are in the header and the button is the account menu (or absent).
    await page.setViewportSize(DESKTOP);
    await expect(banner.locator(".main-nav").getByRole("link", { name: "Calls" })).toBeVisible();
    await expect(banner.getByText("Menu", { exact: true })).toBeHidden();
    await context.close();
  });
}

test("the phone menu opens, closes and leads to pages without JavaScript", async ({ browser, signInAs }) => {
  const context = await contextFor(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAs("ada-demo", { page, next: "/guides" });
  const menu = page.getByRole("banner").locator("details[data-menu]");
  const areas = menu.getByRole("navigation", { name: "Main" });
  await menu.locator("summary").click();
  await expect(areas).toBeVisible();
  await menu.locator("summary").click();
  await expect(areas).toBeHidden();
  await menu.locator("summary").click();
  await menu.getByRole("link", { name: "My applications" }).click();
  await expect(page).toHaveURL(/\/me\/applications$/);
  await context.close();
});

for (const persona of rolePersonas) {
  test(`the header shows ${persona.name} the links of their roles and no one else's, each one opening`, async ({
    browser,
    signInAs,
  }) => {
    const context = await contextFor(browser);
    const page = await signedInPage(context, persona, signInAs);
    const banner = page.getByRole("banner");
    const roles = banner.getByRole("navigation", { name: "Your roles" });
    const expected = roleLinks[persona.name]!;

    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      if (!persona.login) {
        await expect(banner.getByRole("link", { name: "Sign in" })).toBeVisible();
        await expect(banner.getByRole("navigation", { name: "Your account" })).toHaveCount(0);
        await expect(roles).toHaveCount(0);
        continue;
      }
      await banner.locator("summary").click();
      if (expected.length === 0) await expect(roles).toHaveCount(0);
      else await expect(roles.getByRole("link")).toHaveText(expected);
      // Every signed-in person finds their own pages there, their applications included.
      await expect(banner.getByRole("navigation", { name: "Your account" }).getByRole("link")).toContainText([
        "My interests",
        "My applications",
        "Notifications",
      ]);
      await banner.locator("summary").click();
    }

    // Each role link opens for the person it is shown to: nobody is sent to a page that refuses them.
    const targets = expected.length
      ? await roles.getByRole("link").evaluateAll((as) => as.map((a) => a.getAttribute("href")!))
      : [];
    for (const target of targets) {
      const response = await page.goto(target);
      expect(response?.status(), target).toBe(200);
    }
    await context.close();
  });
}

test("the calls' filters fold away on a phone, stay open on a desktop, and open when one is set", async ({
  browser,
}) => {
  const context = await contextFor(browser);
  const page = await context.newPage();
  await page.goto("/calls");
  await hydrated(page);
  const kind = page.getByLabel("Kind");
  const firstCall = page.locator(".call-list > li").first();
  await expect(page.getByLabel("Search")).toBeVisible();
  await expect(kind).toBeHidden();
  // The first call is on the first screen.
  expect((await firstCall.boundingBox())!.y).toBeLessThan(PHONE.height);
  await page.getByText("More filters").click();
  await expect(kind).toBeVisible();

  await page.goto("/calls?urgency=critical");
  await expect(page.getByLabel("Urgency")).toBeVisible();
  await expect(page.getByText("More filters (1 set)")).toBeVisible();

  await page.setViewportSize(DESKTOP);
  await page.goto("/calls");
  await expect(kind).toBeVisible();
  await expect(page.getByText("More filters")).toBeHidden();
  await context.close();
});
