// A package is verified only with proof that links PyPI to the repository: in the demo, PyPI does
// not link django-gentle-admin to its repository, so bruno's claim (admin on GitHub) stays
// "claimed, unconfirmed" until an admin confirms it with evidence, in a browser without
// JavaScript; then bruno steps down with the keyboard. Axe at 390 px and 1280 px.
import { expect, test } from "#tests/support/e2e.ts";
import { expectAccessible } from "./helpers.ts";

test("an unproven claim stays unconfirmed until an admin confirms it with evidence", async ({ browser, signInAs }) => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const bruno = await phone.newPage();
  await signInAs("bruno-demo", { page: bruno, next: "/packages/new" });
  await bruno.getByLabel("Name on PyPI").fill("django-gentle-admin");
  await bruno.getByLabel("GitHub repository").fill("roadies-demo/django-gentle-admin");
  await bruno.getByRole("button", { name: "Check with GitHub and add" }).click();
  await expect(bruno).toHaveURL(/\/packages\/django-gentle-admin\?claimed=no_link/);
  await expect(bruno.getByRole("status").filter({ hasText: "claimed, unconfirmed" })).toBeVisible();
  await expect(bruno.getByRole("link", { name: "Post a call for this package" })).toHaveCount(0);
  await expectAccessible(bruno);

  await bruno.getByRole("link", { name: "Maintainers and how each was verified" }).click();
  await expect(bruno.getByRole("heading", { level: 1 })).toHaveText("Maintainers of django-gentle-admin");
  await expect(bruno.getByRole("listitem").filter({ hasText: "@bruno-demo" })).toContainText("claimed, unconfirmed");
  await expectAccessible(bruno);

  // The admin's view at 1280 px; then the confirmation without JavaScript: plain forms that post.
  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const adaDesk = await signInAs("ada-demo", {
    page: await desk.newPage(),
    next: "/packages/django-gentle-admin/maintainers",
  });
  await expect(adaDesk.getByLabel("Evidence that @bruno-demo maintains it")).toBeVisible();
  await expectAccessible(adaDesk);
  const noScript = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  const ada = await signInAs("ada-demo", {
    page: await noScript.newPage(),
    next: "/packages/django-gentle-admin/maintainers",
  });
  await ada.getByLabel("Evidence that @bruno-demo maintains it").fill("Tiny");
  await ada.getByRole("button", { name: "Confirm @bruno-demo’s claim" }).click();
  await expect(ada.getByText("Say in a sentence or two what the evidence is.")).toBeVisible();
  await ada
    .getByLabel("Evidence that @bruno-demo maintains it")
    .fill("Bruno cut the last three releases; the PyPI project lists him as owner.");
  await ada.getByLabel("Link to the evidence (optional)").fill("https://pypi.org/project/django-gentle-admin/");
  await ada.getByRole("button", { name: "Confirm @bruno-demo’s claim" }).click();
  const confirmation = "The claim is confirmed and your evidence recorded.";
  await expect(ada.getByRole("status").filter({ hasText: confirmation })).toHaveText(confirmation);
  const row = ada.getByRole("listitem").filter({ hasText: "@bruno-demo" });
  await expect(row).toContainText("verified");
  await expect(row).toContainText("Confirmed by an admin");

  // Bruno, now verified, may post calls; he steps down with the keyboard.
  await bruno.reload();
  await expect(bruno.getByRole("listitem").filter({ hasText: "@bruno-demo" })).not.toContainText("unconfirmed");
  await bruno.getByRole("button", { name: "Step down" }).focus();
  await bruno.keyboard.press("Enter");
  await expect(bruno.getByRole("status").filter({ hasText: "You stepped down" })).toBeVisible();
  await expect(bruno.getByText("No maintainer of this package is on Roadies yet.")).toBeVisible();
  await expectAccessible(bruno);
  await phone.close();
  await desk.close();
  await noScript.close();
});
