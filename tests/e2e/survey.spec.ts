// The maintainer survey from creation to aggregated results: the working group writes a survey
// with a choice, a scale and a free-text question and opens it today; five verified maintainers
// answer (one changes their answer); the working group closes it; the results show figures, the
// free text only to the admin, and the ecosystem review shows them too.
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "#tests/support/e2e.ts";
import { expectAccessible } from "./helpers.ts";

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;

async function addQuestion(page: Page, fill: (form: ReturnType<Page["locator"]>) => Promise<void>) {
  const form = page.locator("#question-new");
  await fill(form);
  await Promise.all([page.waitForURL(/\/edit#questions$/), form.getByRole("button", { name: "Add question" }).click()]);
}

test("a survey goes from creation to aggregated results", async ({ page, browser, signInAs }) => {
  test.setTimeout(120_000);
  const title = `CI and Django versions ${Date.now()}`;
  await signInAs("ada-demo", { next: "/surveys/new" });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New maintainer survey");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Introduction (optional)").fill("Five questions about how you maintain your package.");
  await page.getByLabel("Opens on (UTC)").fill(iso(Date.now()));
  await page.getByLabel("Closes at the end of (UTC)").fill(iso(Date.now() + 7 * DAY));
  await Promise.all([
    page.waitForURL(/\/surveys\/\d+\/edit\?created=1$/),
    page.getByRole("button", { name: "Create and add questions" }).click(),
  ]);
  const id = /\/surveys\/(\d+)\//.exec(page.url())![1]!;
  await expect(page.getByText("Survey created. Add its questions below")).toBeVisible();

  await addQuestion(page, async (form) => {
    await form.getByLabel("Question", { exact: true }).fill("Which Django versions do you support?");
    await form.getByLabel("Kind of answer").selectOption("single_choice");
    await form.getByLabel("Options, one per line (choice questions)").fill("Latest only\nAll supported releases");
    await form.getByLabel("Required").check();
  });
  await addQuestion(page, async (form) => {
    await form.getByLabel("Question", { exact: true }).fill("How sustainable is your maintenance?");
    await form.getByLabel("Kind of answer").selectOption("scale");
    await form.getByLabel("What 1 means (scale questions)").fill("I may stop");
    await form.getByLabel("What 5 means (scale questions)").fill("Comfortable");
  });
  await addQuestion(page, async (form) => {
    await form.getByLabel("Question", { exact: true }).fill("What would help you?");
    await form.getByLabel("Kind of answer").selectOption("free_text");
  });
  await expect(page.getByRole("heading", { level: 3, name: /Which Django versions do you support\?/ })).toBeVisible();
  await expectAccessible(page);

  // Five verified maintainers answer; the first changes their mind afterwards.
  const answers: [string, string, string, string][] = [
    ["bruno-demo", "Latest only", "2", "A co-maintainer"],
    ["chiara-demo", "All supported releases", "4", "Funding"],
    ["dev-demo", "All supported releases", "3", "CI templates"],
    ["emi-demo", "All supported releases", "5", "More reviewers"],
    ["farah-demo", "Latest only", "3", "Early release dates"],
  ];
  const answer = async (b: Browser, [login, choice, scale, text]: (typeof answers)[number]) => {
    const context = await b.newContext();
    const p = await signInAs(login, { page: await context.newPage(), next: `/surveys/${id}` });
    await expect(p.getByRole("heading", { level: 1 })).toHaveText(title);
    await p.getByRole("radio", { name: choice }).check();
    await p.getByRole("radio", { name: scale === "5" ? "5: Comfortable" : scale, exact: true }).check();
    await p.getByLabel(/What would help you\?/).fill(text);
    await Promise.all([p.waitForURL(/\?saved=1$/), p.getByRole("button", { name: /answers/ }).click()]);
    await expect(p.getByText("Thank you: your answers are saved.")).toBeVisible();
    return { context, page: p };
  };
  const first = await answer(browser, answers[0]!);
  await expectAccessible(first.page);
  await first.page.getByRole("radio", { name: "All supported releases" }).check();
  await Promise.all([
    first.page.waitForURL(/\?saved=1$/),
    first.page.getByRole("button", { name: "Save my changed answers" }).click(),
  ]);
  await expect(first.page.getByRole("radio", { name: "All supported releases" })).toBeChecked();
  for (const a of answers.slice(1)) await (await answer(browser, a)).context.close();

  // While open, nobody sees figures.
  await first.page.goto(`/surveys/${id}/results`);
  await expect(first.page.getByText("results are shown once it closes")).toBeVisible();

  // The working group closes it (a confirmed step).
  await page.goto(`/surveys/${id}/edit`);
  await page.getByRole("link", { name: "Close the survey now…" }).click();
  await Promise.all([
    page.waitForURL(`**/surveys/${id}/results`),
    page.getByRole("button", { name: "Yes, close the survey now" }).click(),
  ]);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Results: ${title}`);
  await expect(page.getByText("5 verified maintainers answered")).toBeVisible();
  const versions = page.getByRole("region", { name: "Which Django versions do you support?" });
  await expect(versions.getByRole("img")).toHaveAccessibleName(/Latest only 20%, All supported releases 80%/);
  // The admin reads the written answers, without names.
  const help = page.getByRole("region", { name: "What would help you?" });
  await expect(help.getByText("Funding", { exact: true })).toBeVisible();
  await expect(help).not.toContainText("chiara-demo");
  await expect(page.getByRole("link", { name: /Download every response/ })).toBeVisible();
  await expectAccessible(page);

  // A maintainer sees the same figures but not the written answers.
  await first.page.goto(`/surveys/${id}/results`);
  await expect(first.page.getByRole("region", { name: "What would help you?" })).toContainText(
    "read by the working group’s admins only",
  );
  await expect(first.page.getByText("Funding", { exact: true })).toHaveCount(0);
  await first.context.close();

  // The ecosystem review shows the latest closed survey.
  await page.goto("/ecosystem");
  const section = page.getByRole("region", { name: "What maintainers told us" });
  await expect(section.getByRole("link", { name: title })).toBeVisible();

  // And this month's report, provisional until the month ends, carries the results.
  const month = new Date().toISOString().slice(0, 7);
  await page.goto(`/reports/${month}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Provisional");
  const reported = page.getByRole("region", { name: `Maintainer survey: ${title}` });
  await expect(reported.getByText("5 verified maintainers answered")).toBeVisible();
  await expect(reported).not.toContainText("Funding");
  const markdown = await (await page.request.get(`/reports/${month}/markdown`)).text();
  expect(markdown).toContain("_Provisional: this month is not over yet");
  expect(markdown).toContain(`## Maintainer survey: ${title}`);
});
