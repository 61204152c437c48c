// People in the browser: a volunteer's profile and roadie application, the working group's vote,
// and a nomination that becomes a call once its maintainer accepts it.
import type { Browser } from "@playwright/test";
import { expect, test } from "#tests/support/e2e.ts";
import { expectAccessible } from "./helpers.ts";

test.use({ timezoneId: "Europe/Paris" });

/** A browser of its own for each person: several people act in one journey. */
const newPage = async (browser: Browser) => (await browser.newContext({ timezoneId: "Europe/Paris" })).newPage();

test("a volunteer fills in a profile, applies, three members vote, and the roadie badge shows", async ({
  browser,
  signInAs,
}) => {
  const bruno = await signInAs("bruno-demo", { page: await newPage(browser) });
  await bruno.goto("/settings/profile");
  await expect(bruno.getByRole("heading", { level: 1, name: "Your volunteer profile" })).toBeVisible();
  // The time zone defaults to the browser's.
  // Bruno chose his time zone before; the browser's zone is only the default for those who did not.
  await expect(bruno.getByLabel("Time zone")).toHaveValue("America/Sao_Paulo");
  await expectAccessible(bruno);
  await bruno.getByLabel("Hours a week you can give").fill("");
  await bruno.getByRole("button", { name: "Save profile" }).click();
  await expect(bruno.getByText("Enter a number of hours.")).toBeVisible();
  await bruno.getByLabel("Hours a week you can give").fill("5");
  await bruno.getByLabel("Hours a week you can give").blur();
  await expect(bruno.getByText("Enter a number of hours.")).toBeHidden();
  await bruno.getByRole("combobox", { name: "Testing" }).selectOption("expert");
  await bruno.getByLabel("Mentor", { exact: true }).check();
  await bruno.getByLabel("I am open to taking over a package").check();
  await bruno.getByLabel("About you").fill("I build **APIs** for a living.");
  await bruno.getByRole("button", { name: "Save profile" }).click();
  await expect(bruno.getByText("Profile saved.")).toBeVisible();
  await expectAccessible(bruno);
  await bruno.getByRole("link", { name: "See your public profile" }).click();
  await expect(bruno.getByRole("heading", { level: 1, name: "Bruno Demo" })).toBeVisible();
  await expect(bruno.getByRole("listitem").filter({ hasText: "Testing" })).toContainText("Expert");
  await expect(bruno.locator(".prose strong")).toHaveText("APIs");
  await expectAccessible(bruno);

  await bruno.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Roadies" }).click();
  await expect(bruno.getByRole("heading", { level: 1, name: "Roadies" })).toBeVisible();
  await expectAccessible(bruno);
  await bruno.getByRole("link", { name: "Apply to be a roadie" }).click();
  await bruno.getByLabel("Why do you want to be a roadie?").fill("too short");
  await bruno.getByRole("button", { name: "Send application" }).click();
  await expect(bruno.getByText(/Write at least 40 characters/)).toBeVisible();
  await expect(bruno.getByLabel("Why do you want to be a roadie?")).toHaveValue("too short");
  await bruno
    .getByLabel("Why do you want to be a roadie?")
    .fill("I have reviewed DRF pull requests for years and want to help packages change hands.");
  await bruno.getByLabel("Why do you want to be a roadie?").blur();
  await expect(bruno.getByText(/Write at least 40 characters/)).toBeHidden();
  await bruno.getByLabel("Links to your work (optional)").fill("https://github.com/encode/django-rest-framework/pulls");
  await bruno.getByRole("button", { name: "Send application" }).click();
  await expect(bruno.getByText("Your application is with the working group")).toBeVisible();
  await expectAccessible(bruno);

  // The demo's working group has 4 active members: the third approval decides.
  for (const [i, login] of ["ada-demo", "kofi-demo", "gus-demo"].entries()) {
    const member = await signInAs(login, { page: await newPage(browser) });
    await member.goto("/admin/roadies");
    await expect(member.getByRole("heading", { level: 1, name: "Roadie votes" })).toBeVisible();
    if (i === 0) await expectAccessible(member);
    const application = member.getByRole("article", { name: "Bruno Demo wants to be a roadie" });
    await application.getByRole("button", { name: "Approve @bruno-demo" }).click();
    // Wait for the vote's answer before closing: closing first can drop the POST. The count is read
    // in Bruno's application only: another open application (the demo's) can show the same words.
    if (i < 2) await expect(application.getByText(`${i + 1} approve,`)).toBeVisible();
    else await expect(member.getByText(/@bruno-demo: application approved/)).toBeVisible();
    await member.context().close();
  }

  const ada = await signInAs("ada-demo", { page: await newPage(browser) });
  await ada.goto("/admin/roadies");
  await expect(ada.getByText(/@bruno-demo: application approved/)).toBeVisible();
  await ada.goto("/admin/audit");
  await expect(ada.getByRole("cell", { name: "proposal.approved" })).toBeVisible();
  await expectAccessible(ada);
  await ada.goto("/dev/outbox");
  await expect(ada.getByText("You are now a roadie")).toHaveCount(1);
  await ada.context().close();

  await bruno.goto("/people/bruno-demo");
  await expect(bruno.getByRole("list", { name: "Badges" })).toContainText("Roadie");
  await bruno.goto("/roadies");
  await expect(bruno.getByRole("list", { name: "Active roadies" })).toContainText("Bruno Demo");
  await bruno.context().close();
});

// The transfer checklist, worked and confirmed by maintainer, successor and roadie: tests/e2e/transfers.spec.ts.

test("a nomination becomes a call only with the maintainer's yes, published in their name", async ({
  browser,
  signInAs,
}) => {
  const iker = await signInAs("iker-demo", { page: await newPage(browser) });
  await iker.goto("/nominate");
  // Fill the form once the page is interactive, so typing is not lost to hydration.
  await iker.waitForLoadState("networkidle");
  await expectAccessible(iker);
  await iker.getByLabel("Package name on PyPI").fill("django-fsm-log");
  await iker.getByLabel("Why it needs help").selectOption("unmaintained");
  await iker.getByRole("button", { name: "Send nomination" }).click();
  await expect(iker.getByText("Give at least one link")).toBeVisible();
  await iker.getByLabel("Evidence links").fill("https://github.com/jazzband/django-fsm-log/issues/1");
  // Leaving the field clears its message (and moves the button): wait for that before clicking.
  await iker.getByLabel("Evidence links").blur();
  await expect(iker.getByText("Give at least one link")).toBeHidden();
  await iker.getByRole("button", { name: "Send nomination" }).click();
  await expect(iker.getByText("Thank you: the roadies will look at it")).toBeVisible();
  await iker.context().close();

  const chiara = await signInAs("chiara-demo", { page: await newPage(browser) });
  await chiara.goto("/admin/nominations");
  await expect(chiara.getByRole("link", { name: "django-fsm-log" })).toBeVisible();
  await expectAccessible(chiara);
  await chiara.getByRole("link", { name: "django-embed-video" }).click();
  await expect(chiara.getByRole("heading", { level: 1, name: "Nomination: django-embed-video" })).toBeVisible();
  await expectAccessible(chiara);
  await chiara.getByRole("button", { name: "Mark maintainers as contacted" }).click();
  await expect(chiara.getByText("Maintainers contacted.")).toBeVisible();
  // The roadie drafts the call; nothing is published until the maintainer says yes.
  await chiara.getByLabel("Title").fill("Help django-embed-video support Django 6.0");
  await chiara
    .getByLabel("Description")
    .fill("A fix for the removed ugettext exists; we need someone to review and release it.");
  await chiara.getByLabel("Skills needed").selectOption(["release-management:comfortable"]);
  await chiara.getByRole("button", { name: "Send the draft to the maintainers" }).click();
  await expect(chiara.getByRole("heading", { name: "Waiting for a maintainer’s yes" })).toBeVisible();
  const nominationId = /\/admin\/nominations\/(\d+)/.exec(chiara.url())![1];
  await chiara.context().close();

  // The maintainer is asked by email and answers on their page: the call goes out in their name.
  const bruno = await signInAs("bruno-demo", { page: await newPage(browser) });
  await bruno.goto("/dev/outbox");
  await expect(bruno.getByText(/django-embed-video was nominated for a call for help/).first()).toBeVisible();
  await bruno.goto(`/nominations/${nominationId}`);
  await expect(bruno.getByRole("heading", { level: 2, name: /The draft call/ })).toBeVisible();
  await expectAccessible(bruno);
  await bruno.getByRole("button", { name: "Accept and publish in my name" }).click();
  await expect(bruno).toHaveURL(/\/calls\/\d+\?posted=1$/);
  await expect(bruno.getByRole("heading", { level: 1 })).toContainText("Help django-embed-video support Django 6.0");
  await bruno.goto("/dev/outbox");
  await expect(bruno.getByText(/Your nomination of django-embed-video/).first()).toBeVisible();
  await bruno.context().close();
});

test("the working group's other pages and the account page are accessible, and outsiders are refused", async ({
  browser,
  signInAs,
}) => {
  const ada = await signInAs("ada-demo", { page: await newPage(browser) });
  for (const [path, heading] of [
    ["/admin", "Working group"],
    ["/admin/working-group", "Working-group members"],
    ["/admin/moderation", "Moderation"],
    ["/admin/transfers", "Ownership transfers"],
    ["/people", "People"],
    ["/settings/account", "Your account"],
    ["/terms/renew?token=broken", "This link cannot renew a term"],
  ] as const) {
    await ada.goto(path);
    await expect(ada.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expectAccessible(ada);
  }
  // Moderation: hiding a profile makes it a 404 for others, with the reason kept for admins.
  await ada.goto("/admin/moderation");
  await ada.waitForLoadState("networkidle");
  await ada.getByLabel("What").selectOption("profile");
  await ada.getByLabel("Number or login").fill("iker-demo");
  await ada.getByLabel("Reason").first().fill("Spam links in the bio");
  await ada.getByRole("button", { name: "Hide", exact: true }).click();
  await expect(ada.getByText("Spam links in the bio")).toBeVisible();
  await ada.context().close();

  const nia = await signInAs("nia-demo", { page: await newPage(browser) });
  const hidden = await nia.goto("/people/iker-demo");
  expect(hidden?.status()).toBe(404);
  const refused = await nia.goto("/admin/roadies");
  expect(refused?.status()).toBe(403);
  // nia's GitHub account is 30 days old: she learns when she can apply.
  await nia.goto("/roadies/apply");
  await expect(nia.getByText("Your GitHub account is younger than 90 days")).toBeVisible();
  await expectAccessible(nia);
  await nia.context().close();
});
