// [experience] The README's tour: screenshots of what a newcomer meets, taken by the test run at
// 1280 and 390 px. Each shot is taken only once the page shows what its caption in the README says.
// `npm run tour` saves them into docs/tour/ (committed, linked from the README); an ordinary test
// run keeps them with its own results, so running the tests never changes a committed file.
import { mkdirSync } from "node:fs";
import { expect, test } from "#tests/support/e2e.ts";
import type { Page } from "@playwright/test";
import { expectAccessible } from "./helpers.ts";

const DIR = process.env.TOUR === "1" ? "docs/tour" : "test-results/tour";
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

  // An email of this test's own, whatever ran before: kofi-demo answers the first call they can.
  const calls = await page
    .locator('main a[href^="/calls/"]')
    .evaluateAll((links) =>
      [...new Set(links.map((a) => a.getAttribute("href")!))].filter((h) => /^\/calls\/\d+$/.test(h)),
    );
  let answered = false;
  for (const href of calls) {
    await page.goto(href);
    const message = page.getByLabel("Message to the maintainers");
    if ((await message.count()) === 0) continue;
    await message.fill("I maintain a few packages and can help with reviews and releases.");
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Send my interest" }).click(),
    ]);
    answered = true;
    break;
  }
  expect(answered).toBe(true);

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/dev/outbox");
  const newest = page.locator(".outbox-list tbody tr").first();
  await expect(newest).toBeVisible();
  await newest.getByRole("link").first().click();
  await expect(page.locator("iframe.outbox-html")).toBeVisible();
  await page.getByRole("heading", { name: "As HTML" }).evaluate((h) => h.scrollIntoView());
  await shoot(page, "outbox", 1280);
});
