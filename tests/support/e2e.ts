// Playwright's test with a `signInAs(login)` fixture: signs a demo account in through the demo GitHub
// stand-in, the way a person does (the login page, "Sign in with GitHub", their account's button).
import { test as base, expect, type Page } from "@playwright/test";

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
      if (next !== undefined) await expect(page).toHaveURL((url) => url.pathname + url.search === next);
      return page;
    });
  },
});

export { expect };
