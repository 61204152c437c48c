// [guides] A suggestion walks from a newcomer to a published revision: the newcomer edits the guide's
// text in place and sends it with a note; a roadie finds it among the suggestions, reads the change
// (marked as added, in words, not only in colour), comments and publishes it; the guide shows the new
// text, its history credits the newcomer, the newcomer sees the outcome, and the feed lists it. Then
// the same steps work without JavaScript, and a visitor is sent to sign in before suggesting.
import { expect, test } from "#tests/support/e2e.ts";
import { XMLParser } from "fast-xml-parser";
import { expectAccessible } from "./helpers.ts";

test("a newcomer's suggestion is reviewed by a roadie and published, credited to them", async ({
  browser,
  signInAs,
}) => {
  test.setTimeout(90_000);
  const marker = `Write down who may speak for the project about a vulnerability (e2e ${Date.now().toString(36)}).`;

  // The newcomer, on a phone.
  const newcomerContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const newcomer = await newcomerContext.newPage();
  await signInAs("mateo-demo", { page: newcomer, next: "/guides/security" });
  await expect(newcomer.getByRole("heading", { level: 1, name: "Handling a vulnerability report" })).toBeVisible();
  await newcomer.getByRole("link", { name: "Suggest an edit" }).click();
  await expect(newcomer.getByRole("heading", { level: 1, name: "Suggest an edit" })).toBeVisible();
  await expectAccessible(newcomer);
  const text = newcomer.getByLabel("The guide's text");
  const before = await text.inputValue();
  expect(before).toContain("## Deadlines we use {#deadlines}");
  await text.fill(before.replace("## Deadlines we use {#deadlines}", `${marker}\n\n## Deadlines we use {#deadlines}`));
  await newcomer.getByLabel("What you changed and why").fill("Say who speaks for the project");
  await Promise.all([
    newcomer.waitForURL(/\/guides\/suggestions\/\d+\?sent=1$/),
    newcomer.getByRole("button", { name: "Send the suggestion" }).click(),
  ]);
  await expect(newcomer.locator(".alert[role=status]")).toContainText("Sent");
  await expect(newcomer.locator(".text-diff ins").filter({ hasText: marker })).toBeVisible();
  const suggestionUrl = newcomer.url().replace(/\?.*$/, "");

  // The roadie, on a desktop.
  const reviewerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const reviewer = await reviewerContext.newPage();
  await signInAs("dev-demo", { page: reviewer, next: "/guides/suggestions" });
  await expect(reviewer.getByRole("heading", { level: 1, name: "Suggestions to the guides" })).toBeVisible();
  await expectAccessible(reviewer);
  await reviewer.getByRole("link", { name: "Handling a vulnerability report: Say who speaks for the project" }).click();
  await expect(
    reviewer.getByRole("heading", { level: 1, name: "Suggestion to “Handling a vulnerability report”" }),
  ).toBeVisible();
  // The added paragraph is announced as added, not only coloured.
  const added = reviewer.locator(".text-diff ins").filter({ hasText: marker });
  await expect(added).toBeVisible();
  await expect(added).toContainText("Added:");
  await expectAccessible(reviewer);
  await reviewer.getByLabel("Add a comment").fill("Thank you, Mateo: a good point.");
  await Promise.all([
    reviewer.waitForURL(/\?commented=1/),
    reviewer.getByRole("button", { name: "Comment", exact: true }).click(),
  ]);
  await expect(reviewer.getByText("Thank you, Mateo: a good point.")).toBeVisible();
  const publish = reviewer.getByRole("button", { name: /^Publish as revision \d+$/ });
  const revision = Number((await publish.textContent())!.replace(/\D+/g, ""));
  await Promise.all([reviewer.waitForURL(/\?published=\d+$/), publish.click()]);
  await expect(reviewer.locator(".alert[role=status]")).toContainText(`Published as revision ${revision}`);

  // Readers see the new text; the history credits the newcomer and shows what changed.
  await reviewer.goto("/guides/security");
  await expect(reviewer.getByText(marker)).toBeVisible();
  await reviewer.getByRole("link", { name: /^History \(revision \d+\)$/ }).click();
  const latest = reviewer.locator(".revision-list li").first();
  await expect(latest).toContainText(`Revision ${revision}`);
  await expect(latest).toContainText("Say who speaks for the project");
  await expect(latest).toContainText("published by dev-demo");
  await expect(reviewer.locator(".text-diff ins").filter({ hasText: marker })).toBeVisible();
  await expectAccessible(reviewer);

  // The newcomer sees the outcome.
  await newcomer.goto(suggestionUrl);
  await expect(newcomer.locator(".facts")).toContainText("Accepted");
  await expect(newcomer.getByText(`credited to you`)).toBeVisible();

  // The feed has the revision.
  const feed = new XMLParser().parse(await (await reviewer.request.get("/guides.atom")).text()).feed;
  const titles = [feed.entry].flat().map((e: { title: string }) => e.title);
  expect(titles).toContain(`Handling a vulnerability report: revision ${revision}`);
  await newcomerContext.close();
  await reviewerContext.close();
});

test("without JavaScript, a suggestion can be sent and a visitor is asked to sign in first", async ({
  browser,
  signInAs,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/guides/security/suggest");
  await expect(page).toHaveURL(/\/login\?next=%2Fguides%2Fsecurity%2Fsuggest/);
  await signInAs("lena-demo", { page });
  await expect(page.getByRole("heading", { level: 1, name: "Suggest an edit" })).toBeVisible();
  const text = page.getByLabel("The guide's text");
  const body = await text.inputValue();
  await text.fill(
    body.replace("## Deadlines we use {#deadlines}", "## Deadlines we use {#deadlines}\n\nNo JavaScript needed."),
  );
  // A note too short is refused with a message next to the field, and the edited text is kept.
  await page.getByLabel("What you changed and why").fill("x");
  await page.getByRole("button", { name: "Send the suggestion" }).click();
  await expect(page.getByText(/at least 5 characters/i)).toBeVisible();
  await expect(page.getByLabel("The guide's text")).toHaveValue(/No JavaScript needed\./);
  await page.getByLabel("What you changed and why").fill("Say it works without JavaScript");
  await Promise.all([
    page.waitForURL(/\/guides\/suggestions\/\d+\?sent=1$/),
    page.getByRole("button", { name: "Send the suggestion" }).click(),
  ]);
  await expect(page.locator(".text-diff ins").filter({ hasText: "No JavaScript needed." })).toBeVisible();
  await context.close();
});

test("readers see a guide's review date, the due notice, search and the feed link", async ({ page }) => {
  await page.goto("/guides");
  await expect(page.getByRole("heading", { level: 1, name: "Guides for package maintainers" })).toBeVisible();
  await expect(page.locator('link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute(
    "href",
    "/guides.atom",
  );
  // The demo's funding guide was last reviewed 13 months ago.
  await expect(page.locator(".guide-list li").filter({ hasText: "Funding a Django package" })).toContainText(
    "Due for review",
  );
  await page.getByLabel("Search the guides").fill("pre-releases");
  await Promise.all([
    page.waitForURL(/\/search\?q=pre-releases/),
    page.getByRole("button", { name: "Search" }).click(),
  ]);
  await expect(page.getByRole("link", { name: /Test against Django pre-releases in CI/ }).first()).toBeVisible();
  await expectAccessible(page);
  await page.goto("/guides/funding");
  await expect(page.locator(".guide-due")).toContainText("Due for review");
  await expectAccessible(page);
});
