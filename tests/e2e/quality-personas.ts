// The demo people the accessibility crawl and the keyboard journeys act as (see db/demo/*.ts for
// why each one holds the role), and signing in as them through the GitHub stand-in.
import { expect, type Page } from "@playwright/test";

export type Persona = { name: string; login: string | null };

export const personas: Persona[] = [
  { name: "anonymous", login: null },
  // A volunteer with a profile who is neither a roadie, an organiser nor a working-group member.
  { name: "volunteer", login: "mateo-demo" },
  // Verified maintainer of django-htmx and django-environ (db/demo/ecosystem.ts).
  { name: "maintainer", login: "bruno-demo" },
  // Organiser of the Google Summer of Code demo round, not an admin (db/demo/programs.ts).
  { name: "programme organiser", login: "chiara-demo" },
  // Working-group admin (db/demo-people.ts).
  { name: "admin", login: "ada-demo" },
];

/** Signs in through the stand-in's page by clicking the login's button, as a person would. */
export async function signIn(page: Page, login: string, next = "/") {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.getByRole("button", { name: new RegExp(`^${login}\\b`) }).click();
  await expect(page.getByRole("banner").locator("summary")).toBeVisible();
}
