// [experience] A demo on a port other than 3000: its start-up summary names its address, and the
// digest command run beside it (`npm run digest`, no PORT or APP_URL) writes links that open on it:
// the outbox's digest link opens the call on that demo.
import { expect, test } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { openDatabase } from "#tests/support/e2e.ts";
import { startServer, type ServerProcess } from "#tests/support/server-process.ts";

const PORT = Number(process.env.E2E_PORT ?? 3111) + 40;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const DB_FILE = `tests/.tmp/demo-links-${PORT}.db`;
const CALL_TITLE = "Demo links e2e: review our serializers";
const DAY = 24 * 60 * 60 * 1000;

let server: ServerProcess | undefined;
const output = () => server?.output() ?? "";

test.beforeAll(async () => {
  mkdirSync("tests/.tmp", { recursive: true });
  for (const suffix of ["", "-wal", "-shm", ".demo-server.json"]) rmSync(`${DB_FILE}${suffix}`, { force: true });
  // As `npm run demo` starts it (scripts/demo.js), on a port of its own.
  server = startServer({
    NODE_ENV: "production",
    DEMO_MODE: "true",
    PORT: String(PORT),
    DATABASE_URL: `file:${DB_FILE}`,
    SCHEDULER: "off",
    LOG_LEVEL: "warn",
  });
  for (let i = 0; ; i++) {
    if (server.child.exitCode !== null) throw new Error(`demo server exited:\n${output()}`);
    if (output().includes("Roadies demo is running")) break;
    if (i > 600) throw new Error(`demo server did not start:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // A call that fits bruno-demo (Django REST framework expert), so his digest has something in it.
  const client = await openDatabase(`file:${DB_FILE}`);
  const now = Date.now();
  await client.execute({
    sql: `INSERT INTO calls (package_id, kind, title, description, hours_per_week, django_versions, urgency, status, expires_on, created_at, updated_at)
          SELECT (SELECT min(id) FROM packages), 'triage-review', ?, 'Help us review pull requests.', 2, '[]', 'high', 'open', ?, ?, ?`,
    args: [CALL_TITLE, new Date(now + 60 * DAY).toISOString().slice(0, 10), now - DAY, now - DAY],
  });
  await client.execute({
    sql: `INSERT OR IGNORE INTO call_skills (call_id, skill_id, level) SELECT id, 'django-rest-framework', 'comfortable' FROM calls WHERE title = ?`,
    args: [CALL_TITLE],
  });
  client.close();
});

test.afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill("SIGTERM");
    await server.exited;
  }
});

test("the demo's start-up says where it runs, who to sign in as and where the outbox is, without request logs", async () => {
  expect(output()).toContain(`Roadies demo is running: ${ORIGIN}`);
  expect(output()).toContain(`${ORIGIN}/dev/outbox`);
  expect(output()).toMatch(/ada-demo\s+working-group admin/);
  const response = await fetch(`${ORIGIN}/`);
  expect(response.status).toBe(200);
  expect(output()).not.toContain('"msg":"request"');
});

test("a digest sent by the command beside a demo on another port links to that demo, and its link opens the call", async ({
  page,
}) => {
  // `npm run digest` as a person types it: no PORT, no APP_URL, no DEMO_MODE; only the database.
  const run = spawnSync("node_modules/.bin/tsx", ["scripts/digest.ts", "--only", "bruno-demo"], {
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: `file:${DB_FILE}`,
      LOG_LEVEL: "warn",
    } as unknown as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toContain(`links: ${ORIGIN} (the demo running on this database)`);
  expect(run.stdout).toMatch(/sent: 1/);

  // What was written, before the outbox shows it: every link of the email names the demo's port.
  const client = await openDatabase(`file:${DB_FILE}`);
  const stored = await client.execute(
    "SELECT text FROM outbox_emails WHERE subject LIKE '%for you%' ORDER BY id DESC LIMIT 1",
  );
  client.close();
  const text = String(stored.rows[0]?.text ?? "");
  expect(text).toContain(`${ORIGIN}/calls/`);
  expect(text).not.toMatch(/127\.0\.0\.1:3000/);

  await page.goto(`${ORIGIN}/dev/outbox`);
  const row = page
    .getByRole("row")
    .filter({ hasText: "bruno-demo@" })
    .filter({ hasText: /for you/ });
  await row.getByRole("link").first().click();
  await expect(page.locator(".outbox-relinked")).toHaveCount(0);
  // The text version wraps and its links are links.
  const textVersion = page.locator(".outbox-text");
  await expect(textVersion).toHaveCSS("white-space", "pre-wrap");
  await textVersion
    .getByRole("link", { name: new RegExp(`^${ORIGIN}/calls/\\d+`) })
    .first()
    .click();
  await expect(page).toHaveURL(new RegExp(`^${ORIGIN}/calls/\\d+`));
  await expect(page.getByRole("heading", { level: 1, name: CALL_TITLE })).toBeVisible();
});

test("the outbox's HTML version is as wide as the page and tall enough to read, at 390 and 1280 px", async ({
  page,
}) => {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${ORIGIN}/dev/outbox`);
    await page
      .getByRole("row")
      .filter({ hasText: /for you/ })
      .first()
      .getByRole("link")
      .first()
      .click();
    const frame = page.locator("iframe.outbox-html");
    const box = (await frame.boundingBox())!;
    const article = (await page.locator(".outbox-email").boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(article.width - 4);
    expect(box.height).toBeGreaterThanOrEqual(448);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  }
});
