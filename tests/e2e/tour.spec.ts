// [experience] The README's tour: screenshots of what a newcomer meets, taken by the test run at
// 1280 and 390 px and saved into docs/tour/ (committed, linked from the README). Each shot is taken
// only once the page shows what its caption in the README says.
import { mkdirSync } from "node:fs";
import { expect, test } from "#tests/support/e2e.ts";
import type { Page } from "@playwright/test";
import { expectAccessible } from "./helpers.ts";

const DIR = "docs/tour";
mkdirSync(DIR, { recursive: true });

async function shoot(page: Page, name: string, width: 1280 | 390) {
  await page.screenshot({ path: `${DIR}/${name}-${width}.png`, animations: "disabled" });
}

test("tour: the home page, the sign-in picker, a person's next steps, the calls and the outbox", async ({
  page,
  signInAs,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Keep Django packages alive, together" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Packages that need help most" })).toBeVisible();
  await shoot(page, "home", 1280);

  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await expect(page.getByRole("button", { name: "ada-demo (Ada Demo)" })).toHaveAccessibleDescription(
    /working-group admin/,
  );
  await shoot(page, "sign-in", 1280);

  await page.setViewportSize({ width: 390, height: 844 });
  await signInAs("kofi-demo", { next: "/" });
  await expect(page.getByRole("heading", { name: "Waiting for you" })).toBeVisible();
  await page.getByRole("heading", { name: "Waiting for you" }).evaluate((h) => h.scrollIntoView());
  await expectAccessible(page);
  await shoot(page, "home-signed-in", 390);

  await page.goto("/calls");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("main").getByRole("link").filter({ hasText: /\w/ }).first()).toBeVisible();
  await shoot(page, "calls", 390);

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/dev/outbox");
  const newest = page.locator(".outbox-list tbody tr").first();
  await expect(newest).toBeVisible();
  await newest.getByRole("link").first().click();
  await expect(page.locator("iframe.outbox-html")).toBeVisible();
  await page.getByRole("heading", { name: "As HTML" }).evaluate((h) => h.scrollIntoView());
  await shoot(page, "outbox", 1280);
});
