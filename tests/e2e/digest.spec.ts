// The digest as a person meets it: set notification preferences, get the digest (demo outbox),
// follow its link to the call, unsubscribe through its link, and get no digest on the next run.
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./helpers.ts";
import { openDatabase } from "#tests/support/e2e.ts";

// Demo mode's fixed, public internal token (app/utils/env.server.ts); production requires its own.
const INTERNAL_TOKEN = "local-only-internal-token-not-for-production";
const CALL_TITLE = "Digest e2e: review our serializers";
const DAY = 24 * 60 * 60 * 1000;

function isoWeek(ms: number): string {
  const d = new Date(ms);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const weekday = new Date(midnight).getUTCDay() || 7;
  const thursday = midnight + (4 - weekday) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

test.beforeAll(async () => {
  // A call that fits bruno-demo (Django REST framework expert), written straight into the demo
  // database the server uses, so this test does not depend on another area's forms.
  const client = await openDatabase();
  const now = Date.now();
  const expires = new Date(now + 60 * DAY).toISOString().slice(0, 10);
  await client.execute({
    sql: `INSERT INTO calls (package_id, kind, title, description, hours_per_week, django_versions, urgency, status, expires_on, created_at, updated_at)
          SELECT (SELECT min(id) FROM packages), 'triage-review', ?, 'Help us review pull requests.', 2, '[]', 'high', 'open', ?, ?, ?
          WHERE NOT EXISTS (SELECT 1 FROM calls WHERE title = ?)`,
    args: [CALL_TITLE, expires, now - DAY, now - DAY, CALL_TITLE],
  });
  await client.execute({
    sql: `INSERT OR IGNORE INTO call_skills (call_id, skill_id, level) SELECT id, 'django-rest-framework', 'comfortable' FROM calls WHERE title = ?`,
    args: [CALL_TITLE],
  });
  client.close();
});

async function runDigest(request: import("@playwright/test").APIRequestContext, week?: string) {
  const response = await request.post("/internal/jobs/digest", {
    headers: { Authorization: `Bearer ${INTERNAL_TOKEN}`, "Content-Type": "application/json" },
    data: week ? { week } : {},
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as { sent: number; skipped: Record<string, number> };
}

test("a volunteer sets preferences, gets the digest, opens its call, and unsubscribes", async ({ page, request }) => {
  await page.goto("/settings/notifications");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.getByRole("button", { name: /bruno-demo/i }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  await expectAccessible(page);

  // A day that has come this week, so the run includes this person.
  await page.getByLabel("Every week").check();
  await page.getByLabel("Day of the week").selectOption("Monday");
  await page.getByLabel("People who could help with my calls, and new interests").uncheck();
  await page.getByRole("button", { name: "Save preferences" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Preferences saved" })).toBeVisible();
  await expect(page.getByLabel("People who could help with my calls, and new interests")).not.toBeChecked();
  await expectAccessible(page);

  const summary = await runDigest(request);
  expect(summary.sent).toBeGreaterThan(0);

  await page.goto("/dev/outbox");
  const row = page
    .getByRole("row")
    .filter({ hasText: "bruno-demo@" })
    .filter({ hasText: /match(es)? for you/ });
  await expect(row).toHaveCount(1);
  await row.getByRole("link").first().click();
  // The outbox shows the RFC 8058 headers and the key that makes the digest exactly-once.
  const headers = page.locator(".outbox-headers");
  await expect(headers.locator("div").filter({ hasText: "List-Unsubscribe-Post" })).toContainText(
    "List-Unsubscribe=One-Click",
  );
  await expect(headers.locator("div").filter({ hasText: /^List-Unsubscribe</ })).toContainText("/one-click>");
  await expect(page.getByText(/^digest:\d{4}-W\d{2}:user:\d+$/)).toBeVisible();
  const text = await page.locator("pre").innerText();
  expect(text).toContain(CALL_TITLE);
  expect(text).toContain("expert in Django REST framework, which this call needs");

  const callUrl = /: (http:\/\/\S+\/calls\/\d+)/.exec(text.split(CALL_TITLE)[1]!)![1]!;
  await page.goto(callUrl);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(CALL_TITLE);

  const unsubscribeUrl = /Unsubscribe from the digest: (\S+)/.exec(text)![1]!;
  await page.goto(unsubscribeUrl);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Unsubscribe from the match digest?");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("You are unsubscribed");
  await expectAccessible(page);

  // What a mail client does for RFC 8058 one-click: a POST from elsewhere, no session, no cookie.
  const oneClick = await request.post(`${unsubscribeUrl}/one-click`, {
    headers: { Origin: "https://mail.example.com", "Content-Type": "application/x-www-form-urlencoded" },
    data: "List-Unsubscribe=One-Click",
  });
  expect(oneClick.status()).toBe(200);

  // The next run (last week's, when everyone's day has passed) skips this person.
  const next = await runDigest(request, isoWeek(Date.now() - 7 * DAY));
  expect(next.skipped.unsubscribed).toBeGreaterThanOrEqual(1);
  await page.goto("/dev/outbox");
  await expect(
    page
      .getByRole("row")
      .filter({ hasText: "bruno-demo@" })
      .filter({ hasText: /match(es)? for you/ }),
  ).toHaveCount(1);

  // The settings page says so and offers the way back.
  await page.goto("/settings/notifications");
  await expect(page.getByText(/You unsubscribed from the digest on/)).toBeVisible();
  await expect(page.getByLabel("Never (off)")).toBeChecked();
});

test("an unsubscribe link that is not ours shows the 404 page", async ({ page }) => {
  const response = await page.goto("/unsubscribe/not-a-real-token");
  expect(response?.status()).toBe(404);
  await expectAccessible(page);
});
