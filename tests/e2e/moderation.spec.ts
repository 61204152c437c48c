// Reports and the audit log in the browser: a volunteer reports a call on a phone without
// JavaScript, a working-group admin answers it from the queue, and the audit page shows the chain
// verified.
import type { Browser } from "@playwright/test";
import { expect, test } from "#tests/support/e2e.ts";
import { expectAccessible } from "./helpers.ts";

const CALL = 15; // a demo call for django-debug-toolbar

const phoneWithoutJs = async (browser: Browser) =>
  (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } })).newPage();

test("a report reaches the working group and its answer comes back; the audit chain verifies", async ({
  browser,
  signInAs,
}) => {
  const bruno = await signInAs("bruno-demo", { page: await phoneWithoutJs(browser), next: `/calls/${CALL}` });
  await bruno.getByRole("link", { name: "Report this call" }).click();
  await expect(bruno.getByRole("heading", { level: 1, name: /^Report the call/ })).toBeVisible();
  await bruno.getByLabel("What is wrong?").fill("short");
  await bruno.getByRole("button", { name: "Send the report" }).click();
  await expect(bruno.getByText("Say in a sentence what is wrong.")).toBeVisible();
  await bruno.getByLabel("What is wrong?").fill("This call asks volunteers to pay a fee to apply.");
  await bruno.getByRole("button", { name: "Send the report" }).click();
  await expect(bruno.getByRole("status").filter({ hasText: "you will get an email when it does" })).toBeVisible();
  await bruno.context().close();

  // The report form, with JavaScript (axe needs it), at a phone's width and a desktop's.
  const ada = await signInAs("ada-demo", { next: `/report/call/${CALL}` });
  for (const width of [390, 1280]) {
    await ada.setViewportSize({ width, height: 900 });
    await expect(ada.getByLabel("What is wrong?")).toBeVisible();
    await expectAccessible(ada);
  }

  await ada.goto("/admin/moderation");
  const item = ada.getByRole("listitem").filter({ hasText: "This call asks volunteers to pay a fee" });
  await expect(item).toContainText("reported by @bruno-demo");
  await expectAccessible(ada);
  // Keyboard only: the outcome, the note, the button.
  await item.getByLabel("Declined: no action").focus();
  await ada.keyboard.press("Space");
  await item.getByLabel("Note to the person who reported").focus();
  await ada.keyboard.type("The fee is the conference's, not the call's; nothing to remove.");
  await ada.keyboard.press("Tab");
  await ada.keyboard.press("Enter");
  await expect(ada.getByText("No open reports.")).toBeVisible();

  await ada.goto("/admin/audit");
  await expect(ada.getByRole("status").filter({ hasText: /Chain verified: \d+ entries/ })).toBeVisible();
  await expect(ada.getByRole("cell", { name: "report.declined" })).toBeVisible();
  await expectAccessible(ada);
  await ada.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(ada);
});
