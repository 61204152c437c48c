// The four main journeys done with the keyboard alone, as someone who cannot use a mouse would:
// Tab and Shift+Tab to move, Enter and Space to act, arrow keys in menus and radio groups. Every
// control is reached by focus before it is used, and each focused control shows a visible outline.
import { expect, test, type Locator, type Page } from "@playwright/test";

const MAX_TABS = 200;

async function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element === document.activeElement);
}

/** The focused control shows a focus outline (or ring) a sighted keyboard user can see. */
async function expectVisibleFocus(target: Locator) {
  const ring = await target.evaluate((element) => {
    const style = getComputedStyle(element);
    // "auto" is the browser's own focus ring (the GitHub stand-in's page keeps it).
    const outline =
      style.outlineStyle === "auto" || (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2);
    return outline || style.boxShadow !== "none";
  });
  expect(ring, `visible focus on ${target}`).toBe(true);
}

/** Presses Tab (or Shift+Tab) until the target has focus, as a keyboard user moves through a page. */
async function tabTo(page: Page, target: Locator, { backwards = false } = {}) {
  await expect(target).toBeVisible();
  for (let presses = 0; presses < MAX_TABS; presses++) {
    if (await isFocused(target)) {
      await expectVisibleFocus(target);
      return;
    }
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
  }
  throw new Error(`${target} was not reached with ${backwards ? "Shift+Tab" : "Tab"}`);
}

/** Follows a link or presses a button: focus it with Tab, then Enter. */
async function activate(page: Page, target: Locator, options?: { backwards?: boolean }) {
  await tabTo(page, target, options);
  await page.keyboard.press("Enter");
}

/** Types into a field reached with Tab. */
async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.type(text);
  await expect(field).toHaveValue(text);
}

/** Picks an option of a closed <select> with the arrow keys. */
async function chooseWithArrows(page: Page, select: Locator, label: string) {
  await tabTo(page, select);
  const labels = await select.locator("option").allTextContents();
  const target = labels.findIndex((l) => l.trim() === label);
  expect(target, `option ${label}`).toBeGreaterThanOrEqual(0);
  const current = await select.evaluate((element) => (element as HTMLSelectElement).selectedIndex);
  const key = target > current ? "ArrowDown" : "ArrowUp";
  for (let i = 0; i < Math.abs(target - current); i++) await page.keyboard.press(key);
  await expect(select.locator("option:checked")).toHaveText(label);
}

/** Checks a radio button: Tab into its group, then arrow keys (or Space on the first one). */
async function chooseRadio(page: Page, group: Locator, label: string) {
  const radios = group.getByRole("radio");
  const target = group.getByRole("radio", { name: label, exact: true });
  // Tab lands on the checked radio of a group, or on its first one when none is checked.
  const checked = group.locator("input[type=radio]:checked");
  const entry = (await checked.count()) > 0 ? checked : radios.first();
  await tabTo(page, entry);
  if (await isFocused(target)) await page.keyboard.press("Space");
  for (let i = 0; i < (await radios.count()) && !(await target.isChecked()); i++) {
    await page.keyboard.press("ArrowDown");
  }
  await expect(target).toBeChecked();
  await expect(target).toBeFocused();
}

/** Signs in from the home page, with the keyboard, through the GitHub stand-in. */
async function signInWithKeyboard(page: Page, login: string) {
  await page.goto("/");
  await activate(page, page.getByRole("banner").getByRole("link", { name: "Sign in" }));
  await expect(page).toHaveURL(/\/login/);
  await activate(page, page.getByRole("button", { name: "Sign in with GitHub" }));
  await expect(page).toHaveURL(/\/_demo\/github\/login\/oauth\/authorize/);
  await activate(page, page.getByRole("button", { name: new RegExp(`^${login}\\b`) }));
  await expect(page.getByRole("banner").locator("summary")).toBeVisible();
}

async function openMainNav(page: Page, label: string) {
  await activate(page, page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label }));
}

test("the skip link is the first stop and jumps to the content", async ({ page }) => {
  await page.goto("/calls");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await expectVisibleFocus(skip);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
});

test("a maintainer posts a call with the keyboard only", async ({ page }) => {
  // jo-demo maintains demo packages and appears in no other browser test.
  await signInWithKeyboard(page, "jo-demo");
  await openMainNav(page, "Calls");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await activate(page, page.getByRole("main").getByRole("link", { name: "Post a call" }));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Post a call");

  const packageSelect = page.getByLabel("Package");
  await tabTo(page, packageSelect);
  await page.keyboard.press("ArrowDown");
  const chosenPackage = (await packageSelect.locator("option:checked").textContent())!.trim();
  expect(chosenPackage).not.toBe("Choose…");

  await chooseWithArrows(page, page.getByLabel("Kind of help"), "Co-maintainer");
  const title = "Keyboard-only co-maintainer wanted";
  await typeInto(page, page.getByLabel("Title"), title);
  await typeInto(
    page,
    page.getByLabel("Description"),
    "Help triage issues and review pull requests before the next release.",
  );
  await chooseWithArrows(page, page.getByLabel("Testing", { exact: true }), "Comfortable");
  const hours = page.getByLabel("Time commitment (hours per week)");
  await tabTo(page, hours);
  await page.keyboard.press("ArrowUp");
  await expect(hours).toHaveValue("3");
  const version = page.getByRole("group", { name: "Django versions involved" }).getByRole("checkbox").first();
  await tabTo(page, version);
  await page.keyboard.press("Space");
  await expect(version).toBeChecked();

  await activate(page, page.getByRole("button", { name: "Post the call" }));
  await expect(page).toHaveURL(/\/calls\/\d+\?posted=1$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.getByRole("main")).toContainText(chosenPackage);
});

test("a volunteer applies to become a roadie with the keyboard only", async ({ page }) => {
  // hana-demo's roadie term lapsed (db/demo/people.ts), so she may apply again.
  await signInWithKeyboard(page, "hana-demo");
  await openMainNav(page, "Roadies");
  await activate(page, page.getByRole("link", { name: "Apply to be a roadie" }));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Apply to be a roadie");

  await typeInto(
    page,
    page.getByLabel("Why do you want to be a roadie?"),
    "I ran background jobs for years and want to help packages change hands safely.",
  );
  await typeInto(page, page.getByLabel("Links to your work (optional)"), "https://github.com/hana-demo");
  await activate(page, page.getByRole("button", { name: "Send application" }));
  await expect(page.getByText("Application sent.")).toBeVisible();
  await expect(page.getByText("Your application is with the working group.")).toBeVisible();
});

test("a volunteer applies to a programme with the keyboard only", async ({ page }) => {
  // hana-demo has no application to Djangonaut Space in the demo data (db/demo/programs.ts).
  await signInWithKeyboard(page, "hana-demo");
  await openMainNav(page, "Programmes");
  await activate(page, page.getByRole("main").getByRole("link", { name: "Djangonaut Space: demo session" }).first());
  await activate(page, page.getByRole("main").getByRole("link", { name: "Apply", exact: true }));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    /Apply to Djangonaut Space: demo session as a Djangonaut/,
  );

  await typeInto(
    page,
    page.getByLabel(/Why do you want to join Djangonaut Space/),
    "I profile slow querysets and want to learn to contribute upstream.",
  );
  await chooseRadio(page, page.getByRole("group", { name: /How much Django have you written/ }), "At work");
  const orm = page.getByRole("group", { name: /Which areas interest you/ }).getByRole("checkbox", { name: "ORM" });
  await tabTo(page, orm);
  await page.keyboard.press("Space");
  await expect(orm).toBeChecked();
  await typeInto(page, page.getByLabel(/A link to some of your code/), "https://github.com/hana-demo");
  await chooseRadio(page, page.getByRole("group", { name: /Can you give 5 to 8 hours/ }), "Yes");

  await activate(page, page.getByRole("button", { name: "Submit application" }));
  await expect(page).toHaveURL(/\/me\/applications\?submitted=/);
  await expect(page.getByText("Your application is submitted.")).toBeVisible();
  await expect(page.getByRole("row", { name: /Djangonaut Space: demo session/ }).getByText("Submitted")).toBeVisible();
});

test("a volunteer changes the digest preferences with the keyboard only", async ({ page }) => {
  // emi-demo appears in no other browser test.
  await signInWithKeyboard(page, "emi-demo");
  // The account menu opens with Enter on its summary; its links follow in the tab order.
  const account = page.getByRole("banner").locator("summary");
  await tabTo(page, account);
  await page.keyboard.press("Enter");
  await activate(page, page.getByRole("banner").getByRole("link", { name: "Notifications" }));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Notifications");

  await chooseRadio(page, page.getByRole("group", { name: "How often" }), "Every 2 weeks");
  await chooseWithArrows(page, page.getByLabel("Day of the week"), "Thursday");
  const transfers = page.getByRole("checkbox", { name: /Packages looking for a new maintainer/ });
  const wasChecked = await transfers.isChecked();
  await tabTo(page, transfers);
  await page.keyboard.press("Space");
  await expect(transfers).toBeChecked({ checked: !wasChecked });

  await activate(page, page.getByRole("button", { name: "Save preferences" }));
  await expect(page.getByText("Preferences saved. They apply from the next digest.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("radio", { name: "Every 2 weeks" })).toBeChecked();
  await expect(page.getByLabel("Day of the week").locator("option:checked")).toHaveText("Thursday");
  await expect(transfers).toBeChecked({ checked: !wasChecked });
});
