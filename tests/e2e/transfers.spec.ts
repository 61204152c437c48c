// A handover in three browsers: the demo transfer of django-dbtemplates, from lena-demo (verified
// maintainer) to mateo-demo (successor), shepherded by chiara-demo (roadie). Each ticks only their
// own steps, the roadie records a check, both sides confirm, and everyone finds the emails.
import type { Browser } from "@playwright/test";
import { expect, test } from "#tests/support/e2e.ts";
import { expectAccessible } from "./helpers.ts";

test.use({ timezoneId: "Europe/Paris" });

/** A browser of its own for each person; the successor's has no JavaScript and a phone's width. */
const newPage = async (browser: Browser, options: { javaScriptEnabled?: boolean; width?: number } = {}) =>
  (
    await browser.newContext({
      timezoneId: "Europe/Paris",
      javaScriptEnabled: options.javaScriptEnabled ?? true,
      viewport: { width: options.width ?? 1280, height: 900 },
    })
  ).newPage();

const escape = (label: string) => label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const markDone = (label: string) => new RegExp(`^Mark “${escape(label)}.*” done$`);
const undo = (label: string) => new RegExp(`^Undo “${escape(label)}`);

test("a handover completes only with each party's own ticks and both confirmations, and everyone is told", async ({
  browser,
  signInAs,
}) => {
  test.setTimeout(120_000);
  // The roadie finds the transfer, cannot tick the parties' steps, records a check and ticks her own.
  const chiara = await signInAs("chiara-demo", { page: await newPage(browser) });
  await chiara.goto("/admin/transfers");
  await chiara.getByRole("link", { name: "django-dbtemplates" }).click();
  await expect(
    chiara.getByRole("heading", { level: 1, name: "Ownership transfer of django-dbtemplates" }),
  ).toBeVisible();
  const transferUrl = new URL(chiara.url()).pathname;
  await expect(chiara.getByRole("button", { name: markDone("Successor added as a PyPI owner") })).toHaveCount(0);
  await expect(chiara.getByRole("button", { name: markDone("CI secrets rotated") })).toHaveCount(0);
  await chiara.getByText("Mark “Documentation hosting access granted” checked").click();
  const check = chiara.locator("details[open]");
  await check
    .getByLabel("What you checked (evidence)")
    .fill("Read the Docs lists mateo-demo as a maintainer of the project.");
  await check.getByRole("button", { name: "Record the check" }).click();
  await expect(chiara.getByText("Checked by @chiara-demo")).toBeVisible();
  await expect(chiara.getByText(/Read the Docs lists mateo-demo/)).toBeVisible();
  await chiara.getByRole("button", { name: markDone("Announcement posted") }).click();
  await expect(chiara.getByRole("button", { name: undo("Announcement posted") })).toBeVisible();
  await expectAccessible(chiara);

  // The maintainer ticks hers; she cannot confirm before the successor's steps are ticked.
  const lena = await signInAs("lena-demo", { page: await newPage(browser) });
  await lena.goto(transferUrl);
  await expect(lena.getByRole("button", { name: markDone("CI secrets rotated") })).toHaveCount(0);
  for (const label of ["Successor added as a PyPI owner", "Documentation hosting access granted"]) {
    await lena.getByRole("button", { name: markDone(label) }).click();
    await expect(lena.getByRole("button", { name: undo(label) })).toBeVisible();
  }
  await expect(lena.getByText(/Confirmations open once all \d+ steps are ticked/)).toBeVisible();
  await expect(lena.getByRole("button", { name: /Confirm the handover/ })).toHaveCount(0);

  // The successor, on a phone without JavaScript: plain forms that post.
  const mateo = await signInAs("mateo-demo", {
    page: await newPage(browser, { javaScriptEnabled: false, width: 390 }),
    next: transferUrl,
  });
  for (const label of [
    "PyPI owner invitation accepted",
    "PyPI Trusted Publishing set up",
    "CI secrets rotated",
    "Package metadata (URLs, maintainers) updated",
  ]) {
    await mateo.getByRole("button", { name: markDone(label) }).click();
    await expect(mateo.getByRole("button", { name: undo(label) })).toBeVisible();
  }
  await expect(mateo.getByRole("heading", { name: /Checklist \((\d+) of \1 done\)/ })).toBeVisible();
  await expect(mateo.getByRole("button", { name: "Confirm the handover as the current maintainer" })).toHaveCount(0);
  await mateo.getByRole("button", { name: "Confirm the handover as the successor" }).click();
  await expect(mateo.getByRole("list", { name: "Confirmations" })).toContainText("Successor: confirmed by @mateo-demo");
  await expect(mateo.getByText("Transfer complete")).toHaveCount(0);

  // The maintainer confirms from the keyboard; GitHub shows mateo with maintain; it completes.
  await lena.reload();
  const confirm = lena.getByRole("button", { name: "Confirm the handover as the current maintainer" });
  await confirm.focus();
  await lena.keyboard.press("Enter");
  await expect(lena.getByText(/Transfer complete/)).toBeVisible();
  await expectAccessible(lena);

  await chiara.reload();
  await expect(chiara.getByText(/Transfer complete/)).toBeVisible();
  await expect(chiara.getByText("ticked by @mateo-demo").first()).toBeVisible();
  await chiara.getByRole("link", { name: "New owner wanted for django-dbtemplates" }).click();
  await expect(chiara.getByText("Filled", { exact: true }).first()).toBeVisible();

  // Everyone heard each stage: the demo outbox holds the completion for each party.
  await chiara.goto("/dev/outbox");
  const completed = chiara.getByRole("row").filter({ hasText: "django-dbtemplates transfer completed" });
  for (const login of ["lena-demo", "mateo-demo", "chiara-demo"]) {
    await expect(completed.filter({ hasText: login })).toHaveCount(1);
  }
  await expect(chiara.getByRole("row").filter({ hasText: "ready for both confirmations" }).first()).toBeVisible();
  for (const page of [chiara, lena, mateo]) await page.context().close();
});
