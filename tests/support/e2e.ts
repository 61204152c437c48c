// Playwright's test with a `signInAs(login)` fixture: signs a demo account in through the demo GitHub
// stand-in, the way a person does (the login page, "Sign in with GitHub", their account's button),
// and `openDatabase`, the one way a spec reaches a server's database itself.
import { createClient, type Client } from "@libsql/client";
import { test as base, expect, type Page } from "@playwright/test";

/** The demo server's database file for this run (playwright.config.ts starts it on E2E_PORT). */
export const DEMO_DATABASE_URL = `file:tests/.tmp/e2e-${Number(process.env.E2E_PORT ?? 3111)}.db`;

/**
 * A client on a server's database (the run's demo server by default). On a SQLite file it waits up
 * to 10 s for the lock, as the app's own connections wait, so a spec's write that meets a write of
 * the running server waits its turn instead of failing with SQLITE_BUSY (a flaky test on a busy
 * machine). ESLint sends every spec here: `createClient` is not imported in tests/e2e.
 */
export async function openDatabase(url = DEMO_DATABASE_URL): Promise<Client> {
  const client = createClient({ url });
  if (url.startsWith("file:")) await client.execute("PRAGMA busy_timeout = 10000");
  return client;
}

/** Signs `login` in on `page` (the test's own by default) and returns that page. */
type SignInAs = (login: string, options?: { page?: Page; next?: string }) => Promise<Page>;

export const test = base.extend<{ signInAs: SignInAs }>({
  // (`provide` is Playwright's `use`, renamed so the React hooks rule does not take it for a hook.)
  signInAs: async ({ page: testPage }, provide) => {
    await provide(async (login, { page = testPage, next } = {}) => {
      // With `next`: from the login page, back to `next`. Without it: a blank page starts at the login
      // page; a page of the site is expected to be on its way there (sent by a guard or a "Sign in"
      // link), so it keeps the way back the site gave it. Navigating again would race that.
      if (next !== undefined) await page.goto(`/login?next=${encodeURIComponent(next)}`);
      else if (page.url() === "about:blank") await page.goto("/login");
      await page.getByRole("button", { name: "Sign in with GitHub" }).click();
      // The stand-in's buttons read "login (Name)": match the whole login, not a prefix of another.
      const escaped = login.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      await page.getByRole("button", { name: new RegExp(`^${escaped}( |$)`) }).click();
      // Signed in: the account menu (or, without JavaScript, the sign-out link) is in the banner.
      await expect(
        page.getByRole("link", { name: "Sign out" }).or(page.getByRole("banner").locator("summary")).first(),
      ).toBeAttached();
      // A path (resolved against baseURL): the URL is checked as it changes. A predicate would make
      // Playwright wait for the page's load event too, which a busy machine can hold past the timeout.
      if (next !== undefined) await expect(page).toHaveURL(next);
      return page;
    });
  },
});

export { expect };
