// The XSS corpus: classic filter-evasion payloads put into every text field people write (call
// title and description, interest messages, bios, programme answers, request title and details,
// nominations, hand-off notes), then every page showing them opened in Chromium. Any dialog, any CSP
// violation (an injected script or handler that the browser had to block), any request to another
// origin, or any injected element in the DOM fails the test. One real form submission per form type
// proves the forms store the payloads as they were typed.
import type { Client } from "@libsql/client";
import type { Page } from "@playwright/test";
import { expect, openDatabase, test } from "#tests/support/e2e.ts";

/** Each payload carries a marker so the test can tell the page really showed it. */
const payloads = [
  `<script>alert("xss-1")</script>`,
  `<img src=x onerror=alert("xss-2")>`,
  `[xss-3 link](javascript:alert(3))`,
  `<svg onload=alert("xss-4")>`,
  `xss-5 "><script>alert(5)</script>`,
  `xss-6 '><img src=x onerror=alert(6)>`,
  `xss-7 </textarea><script>alert(7)</script>`,
  `xss-8 \\u003cscript\\u003ealert(8)\\u003c/script\\u003e ＜script＞alert(8)＜/script＞`,
  `[xss-9 data](data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==)`,
  `<a href="javascript:alert(10)">xss-10</a>`,
  `<iframe src="javascript:alert(11)"></iframe>xss-11`,
  `![xss-12 pixel](https://evil.example/pixel.png)`,
  `xss-13 </script><script>alert(13)</script>`,
  `xss-14 <style>body{display:none}</style>`,
  `[xss-15](javascript&colon;alert(15)) [xss-15b](JaVaScRiPt:alert(15)) [xss-15c]( javascript:alert(15))`,
  `<a href="&#106;avascript:alert(16)">xss-16</a>`,
  `xss-17 {{constructor.constructor('alert(17)')()}} \${alert(17)}`,
  `<details open ontoggle=alert(18)>xss-18</details>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert(19)>xss-19`,
  `<base href="https://evil.example/">xss-20`,
  `<meta http-equiv="refresh" content="0;url=https://evil.example">xss-21`,
  `<form action="https://evil.example"><button>xss-23</button></form>`,
  `<javascript:alert(24)> xss-24 <https://evil.example/xss-24>`,
  `xss-25 \u2028\u2029 "; alert(25); //`,
  `xss-26 --><script>alert(26)</script><!--`,
  `xss-27 <object data="data:text/html,<script>alert(27)</script>"></object>`,
  `xss-28 \u202eevil.example <img src="//evil.example/x.png">`,
];
const pick = (i: number) => payloads[i % payloads.length]!;

let client: Client;
/** What the planted columns held before, put back afterwards: later specs share this server. */
const originals: { sql: string; args: (string | number | null)[] }[] = [];

/** The payloads written straight into the running server's database, spread over every row. */
async function plant() {
  client = await openDatabase();
  const columns: [string, string[]][] = [
    ["calls", ["title", "description"]],
    ["call_interests", ["message"]],
    ["users", ["name", "bio"]],
    ["application_answers", ["value"]],
    ["special_requests", ["title", "details"]],
    ["request_events", ["body"]],
    ["nominations", ["details"]],
    ["transfers", ["handoff_notes"]],
    ["trust_proposals", ["motivation"]],
    ["mentoring_projects", ["title", "description"]],
  ];
  for (const [table, cols] of columns) {
    const rows = await client.execute(`SELECT rowid AS r, ${cols.join(", ")} FROM ${table}`);
    for (const row of rows.rows) {
      originals.push({
        sql: `UPDATE ${table} SET ${cols.map((c) => `${c} = ?`).join(", ")} WHERE rowid = ?`,
        args: [...cols.map((c) => row[c] as string | null), row.r as number],
      });
    }
    const statements = rows.rows.map((row, i) => ({
      sql: `UPDATE ${table} SET ${cols.map((c) => `${c} = ?`).join(", ")} WHERE rowid = ?`,
      args: [...cols.map((_, j) => pick(i + j * 7)), row.r as number],
    }));
    await client.batch(statements, "write");
  }
  // Evidence links are rendered as links: feed them URLs that must never become live links.
  for (const table of ["nominations", "trust_proposals"]) {
    for (const row of (await client.execute(`SELECT rowid AS r, evidence FROM ${table}`)).rows) {
      originals.push({
        sql: `UPDATE ${table} SET evidence = ? WHERE rowid = ?`,
        args: [row.evidence as string, row.r as number],
      });
    }
  }
  await client.execute(`UPDATE nominations SET evidence = ?`, [
    JSON.stringify(["javascript:alert(30)", "data:text/html,<script>alert(31)</script>", "https://example.org/xss-32"]),
  ]);
  await client.execute(`UPDATE trust_proposals SET evidence = ?`, [
    JSON.stringify(["javascript:alert(33)", "https://example.org/xss-34"]),
  ]);
}

test.beforeAll(async () => {
  await plant();
});
test.afterAll(async () => {
  if (originals.length) await client.batch(originals, "write");
  client?.close();
});

type Watch = { problems: string[] };

/** Fails the page on any dialog, CSP violation, page error or request that leaves our origin. */
function watch(page: Page, baseURL: string): Watch {
  const w: Watch = { problems: [] };
  const origin = new URL(baseURL).origin;
  page.on("dialog", async (dialog) => {
    w.problems.push(`dialog: ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) {
      w.problems.push(`CSP: ${message.text().slice(0, 200)}`);
    }
  });
  page.on("pageerror", (error) => w.problems.push(`page error: ${error.message}`));
  page.on("request", (request) => {
    const url = request.url();
    // GitHub avatars are the one other origin the CSP allows (img-src), for people's pictures.
    const expected =
      url.startsWith(origin) || url.startsWith("data:") || url.startsWith("https://avatars.githubusercontent.com/");
    if (!expected) w.problems.push(`request to ${url}`);
  });
  return w;
}

/** Elements the payloads would create if any of them got through as HTML. */
async function injectedElements(page: Page) {
  return page.evaluate(() => {
    const found: string[] = [];
    const nonce = document.querySelector("script[nonce]")?.getAttribute("nonce") ?? "";
    for (const el of document.querySelectorAll("*")) {
      for (const attr of el.getAttributeNames()) {
        if (/^on/i.test(attr)) found.push(`${el.tagName} ${attr}`);
      }
      const href = el.getAttribute("href") ?? el.getAttribute("src") ?? el.getAttribute("action") ?? "";
      if (/^\s*(javascript|data|vbscript):/i.test(href)) found.push(`${el.tagName} ${href.slice(0, 40)}`);
    }
    for (const el of document.querySelectorAll(
      "main iframe, main object, main embed, main svg[onload], main base, main meta, main form[action^='http'], base, main style",
    )) {
      found.push(el.outerHTML.slice(0, 80));
    }
    for (const s of document.querySelectorAll("script")) {
      if (s.getAttribute("nonce") !== nonce && s.nonce !== nonce)
        found.push(`script without nonce: ${s.outerHTML.slice(0, 80)}`);
    }
    return found;
  });
}

/** Pages visited for safety although the payloads sit in form fields or collapsed lists there. */
const showsInFields = new Set(["/settings/profile", "/me/interests", "/admin/nominations"]);

async function visit(page: Page, baseURL: string, paths: string[]) {
  const w = watch(page, baseURL);
  const report: string[] = [];
  for (const path of paths) {
    w.problems.length = 0;
    const response = await page.goto(path);
    await page.waitForLoadState("load");
    expect(response?.status(), `${path} opens`).toBe(200);
    const text = await page.locator("body").innerText();
    const injected = await injectedElements(page);
    const shown = /xss-\d+|alert\(/.test(text);
    if (!shown && !showsInFields.has(path))
      report.push(`${path}: shows none of the payloads (is the field on this page?)`);
    for (const p of [...w.problems, ...injected]) report.push(`${path}: ${p}`);
  }
  expect(report).toEqual([]);
}

const PROGRAM = "/programs/djangonaut-space-demo-session";

test("a visitor sees every payload as text on the public pages", async ({ page, baseURL }) => {
  // A query string of our own keeps the anonymous page cache from answering with a pre-payload copy.
  const fresh = (path: string) => `${path}${path.includes("?") ? "&" : "?"}xss=1`;
  await visit(
    page,
    baseURL!,
    [
      "/",
      "/calls",
      "/calls/1",
      "/calls/2",
      "/calls/15",
      "/people",
      "/people/bruno-demo",
      "/requests",
      "/requests/2",
      "/roadies",
      `${PROGRAM}`,
    ].map(fresh),
  );
});

test("an admin sees every payload as text on the management pages", async ({ page, baseURL, signInAs }) => {
  await signInAs("ada-demo");
  await visit(page, baseURL!, [
    "/calls/1/manage",
    "/calls/2/manage",
    "/calls/2",
    "/requests/1",
    "/requests/3",
    "/admin/nominations",
    "/admin/nominations/1",
    "/admin/roadies",
    "/transfers/1",
    `${PROGRAM}/review`,
    `${PROGRAM}/review/1`,
    "/settings/profile",
    "/me/interests",
  ]);
});

test("payloads typed into the real forms are stored as typed and shown as text", async ({
  page,
  baseURL,
  signInAs,
}) => {
  const w = watch(page, baseURL!);
  await signInAs("nia-demo");

  // Profile bio (Markdown).
  await page.goto("/settings/profile");
  const bio = `${pick(1)} ${pick(2)} xss-form-bio`;
  await page.getByLabel("About you").fill(bio);
  await page.getByRole("button", { name: /save/i }).first().click();
  await expect(page.getByText("Profile saved.")).toBeVisible();
  await page.goto("/people/nia-demo");
  await expect(page.getByText("xss-form-bio")).toBeVisible();

  // Interest message on a call (nia-demo maintains nothing on call 16's package).
  await page.goto("/calls/16");
  const interest = `${pick(4)} ${pick(6)} I would like to help with releases and triage. xss-form-interest`;
  await page.getByLabel("Message to the maintainers").fill(interest);
  await page.getByRole("button", { name: "Send my interest" }).click();
  await expect
    .poll(
      async () =>
        (await client.execute("SELECT message FROM call_interests WHERE message LIKE '%xss-form-interest'")).rows[0]
          ?.message,
    )
    .toBe(interest);
  await page.goto("/me/interests");
  expect(await injectedElements(page)).toEqual([]);

  // Nomination: a refused submission comes back with the typed text kept (inside a textarea that
  // the payload tries to close), then an accepted one is stored as typed.
  await page.goto("/nominate");
  const details = `${pick(6)} xss-form-nomination-details </textarea><script>alert(1)</script>`;
  await page.getByLabel("Package name on PyPI").fill("xss</textarea><script>alert(1)</script>");
  await page.getByLabel("Evidence links").fill("javascript:alert(1)");
  await page.getByLabel("Anything else (optional)").fill(details);
  await page
    .getByRole("button", { name: /nominate|send|submit/i })
    .first()
    .click();
  await expect(page.getByLabel("Anything else (optional)")).toHaveValue(details);
  expect(await injectedElements(page)).toEqual([]);
  await page.getByLabel("Package name on PyPI").fill("django-xss-form-check");
  await page.getByLabel("Why it needs help").selectOption("unmaintained");
  await page.getByLabel("Evidence links").fill("https://example.org/xss-form-issue");
  await page
    .getByRole("button", { name: /nominate|send|submit/i })
    .first()
    .click();
  await expect
    .poll(
      async () =>
        (await client.execute("SELECT details FROM nominations WHERE package_name = 'django-xss-form-check'")).rows[0]
          ?.details,
    )
    .toBe(details);

  expect(w.problems).toEqual([]);
  const row = await client.execute("SELECT bio FROM users WHERE login = 'nia-demo'");
  expect(row.rows[0]?.bio).toBe(bio);
  expect(await injectedElements(page)).toEqual([]);
});
