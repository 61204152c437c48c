// A call from start to finish: a maintainer adds a package and posts a call, a volunteer finds it
// and answers, the maintainer gets the email, accepts, and records the outcome. Axe on every page.
import { expect, openDatabase, test } from "#tests/support/e2e.ts";
import AxeBuilder from "@axe-core/playwright";
import { expectAccessible } from "./helpers.ts";

const TITLE = "Accessibility reviewer for tidy forms";
const EDITED = "Accessibility reviewer for tidy forms (edited)";

test("post, find, answer and fill a call", async ({ browser, signInAs }) => {
  // The longest journey of the suite (two people, about twenty pages, axe on most): it passed 30 s
  // on a slow host, and gets the room the other long journeys have.
  test.setTimeout(90_000);
  const maintainer = await (await browser.newContext()).newPage();
  const dialogs: string[] = [];
  maintainer.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });

  // Anonymous visitors are sent to sign in and come back to the form.
  await maintainer.goto("/packages/new");
  await expect(maintainer).toHaveURL(/\/login\?next=%2Fpackages%2Fnew/);
  await signInAs("ada-demo", { page: maintainer });
  await expect(maintainer.getByRole("heading", { level: 1, name: "Add a package" })).toBeVisible();
  await expectAccessible(maintainer);

  // Push-only on GitHub is refused with the reason next to the field.
  await maintainer.getByLabel("Name on PyPI").fill("django-gentle-admin");
  await maintainer.getByLabel("GitHub repository").fill("roadies-demo/django-gentle-admin");
  await maintainer.getByRole("button", { name: "Check with GitHub and add" }).click();
  await expect(maintainer.getByText(/do not have the admin or maintain role/)).toBeVisible();
  await expect(maintainer.getByLabel("Name on PyPI")).toHaveValue("django-gentle-admin");
  await expectAccessible(maintainer);

  await maintainer.getByLabel("Name on PyPI").fill("Django_Tidy_Forms");
  await maintainer.getByLabel("GitHub repository").fill("https://github.com/roadies-demo/django-tidy-forms");
  await maintainer.getByRole("button", { name: "Check with GitHub and add" }).click();
  await expect(maintainer).toHaveURL(/\/packages\/django-tidy-forms\?added=1/);
  await expect(maintainer.getByText("you are its verified maintainer")).toBeVisible();
  await expectAccessible(maintainer);

  // Post a call with a description that tries to run script.
  await maintainer.getByRole("link", { name: "Post a call for this package" }).click();
  await expect(maintainer.getByLabel("Package")).toHaveValue("django-tidy-forms");
  await maintainer.getByLabel("Kind of help").selectOption("triage-review");
  await maintainer.getByLabel("Title").fill("Hi");
  await maintainer
    .getByLabel("Description")
    .fill("We want reviews of **form markup**. <img src=x onerror=alert(1)> and [a link](javascript:alert(2)).");
  await maintainer.getByRole("button", { name: "Post the call" }).click();
  // Bad input (title, no skills): messages next to the fields, input kept.
  await expect(maintainer.getByText("The title needs at least 5 characters.")).toBeVisible();
  await expect(maintainer.getByText("Choose at least one skill.")).toBeVisible();
  await expect(maintainer.getByLabel("Description")).toHaveValue(/form markup/);
  await expectAccessible(maintainer);
  await maintainer.getByLabel("Title").fill(TITLE);
  await maintainer.getByLabel("Accessibility", { exact: true }).selectOption("accessibility:expert");
  await maintainer.getByLabel("Forms", { exact: true }).selectOption("forms:comfortable");
  await maintainer.getByLabel("Time commitment (hours per week)").fill("3");
  await maintainer.getByLabel("Django 5.2").check();
  await maintainer.getByLabel("Urgency").selectOption("high");
  await maintainer.getByRole("button", { name: "Post the call" }).click();
  await expect(maintainer.getByRole("heading", { level: 1 })).toHaveText(TITLE);
  const callUrl = maintainer.url().replace(/\?.*$/, "");
  const callId = /\/calls\/(\d+)/.exec(callUrl)![1]!;
  // The description shows the HTML as text and the javascript: link is no link.
  await expect(maintainer.locator(".prose")).toContainText("<img src=x onerror=alert(1)>");
  await expect(maintainer.locator(".prose img")).toHaveCount(0);
  await expect(maintainer.locator('.prose a[href^="javascript"]')).toHaveCount(0);
  await expect(maintainer.locator('meta[property="og:title"]')).toHaveAttribute(
    "content",
    `Django_Tidy_Forms: ${TITLE}`,
  );
  await expect(maintainer.locator('link[rel="canonical"]')).toHaveAttribute("href", new RegExp(`/calls/${callId}$`));
  await expectAccessible(maintainer);

  // Edit it.
  await maintainer.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(maintainer.getByLabel("Accessibility", { exact: true })).toHaveValue("accessibility:expert");
  await maintainer.getByLabel("Title").fill(EDITED);
  await expectAccessible(maintainer);
  await maintainer.getByRole("button", { name: "Save the call" }).click();
  await expect(maintainer.getByRole("heading", { level: 1 })).toHaveText(EDITED);

  // Find it on /calls, in the feed and in the API.
  await maintainer.goto("/calls?q=tidy+forms");
  await expect(maintainer.getByRole("link", { name: EDITED })).toBeVisible();
  await expectAccessible(maintainer);
  const feed = await maintainer.request.get("/calls.atom");
  expect(await feed.text()).toContain(`Django_Tidy_Forms: ${EDITED}`);
  const api = await maintainer.request.get("/api/calls?q=tidy");
  expect(api.headers()["etag"]).toBeTruthy();
  const body = (await api.json()) as { version: number; calls: { id: number; title: string }[] };
  expect(body.version).toBe(1);
  expect(body.calls.map((c) => c.title)).toContain(EDITED);

  // A second person finds it by its skill and answers.
  const volunteer = await (await browser.newContext()).newPage();
  volunteer.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await volunteer.goto("/calls");
  await expectAccessible(volunteer);
  await volunteer.getByLabel("Skill").selectOption({ label: "Accessibility" });
  await volunteer.getByRole("button", { name: "Find calls" }).click();
  await expect(volunteer).toHaveURL(/skill=accessibility/);
  await volunteer.getByRole("link", { name: EDITED }).click();
  await expectAccessible(volunteer);
  await volunteer.getByRole("link", { name: "Sign in to answer this call" }).click();
  await signInAs("nia-demo", { page: volunteer });
  await expect(volunteer.getByRole("heading", { level: 1 })).toHaveText(EDITED);
  await volunteer
    .getByLabel("Message to the maintainers")
    .fill("I audit Django forms for accessibility at work and would love to help.");
  await volunteer.getByLabel("Share my email address with the maintainers").check();
  await volunteer.getByRole("button", { name: "Send my interest" }).click();
  await expect(volunteer.getByRole("status").filter({ hasText: "You expressed interest" })).toContainText(
    "You expressed interest in this call",
  );
  await expectAccessible(volunteer);

  // The maintainer gets the email (the demo outbox stands in for Resend).
  await maintainer.goto("/dev/outbox");
  const row = maintainer
    .getByRole("row")
    .filter({ hasText: "ada-demo@" })
    .filter({ hasText: "New interest in your call" });
  await expect(row).toHaveCount(1);
  await expectAccessible(maintainer);
  // The email's headers and idempotency key, as a reviewer checks them: Reply-To the volunteer who shared it.
  await row.getByRole("link").click();
  const headers = maintainer.locator(".outbox-headers");
  await expect(headers.locator("div").filter({ hasText: "Reply-To" })).toContainText("nia-demo@");
  await expect(maintainer.locator(".outbox-email dd code").first()).toHaveText(/^call-interest:/);

  // Accept, then record the outcome.
  await maintainer.goto(`/calls/${callId}/manage`);
  await expect(maintainer.getByText("I audit Django forms for accessibility")).toBeVisible();
  await expectAccessible(maintainer);
  await maintainer.getByRole("button", { name: "Accept @nia-demo" }).click();
  await expect(maintainer.getByText("In conversation").first()).toBeVisible();
  await maintainer.getByLabel("Who took it over (GitHub login)").fill("nia-demo");
  await maintainer.getByLabel("Outcome note").fill("Nia joined as reviewer.");
  await maintainer.getByRole("button", { name: "Record the outcome" }).click();
  await expect(maintainer.getByText("Filled: Taken over by @nia-demo. Nia joined as reviewer.").first()).toBeVisible();
  await expectAccessible(maintainer);

  // The volunteer sees it on /me/interests; the call is no longer listed.
  await volunteer.goto("/me/interests");
  await expect(volunteer.getByRole("row").filter({ hasText: EDITED })).toContainText("Accepted");
  await expectAccessible(volunteer);
  await volunteer.goto("/calls?q=tidy+forms");
  await expect(volunteer.getByRole("link", { name: EDITED })).toHaveCount(0);

  // Someone else cannot reach the management page.
  const other = await volunteer.goto(`/calls/${callId}/manage`);
  expect(other?.status()).toBe(404);

  expect(dialogs).toEqual([]);
});

test("an admin configures announcements; a search without results explains what to do", async ({ page, signInAs }) => {
  await page.goto("/admin/announcements");
  await signInAs("kofi-demo");
  await expect(page.getByRole("heading", { level: 1, name: "Call announcements" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Name").fill("Discord #packages");
  await page.getByLabel("Kind").selectOption("discord");
  await page.getByLabel("URL").fill("ftp://nope");
  await page.getByRole("button", { name: "Add the webhook" }).click();
  await expect(page.getByText("Use an https:// URL.")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue("Discord #packages");
  await expectAccessible(page);
  await page.getByLabel("URL").fill("https://discord.example/api/webhooks/1/secret");
  await page.getByRole("button", { name: "Add the webhook" }).click();
  await expect(page.getByText("discord.example")).toBeVisible();
  await expect(page.getByText("secret")).toHaveCount(0);

  await page.goto("/calls?q=zzzzunlikelyword&urgency=critical");
  await expect(page.getByRole("heading", { name: "No open call matches" })).toBeVisible();
  await expect(page.getByLabel("Urgency")).toHaveValue("critical");
  await expectAccessible(page);
  await page.getByRole("link", { name: "Clear the filters" }).click();
  await expect(
    page
      .getByRole("listitem")
      .filter({ has: page.getByRole("heading", { level: 2 }) })
      .first(),
  ).toBeVisible();

  // A non-admin gets no admin page.
  const response = await page.request.get("/calls/999999/manage");
  expect(response.status()).toBe(404);
});

test("a volunteer marks a call not for me, sees it in their settings, and undoes it", async ({ page, signInAs }) => {
  // A call on a package mateo-demo does not maintain, written straight into the demo database.
  const title = "Not-for-me e2e: packaging help";
  const client = await openDatabase();
  const now = Date.now();
  await client.execute({
    sql: `INSERT INTO calls (package_id, kind, title, description, hours_per_week, django_versions, urgency, status, expires_on, created_at, updated_at)
          SELECT (SELECT min(id) FROM packages WHERE id NOT IN
                   (SELECT package_id FROM package_maintainers WHERE lower(github_login) = 'mateo-demo')),
                 'ci-packaging', ?, 'Help us move to pyproject.toml.', 2, '[]', 'normal', 'open', ?, ?, ?
          WHERE NOT EXISTS (SELECT 1 FROM calls WHERE title = ?)`,
    args: [title, new Date(now + 30 * 86_400_000).toISOString().slice(0, 10), now, now, title],
  });
  const found = await client.execute({ sql: "SELECT id FROM calls WHERE title = ?", args: [title] });
  client.close();
  const callId = Number(found.rows[0]!.id);

  await page.goto(`/calls/${callId}`);
  await page.getByRole("link", { name: "Sign in to answer this call" }).click();
  await signInAs("mateo-demo");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);

  await page.getByRole("button", { name: "Not for me" }).click();
  await expect(page.getByRole("status").filter({ hasText: "not for me" })).toContainText(
    "You marked this call not for me",
  );
  await expectAccessible(page);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByRole("button", { name: "Not for me" })).toBeVisible();
  await expect(page.getByText("You marked this call not for me")).toHaveCount(0);

  // Again, then undo it from the notification settings.
  await page.getByRole("button", { name: "Not for me" }).click();
  await page.getByRole("link", { name: "Calls you marked not for me" }).click();
  const section = page.getByRole("region", { name: "Calls you marked not for me" });
  await expect(section.getByRole("link", { name: title })).toBeVisible();
  await expectAccessible(page);
  await section.getByRole("button", { name: `Undo not for me: ${title}` }).click();
  await expect(section.getByRole("status").filter({ hasText: "can appear in your digest again" })).toBeVisible();
  await expect(section.getByRole("link", { name: title })).toHaveCount(0);
  await page.goto(`/calls/${callId}`);
  await expect(page.getByRole("button", { name: "Not for me" })).toBeVisible();
});

test("the compatibility page's link prefills the kind and the Django version of a new call", async ({
  page,
  signInAs,
}) => {
  await page.goto("/calls/new?kind=django-compat&django=5.2");
  await signInAs("ada-demo");
  await expect(page.getByLabel("Kind of help")).toHaveValue("django-compat");
  await expect(page.getByLabel("Django 5.2")).toBeChecked();
  await page.goto("/calls/new?kind=nonsense&django=0.1");
  await expect(page.getByLabel("Kind of help")).toHaveValue("");
});

test("the demo outbox shows an email's unsubscribe and reply headers and its idempotency key", async ({ page }) => {
  // An email as the demo delivery writes it: the outbox row and its delivery record ("outbox-<id>").
  const client = await openDatabase();
  const now = Date.now();
  const key = `outbox-e2e:${now}`;
  const inserted = await client.execute({
    sql: `INSERT INTO outbox_emails ("to", "from", subject, html, text, headers, created_at)
          VALUES ('reviewer@demo.roadies.invalid', 'Roadies <roadies@demo.roadies.invalid>', 'Outbox e2e', '<p>Hi</p>', 'Hi', ?, ?)`,
    args: [
      JSON.stringify({
        "Reply-To": "volunteer@demo.roadies.invalid",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Unsubscribe": "<https://roadies.example/unsubscribe/t0ken/one-click>",
      }),
      now,
    ],
  });
  const id = Number(inserted.lastInsertRowid);
  await client.execute({
    sql: `INSERT INTO email_deliveries (idempotency_key, template, status, provider_id, attempts, created_at, sent_at)
          VALUES (?, 'outbox-e2e', 'sent', ?, 1, ?, ?)`,
    args: [key, `outbox-${id}`, now, now],
  });
  client.close();

  await page.goto(`/dev/outbox/${id}`);
  await expect(page.getByRole("heading", { level: 2, name: "Outbox e2e" })).toBeVisible();
  const headers = page.locator(".outbox-headers div");
  await expect(headers).toHaveText([
    "List-Unsubscribe<https://roadies.example/unsubscribe/t0ken/one-click>",
    "List-Unsubscribe-PostList-Unsubscribe=One-Click",
    "Reply-Tovolunteer@demo.roadies.invalid",
  ]);
  await expect(page.getByText(key)).toBeVisible();
  // axe's default run opens a blank tab to merge per-frame results, which hangs next to the
  // outbox's empty-sandbox frame here; legacy mode checks the page and its frames in place.
  const axe = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .setLegacyMode()
    .analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test("the list's links open their page in place, by click or Enter, and a modified click leaves the list open", async ({
  page,
  context,
}) => {
  await page.goto("/calls");
  // Hydrated: React tags the DOM nodes it owns.
  await page.waitForFunction(() =>
    Object.keys(document.querySelector("main") ?? {}).some((key) => key.startsWith("__reactFiber")),
  );
  // A mark on the document: it survives navigation in place and is lost to a reload.
  await page.evaluate(() => ((window as unknown as { inPlace: boolean }).inPlace = true));
  const inPlace = () => page.evaluate(() => (window as unknown as { inPlace?: boolean }).inPlace === true);
  const card = page.locator(".call-list .card").first();
  const title = (await card.getByRole("heading", { level: 2 }).textContent())!;

  // Ctrl+click opens the call elsewhere (a new tab): this page stays on the list.
  const opened = context.waitForEvent("page");
  await card.getByRole("link", { name: title }).click({ modifiers: ["ControlOrMeta"] });
  await (await opened).close();
  await expect(page).toHaveURL(/\/calls$/);

  await card.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  expect(await inPlace()).toBe(true);

  await page.goBack();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Calls for maintainers");
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Next page" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/calls\?page=2$/);
  await expect(page.getByText(/^Page 2 of \d+$/)).toBeVisible();
  expect(await inPlace()).toBe(true);
});
