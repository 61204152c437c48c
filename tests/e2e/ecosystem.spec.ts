import { expect, test } from "#tests/support/e2e.ts";
import { expectAccessible } from "./helpers.ts";

test("the calendar shows releases with planned and confirmed dates, the next deadline and a feed", async ({
  page,
  request,
}) => {
  await page.goto("/calendar");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Django release calendar");
  const table = page.getByRole("table", { name: /Django feature releases/ });
  const row60 = table.getByRole("row", { name: /^6\.0/ });
  await expect(row60).toContainText("2025-12-03");
  await expect(row60).toContainText("confirmed");
  await expect(table.getByRole("row", { name: /^2028/ })).toContainText("planned");
  await expect(page.getByRole("status").filter({ hasText: "Next up" })).toBeVisible();
  await expectAccessible(page);

  const feed = await request.get("/calendar.ics?only=django");
  expect(feed.headers()["content-type"]).toBe("text/calendar; charset=utf-8");
  expect(await feed.text()).toContain("UID:django-6.0-releaseDate@roadies");
});

test("a maintainer reports a status on the package page and the compatibility drive counts it", async ({
  page,
  signInAs,
}) => {
  await page.goto("/compat/6.2");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Django 6\.2 LTS compatibility drive/);
  await expect(page.getByText(/days to go/)).toBeVisible();
  await expect(page.getByRole("link", { name: "django-upgrade" })).toHaveAttribute("href", "/guides#django-upgrade");
  await expectAccessible(page);
  const before = await page.getByText(/tracked packages declare or report support/).textContent();

  await signInAs("bruno-demo", { next: "/packages/django-environ" });
  await expect(page.getByRole("heading", { name: "Health" })).toBeVisible();
  await expect(page.getByText("Maintenance state:")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Best-practice check" })).toBeVisible();
  // Demo mode synced the packages from the PyPI and GitHub stand-ins at start.
  await expect(page.getByText(/Metadata from PyPI and GitHub, last synced/)).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Status for Django 6.2").selectOption("compatible");
  await page.getByRole("button", { name: "Save status for Django 6.2" }).click();
  await expect(page.getByLabel("Status for Django 6.2")).toHaveValue("compatible");
  const row = page.getByRole("row", { name: /6\.2/ });
  await expect(row).toContainText("Compatible (reported)");

  // "Needs help" offers a compatibility call.
  await page.getByLabel("Status for Django 6.1").selectOption("needs_help");
  await page.getByRole("button", { name: "Save status for Django 6.1" }).click();
  await expect(
    page.getByRole("row", { name: /6\.1/ }).getByRole("link", { name: "Post a compatibility call" }),
  ).toHaveAttribute("href", /\/calls\/new\?package=django-environ&kind=django-compat&django=6\.1/);

  await page.goto("/compat/6.2");
  const after = await page.getByText(/tracked packages declare or report support/).textContent();
  const count = (text: string | null) => Number(/(\d+) of/.exec(text ?? "")?.[1]);
  expect(count(after)).toBe(count(before) + 1);
  await expect(page.getByRole("row", { name: /django-environ/ })).toContainText("Compatible (reported)");
});

test("someone who is not a maintainer sees no report form", async ({ page, signInAs }) => {
  await signInAs("gus-demo", { next: "/packages/django-htmx" });
  await expect(page.getByRole("heading", { name: "Health" })).toBeVisible();
  await expect(page.getByLabel(/Status for Django/)).toHaveCount(0);
});

test("the ecosystem page draws charts with captions and data tables, and offers downloads", async ({
  page,
  request,
}) => {
  await page.goto("/ecosystem");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ecosystem review");
  const chart = page.getByRole("figure", { name: /Declared Django support/ });
  await expect(chart.getByRole("img", { name: /^Declared Django support: Django / })).toBeVisible();
  await chart.getByText("Data table: Declared Django support").click();
  await expect(chart.getByRole("table")).toContainText("Django 6.0");
  await expect(page.getByRole("figure", { name: /Maintenance states/ })).toBeVisible();
  await expectAccessible(page);

  const csv = await request.get("/ecosystem.csv");
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(await csv.text()).toMatch(/^section,label,count,total,share_percent\r\ndjango_support,/);
  const json = await (await request.get("/ecosystem.json")).json();
  expect(json.total).toBeGreaterThan(90);
});

for (const width of [1280, 390]) {
  test(`the ecosystem charts' labels and values are at least 12 px high at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/ecosystem");
    const texts = page.locator(".chart .chart-label, .chart .chart-value");
    await expect(texts.first()).toBeVisible();
    const sizes = await texts.evaluateAll((nodes) =>
      nodes.map((n) => {
        const box = n.getBoundingClientRect();
        // What the eye gets: the font size as laid out, times any scaling of the drawing it sits in.
        const scale = n instanceof SVGGraphicsElement ? (n.getScreenCTM()?.a ?? 1) : 1;
        return { text: n.textContent, px: parseFloat(getComputedStyle(n).fontSize) * scale, height: box.height };
      }),
    );
    expect(sizes.length).toBeGreaterThan(20);
    for (const s of sizes) {
      expect(s.px, `${s.text}`).toBeGreaterThanOrEqual(12);
      expect(s.height, `${s.text}`).toBeGreaterThanOrEqual(12);
    }
    // Nothing in a chart makes the page scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  });
}

test("a monthly report, its Markdown version and the Atom feed", async ({ page, request }) => {
  const month = new Date().toISOString().slice(0, 7);
  await page.goto("/reports");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Monthly reports");
  await expectAccessible(page);
  await page.goto(`/reports/${month}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Roadies report:");
  await expect(page.getByRole("heading", { name: "Highlights" })).toBeVisible();
  await expectAccessible(page);
  const md = await request.get(`/reports/${month}/markdown`);
  expect(md.headers()["content-type"]).toBe("text/markdown; charset=utf-8");
  expect(await md.text()).toMatch(/^# Roadies report: /);
  const atom = await request.get("/reports.atom");
  expect(atom.headers()["content-type"]).toBe("application/atom+xml; charset=utf-8");
  expect(await atom.text()).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
  expect((await request.get("/reports/2026-13")).status()).toBe(404);
});

test("the guides page explains each practice", async ({ page }) => {
  await page.goto("/guides");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Guides for package maintainers");
  // The best practices are the index's guide (h2), one section (h3) per practice.
  for (const name of ["Trusted Publishing", "django-upgrade", "pre-releases", "co-maintainers"]) {
    await expect(page.getByRole("heading", { level: 3, name: new RegExp(name) })).toBeVisible();
  }
  await expectAccessible(page);
});

test("a working-group admin corrects a release date and sets the drive's coordination thread", async ({
  page,
  signInAs,
}) => {
  await signInAs("ada-demo", { next: "/calendar/edit?version=6.2" });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Correct the dates of Django 6.2");
  await expectAccessible(page);
  const final = page.getByRole("group", { name: "Final release" });
  await final.getByLabel("Date").fill("2027-04-07");
  await page.getByRole("group", { name: "Release candidate" }).getByLabel("Date").fill("2027-05-01");
  await page.getByRole("button", { name: "Save dates" }).click();
  // The release candidate cannot come after the final release: the message sits next to the field.
  await expect(page.getByText("This must not be before the release candidate.")).toBeVisible();
  await expect(final.getByLabel("Date")).toHaveValue("2027-04-07");
  await expectAccessible(page);
  await page.getByRole("group", { name: "Release candidate" }).getByLabel("Date").fill("");
  await final.getByLabel("Confirmed by Django").check();
  await page.getByRole("button", { name: "Save dates" }).click();
  await expect(page).toHaveURL(/\/calendar\?updated=6\.2/);
  const row = page.getByRole("table", { name: /Django feature releases/ }).getByRole("row", { name: /^6\.2/ });
  await expect(row).toContainText("2027-04-07 confirmed");

  await page.goto("/compat/6.2");
  await page.getByLabel("Thread address").fill("https://forum.djangoproject.com/t/example/1");
  await page.getByRole("button", { name: "Save thread" }).click();
  await expect(page.getByRole("link", { name: "Coordination thread" })).toHaveAttribute(
    "href",
    "https://forum.djangoproject.com/t/example/1",
  );
  await expectAccessible(page);
});
