import type { Page } from "@playwright/test";
import { expect, test } from "#tests/support/e2e.ts";
import { expectAccessible } from "./helpers.ts";

const SLUG = "djangonaut-space-demo-session";

async function signOut(page: Page) {
  await page.getByRole("banner").locator("summary").click();
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
}

test("an applicant applies, an organiser scores and sends the decision, the applicant sees it", async ({
  page,
  signInAs,
}) => {
  test.setTimeout(90_000);
  // Browse as a visitor.
  await page.goto("/programs");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mentoring programmes");
  await expectAccessible(page);
  await page.getByRole("link", { name: "Djangonaut Space: demo session" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Djangonaut Space: demo session");
  await expect(page.getByText("Anywhere on Earth").first()).toBeVisible();
  await expectAccessible(page);

  // Apply as lena-demo: a draft saved with the button, resumed after a reload, then submitted.
  await signInAs("lena-demo", { next: `/programs/${SLUG}/apply` });
  await expect(page).toHaveURL(new RegExp(`/programs/${SLUG}/apply`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    /Apply to Djangonaut Space: demo session as a Djangonaut/,
  );
  await expectAccessible(page);
  const why = page.getByLabel(/Why do you want to join Djangonaut Space/);
  await why.fill("I maintain a small Django app at work and want to learn to contribute upstream.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved. You can come back to it until the deadline.")).toBeVisible();

  // Typing saves the draft automatically, too.
  await page.getByLabel(/A link to some of your code/).fill("https://github.com/lena-demo");
  await expect(page.getByText("Draft saved automatically.")).toBeVisible();

  await page.reload();
  await expect(why).toHaveValue("I maintain a small Django app at work and want to learn to contribute upstream.");
  await expect(page.getByLabel(/A link to some of your code/)).toHaveValue("https://github.com/lena-demo");

  // Submitting without the required answers keeps the input and says what is missing.
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page.getByText("Your application was not submitted")).toBeVisible();
  await expect(page.getByText("This question needs an answer.").first()).toBeVisible();
  await expect(why).toHaveValue(/small Django app/);
  await expectAccessible(page);

  await page.getByRole("radio", { name: "At work" }).check();
  await page
    .getByRole("group", { name: /Can you give 5 to 8 hours/ })
    .getByRole("radio", { name: "Yes" })
    .check();
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page).toHaveURL(/\/me\/applications\?submitted=/);
  await expect(page.getByText("Your application is submitted.")).toBeVisible();
  const row = page.getByRole("row", { name: /Djangonaut Space: demo session/ });
  await expect(row.getByText("Submitted")).toBeVisible();
  await expectAccessible(page);

  // The confirmation email, in the demo's stand-in outbox (sent just after the answer, so it may
  // take a reload to appear).
  await expect(async () => {
    await page.goto("/dev/outbox");
    // Other journeys may have applied too: look at lena's own email.
    await expect(
      page
        .getByRole("row")
        .filter({ hasText: "lena-demo@" })
        .getByRole("link", { name: "Application received: Djangonaut Space: demo session" }),
    ).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await expectAccessible(page);
  await signOut(page);

  // The organiser scores, accepts and sends the decision.
  await signInAs("kofi-demo", { next: `/programs/${SLUG}/review` });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Review applications");
  await expectAccessible(page);
  await page.getByRole("link", { name: "LENA", exact: false }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("@lena-demo");
  await expect(
    page.getByText("hidden until you give yours").or(page.getByText("No one else has scored")),
  ).toBeVisible();
  await expectAccessible(page);
  for (const criterion of ["Resiliency", "Personality", "Availability", "Knowledge", "Motivation"]) {
    await page
      .getByRole("group", { name: new RegExp(criterion) })
      .getByRole("radio", { name: "4" })
      .check();
  }
  await page.getByRole("button", { name: "Save my score" }).click();
  await expect(page.getByText("Your weighted score: 4")).toBeVisible();
  await page.getByRole("radio", { name: "Accept" }).check();
  await page.getByRole("button", { name: "Save decision" }).click();
  await expect(page.getByText("(not sent yet)")).toBeVisible();

  await page.goto(`/programs/${SLUG}/decisions`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Send decisions");
  await expect(page.getByRole("row", { name: /lena-demo/ })).toContainText(
    "You have a place in Djangonaut Space: demo session",
  );
  await expectAccessible(page);
  await page.getByRole("button", { name: /^Send 1 decision email$/ }).click();
  await expect(page.getByText("1 decision emails sent.")).toBeVisible();
  await expect(page.getByText("Every decision made so far has been sent.")).toBeVisible();
  await expectAccessible(page);
  await signOut(page);

  // The applicant sees the new status.
  await signInAs("lena-demo", { next: "/me/applications" });
  await expect(page.getByRole("row", { name: /Djangonaut Space: demo session/ }).getByText("Accepted")).toBeVisible();
  await expectAccessible(page);
});

test("organiser pages are not found for people who do not organise the programme", async ({ page, signInAs }) => {
  await signInAs("lena-demo", { next: "/programs" });
  const response = await page.goto(`/programs/${SLUG}/review`);
  expect(response?.status()).toBe(404);
});

test("organiser and admin pages pass the accessibility checks", async ({ page, signInAs }) => {
  test.setTimeout(90_000);
  await signInAs("ada-demo", { next: "/programs/new" });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Create a programme");
  await expectAccessible(page);
  // A wrong submission shows messages next to the fields and keeps the input.
  await page.getByLabel("Name", { exact: true }).fill("Test programme");
  await page.getByRole("button", { name: "Create programme" }).click();
  await expect(page.getByText("Choose an address.")).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Test programme");
  await expectAccessible(page);

  for (const [path, heading] of [
    [`/programs/${SLUG}/edit`, "Edit Djangonaut Space: demo session"],
    [`/programs/${SLUG}/questions`, "Application questions"],
    [`/programs/${SLUG}/groups`, "Groups"],
    [`/programs/${SLUG}/alumni`, "Alumni"],
    ["/programs/gsoc-django-demo-round/review", "Review applications"],
    ["/programs/gsoc-django-demo-round/decisions", "Send decisions"],
    ["/programs/gsoc-django-demo-round/alumni", "Alumni"],
    ["/me/applications", "Your applications"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    await expectAccessible(page);
  }
  // Drafts stay readable after the deadline, but cannot be changed.
  await signOut(page);
  await signInAs("mateo-demo", { next: "/programs/gsoc-django-demo-round/apply" });
  await expect(page.getByText("Applications have closed.")).toBeVisible();
  await expect(page.getByLabel(/Your proposal/)).toBeDisabled();
  await expect(page.getByLabel(/Your proposal/)).toHaveValue(/Faster history queries/);
  await expectAccessible(page);
});
