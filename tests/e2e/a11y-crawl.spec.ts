// The accessibility crawl: as each kind of person in the demo data, follow every same-origin link
// from the home page and hold every page to WCAG 2.2 AA (axe), a clean console and working links,
// and every page a signed-in person gets to at most three database round trips (its `Server-Timing`).
import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "#tests/support/e2e.ts";
import { personas } from "./quality-personas.ts";
import { MAX_PAGES, MAX_PER_PATTERN, NOT_FOLLOWED, patternOf, staticSegments } from "./crawl.ts";

type Problem = string;

const BLANK_GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

/** The most database round trips a signed-in page may make (round-trips.test.ts holds every page route to it too). */
const MAX_ROUND_TRIPS = 3;

/** A page over the limit, as its `Server-Timing` tells (`db;dur=…;desc="<n> round trips"`), or null. */
function roundTripProblem(url: string, headers: Record<string, string>): Problem | null {
  const match = /db;dur=[\d.]+;desc="(\d+) round trips"/.exec(headers["server-timing"] ?? "");
  if (!match) return `no database round trips in the Server-Timing of ${url}`;
  const roundTrips = Number(match[1]);
  return roundTrips > MAX_ROUND_TRIPS ? `${roundTrips} database round trips on ${url}` : null;
}

/** Same-origin links and assets of the current page, without fragments. */
async function linksOn(page: Page): Promise<{ pages: string[]; assets: string[] }> {
  const found = await page.evaluate(() => {
    const pages = [...document.querySelectorAll<HTMLAnchorElement>("a[href]")]
      .filter((a) => !a.hasAttribute("download"))
      .map((a) => a.href);
    const downloads = [...document.querySelectorAll<HTMLAnchorElement>("a[href][download]")].map((a) => a.href);
    const assets = [
      ...[...document.querySelectorAll<HTMLLinkElement>("link[href]")].map((l) => l.href),
      ...[...document.querySelectorAll<HTMLScriptElement>("script[src]")].map((s) => s.src),
      ...[...document.querySelectorAll<HTMLImageElement>("img[src]")].map((i) => i.currentSrc || i.src),
      ...[...document.querySelectorAll<HTMLIFrameElement>("iframe[src]")].map((f) => f.src),
    ];
    return { pages, assets: [...assets, ...downloads] };
  });
  const origin = new URL(page.url()).origin;
  const sameOrigin = (list: string[]) =>
    list
      .map((href) => new URL(href, page.url()))
      .filter((u) => u.origin === origin)
      .map((u) => {
        u.hash = "";
        return u.href;
      });
  return { pages: sameOrigin(found.pages), assets: sameOrigin(found.assets) };
}

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .options({
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      // Details of the rules that passed are never read: not collecting them saves time.
      resultTypes: ["violations"],
    })
    .analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

/**
 * Checks every link once per person, four at a time, with the person's own cookies; `onPage` sees
 * each page answered (an HTML document below 400) with its headers.
 */
class LinkChecker {
  private readonly statuses = new Map<string, Promise<{ status: number; html: boolean }>>();
  constructor(
    private readonly request: APIRequestContext,
    private readonly onPage: (url: string, headers: Record<string, string>) => void,
  ) {}

  private async fetch(url: string, attempt = 1): Promise<{ status: number; html: boolean }> {
    try {
      const response = await this.request.get(url, { maxRedirects: 5 });
      const html = (response.headers()["content-type"] ?? "").startsWith("text/html");
      if (html && response.status() < 400) this.onPage(url, response.headers());
      await response.dispose();
      return { status: response.status(), html };
    } catch (error) {
      // A kept-alive connection the server closed as the request went out: a browser retries too.
      if (attempt === 1 && /ECONNRESET|socket hang up/.test(String(error))) return this.fetch(url, 2);
      throw error;
    }
  }

  check(url: string) {
    let answer = this.statuses.get(url);
    if (!answer) {
      answer = this.fetch(url);
      this.statuses.set(url, answer);
    }
    return answer;
  }

  async checkAll(urls: string[], foundOn: string, problems: Problem[]) {
    const unique = [...new Set(urls)].filter((u) => !NOT_FOLLOWED.test(new URL(u).pathname));
    for (let i = 0; i < unique.length; i += 4) {
      await Promise.all(
        unique.slice(i, i + 4).map(async (url) => {
          const { status } = await this.check(url);
          if (status >= 400) problems.push(`broken link on ${foundOn}: ${url} answered ${status}`);
        }),
      );
    }
  }
}

/** Tabs crawling side by side for one person: axe keeps one core busy per tab. */
const TABS = 2;

// A person's crawl takes 35–90 s on the 2-core CI machine, depending on how busy its host is: the
// limit only stops a crawl that is stuck.
test.describe.configure({ timeout: 300_000 });

/** The main content of every page axe has checked, across the people of this file. */
const checkedMains = new Set<string>();

for (const persona of personas) {
  test(`every page reachable as ${persona.name} is accessible, quiet and has no broken links`, async ({
    browser,
    signInAs,
  }) => {
    const context = await browser.newContext();
    const problems: Problem[] = [];
    const tabs: { page: Page; current: string }[] = [];
    for (let i = 0; i < TABS; i++) {
      const tab = { page: await context.newPage(), current: "sign-in" };
      tab.page.on("console", (message) => {
        if (message.type() !== "error") return;
        const source = message.location().url;
        problems.push(`console error on ${tab.current}: ${message.text()}${source ? ` (${source})` : ""}`);
      });
      tab.page.on("pageerror", (error) => problems.push(`uncaught error on ${tab.current}: ${error.message}`));
      tab.page.on("dialog", (dialog) => {
        problems.push(`unexpected dialog on ${tab.current}: ${dialog.message()}`);
        void dialog.dismiss();
      });
      tabs.push(tab);
    }

    // This machine has no internet: GitHub's avatars come from here as a blank image, anything
    // else from another origin is refused and reported.
    const origin = new URL(test.info().project.use.baseURL!).origin;
    await context.route(
      (url) => url.origin !== origin,
      async (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === "avatars.githubusercontent.com") {
          await route.fulfill({ contentType: "image/gif", body: BLANK_GIF });
        } else {
          problems.push(`request to another origin: ${url.href}`);
          await route.abort();
        }
      },
    );

    if (persona.login) await signInAs(persona.login, { page: tabs[0]!.page, next: "/" });
    const statics = staticSegments();
    // Every page a signed-in person gets, whether checked as a link or opened in a tab.
    const checkRoundTrips = (url: string, headers: Record<string, string>) => {
      const problem = persona.login ? roundTripProblem(url, headers) : null;
      if (problem) problems.push(problem);
    };
    const links = new LinkChecker(context.request, checkRoundTrips);
    const visited: string[] = [];

    async function visit(tab: (typeof tabs)[number], url: string): Promise<string[]> {
      tab.current = url;
      const { page } = tab;
      const response = await page.goto(url);
      expect(response?.status(), `status of ${url}`).toBeLessThan(400);
      checkRoundTrips(url, await response!.allHeaders());
      // Wait for React to hydrate the page (it tags the DOM nodes it owns), so errors of the
      // browser-side code are seen too.
      await page.waitForFunction(() =>
        Object.keys(document.querySelector("main") ?? {}).some((key) => key.startsWith("__reactFiber")),
      );
      // axe is the slow part: a page whose main content is the same as one already checked (the
      // public pages, seen by everyone) is not checked again, except the person's first page, which
      // checks the header they see on every page.
      const main = await page.locator("main").innerHTML();
      if (!checkedMains.has(main) || url === visited[0]) {
        checkedMains.add(main);
        for (const violation of await axeViolations(page)) problems.push(`axe on ${url}: ${violation}`);
      }
      const found = await linksOn(page);
      await links.checkAll([...found.pages, ...found.assets], url, problems);
      return found.pages;
    }

    // Breadth first, one level of links at a time, so the pages chosen under the caps are the same
    // on every run however the tabs interleave.
    const seen = new Set([`${origin}/`]);
    const perPattern = new Map<string, number>();
    let level = [...seen];
    while (level.length > 0 && visited.length < MAX_PAGES) {
      const batch: string[] = [];
      for (const url of level) {
        if (visited.length + batch.length >= MAX_PAGES) break;
        const pattern = patternOf(new URL(url), statics);
        const count = perPattern.get(pattern) ?? 0;
        if (count >= MAX_PER_PATTERN) continue;
        const { status, html } = await links.check(url);
        if (!html || status >= 400) continue;
        perPattern.set(pattern, count + 1);
        batch.push(url);
      }
      visited.push(...batch);

      const found: string[][] = new Array(batch.length);
      let next = 0;
      await Promise.all(
        tabs.map(async (tab) => {
          while (next < batch.length) {
            const i = next++;
            found[i] = await visit(tab, batch[i]!);
          }
        }),
      );

      level = [];
      for (const link of found.flat()) {
        if (!seen.has(link) && !NOT_FOLLOWED.test(new URL(link).pathname)) {
          seen.add(link);
          level.push(link);
        }
      }
    }

    await context.close();
    test.info().annotations.push({ type: "pages", description: `${visited.length} visited, ${seen.size} found` });
    expect([...new Set(problems)]).toEqual([]);
    // Signed-in people reach their own pages (settings, admin) on top of the public ones.
    expect(visited.length).toBeGreaterThan(persona.login ? 30 : 20);
  });
}
