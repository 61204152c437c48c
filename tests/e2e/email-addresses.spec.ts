// A second email address as a person meets it: added on /settings/email on a phone without
// JavaScript, verified by the link that arrives at that address (the demo outbox stands in for the
// mailbox), chosen for Roadies' email, then removed after a confirmation step.
import { expect, test } from "#tests/support/e2e.ts";
import { expectAccessible } from "./helpers.ts";

test("on a 390 px phone without JavaScript, a person adds, verifies, chooses and removes an address", async ({
  browser,
  signInAs,
}) => {
  const address = `hana.${Date.now()}@example.net`;
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await signInAs("hana-demo", { page: await context.newPage(), next: "/settings/email" });
  await expect(page.getByRole("heading", { level: 1, name: "Email addresses" })).toBeVisible();

  await page.getByLabel("Add an email address").fill(address);
  await page.getByRole("button", { name: "Add and send the link" }).click();
  await expect(page.getByRole("status").filter({ hasText: "We sent a link to that address" })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: address })).toContainText("Not verified yet");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // The link arrives at the new address only.
  await page.goto("/dev/outbox");
  const row = page.getByRole("row").filter({ hasText: address });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Confirm your email address for Roadies");
  await row.getByRole("link").first().click();
  const link = page.locator(".outbox-text a").filter({ hasText: "/verify-email/" }).first();
  const href = await link.getAttribute("href");
  expect(href).toMatch(/\/verify-email\//);

  // Opening the link changes nothing until the person confirms.
  await page.goto(new URL(href!).pathname);
  await expect(page.getByRole("heading", { level: 1, name: "Confirm your email address" })).toBeVisible();
  await page.getByRole("button", { name: `Confirm ${address}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `${address} is verified for @hana-demo` })).toBeVisible();

  await page.goto("/settings/email");
  await page.getByRole("radio", { name: address }).check();
  await page.getByRole("button", { name: "Save where email goes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "goes to the address you chose" })).toBeVisible();
  await expect(page.getByText(`Roadies’ email goes to ${address}`)).toBeVisible();

  // Removing is confirmed on its own page.
  await page.getByRole("link", { name: `Remove ${address}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Remove ${address}?` })).toBeVisible();
  await page.getByRole("button", { name: "Remove this address" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The address is removed." })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: address })).toHaveCount(0);
  await context.close();
});

// (axe needs JavaScript, so accessibility is checked here, at both widths.)
test("at 390 px and 1280 px with JavaScript, the email settings are accessible and keyboard reachable", async ({
  page,
  signInAs,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInAs("chiara-demo", { next: "/settings/email" });
  await expect(page.getByRole("radio", { name: /chiara-demo@maintainers/ })).toBeChecked();
  await expectAccessible(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  const field = page.getByLabel("Add an email address");
  await field.focus();
  await page.keyboard.type("not an address");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Enter a whole email address")).toBeVisible();
  await expectAccessible(page);
});
