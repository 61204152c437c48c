// The leak test of confidential special requests: a marker in a confidential request's title,
// details and comments must appear nowhere an outsider can reach. A production server of its own
// (not demo mode, so emails go to the Resend stand-in), with every source of output checked.
// To check one more place, add one line to `sources` below.
import { expect, test } from "@playwright/test";
import { execFileSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startResendStandIn } from "../fakes/resend.ts";
import { openDatabase } from "#tests/support/e2e.ts";
import { startServer } from "#tests/support/server-process.ts";

const PORT = Number(process.env.E2E_LEAK_PORT ?? 3126);
const APP = `http://127.0.0.1:${PORT}`;
const MARKER = `LEAKMARK${Date.now().toString(36)}Q`;
// Searches use another word of the same title: searching for the marker itself would find it
// echoed back in the search box.
const SEARCH_WORD = "zebracrossing";
const RESEND_KEY = "re_leak_test_0123456789";

const logins = ["leak-maint", "leak-expert", "leak-outsider", "leak-admin"];

let child: ChildProcess | undefined;
test.afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
});

/** A browser-less visitor: keeps its cookies, sends same-origin writes. */
class Visitor {
  cookies = new Map<string, string>();
  private keep(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  private header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  async get(url: string) {
    const response = await fetch(url.startsWith("http") ? url : APP + url, {
      headers: { Cookie: this.header() },
      redirect: "manual",
    });
    this.keep(response);
    return response;
  }
  async post(path: string, form: Record<string, string>) {
    const response = await fetch(APP + path, {
      method: "POST",
      body: new URLSearchParams(form),
      headers: { Cookie: this.header(), Origin: APP },
      redirect: "manual",
    });
    this.keep(response);
    return response;
  }
}

/** Same-origin pages reachable by following links from `seeds`, with their bodies. */
async function crawl(visitor: Visitor, seeds: string[], limit = 400): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const queue = [...seeds];
  while (queue.length && seen.size < limit) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    const response = await visitor.get(path);
    const body =
      response.status >= 300 && response.status < 400
        ? (response.headers.get("location") ?? "")
        : await response.text();
    seen.set(path, body);
    const links = [...body.matchAll(/href="([^"#]+)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&"));
    const location = response.headers.get("location");
    if (location) links.push(location);
    for (const link of links) {
      let url: URL;
      try {
        url = new URL(link, APP + path);
      } catch {
        continue;
      }
      if (url.origin !== APP) continue;
      // Sign-in and sign-out would change who is crawling; /assets are the build's files.
      if (/^\/(logout|auth|login|_demo|assets|dev)(\/|$)/.test(url.pathname)) continue;
      const next = url.pathname + url.search;
      if (!seen.has(next) && !queue.includes(next)) queue.push(next);
    }
  }
  return seen;
}

/** The crawl's pages as one text, or the addresses of those holding the marker (for the message). */
function pagesWithMarker(pages: Map<string, string>): string {
  const leaking = [...pages].filter(([, body]) => body.includes(MARKER)).map(([path]) => path);
  if (leaking.length) return `${MARKER} found on ${leaking.join(", ")}`;
  // A crawl that stopped early would prove nothing.
  expect(pages.size).toBeGreaterThan(20);
  return `${pages.size} pages`;
}

const normalise = (html: string) => html.replace(/nonce="[^"]*"/g, 'nonce=""');

test("a confidential request's marker appears in no public page, feed, API, search, digest, email or log", async () => {
  test.setTimeout(240_000);
  const resend = await startResendStandIn({ apiKey: RESEND_KEY, rateLimitPerSecond: null });
  const dir = mkdtempSync(join(tmpdir(), "roadies-leak-"));
  const databaseUrl = `file:${join(dir, "roadies.db")}`;
  try {
    const server = startServer({
      NODE_ENV: "production",
      PORT: String(PORT),
      HOST: "127.0.0.1",
      APP_URL: APP,
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: "s".repeat(40),
      GITHUB_CLIENT_ID: "Iv1.leak",
      GITHUB_CLIENT_SECRET: "leak-secret",
      RESEND_API_KEY: RESEND_KEY,
      RESEND_BASE_URL: resend.url,
      EMAIL_FROM: "Roadies <roadies@example.org>",
      RESEND_WEBHOOK_SECRET: "whsec_leak",
      INTERNAL_API_TOKEN: "i".repeat(40),
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
      SCHEDULER: "off",
      RATE_LIMIT_SIGNIN_PER_MINUTE: "200",
      RATE_LIMIT_WRITES_PER_MINUTE: "200",
    });
    child = server.child;
    await expect
      .poll(async () => (await fetch(`${APP}/healthz`).catch(() => undefined))?.status, { timeout: 60_000 })
      .toBe(200);

    // People, their sessions, the package and the pool, as sign-in and the other pages would
    // have made them (production refuses the GitHub stand-in, so sessions are made here).
    const database = await openDatabase(databaseUrl);
    const [maintainer, expert, outsider, admin] = logins.map(() => new Visitor());
    const visitors = [maintainer!, expert!, outsider!, admin!];
    for (const [i, login] of logins.entries()) {
      const inserted = await database.execute({
        sql: "INSERT INTO users (github_id, login, name, email, is_admin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 1) RETURNING id",
        args: [
          77_000 + i,
          login,
          login.replace("leak-", "Leak "),
          `${login}@example.org`,
          login === "leak-admin" ? 1 : 0,
        ],
      });
      const id = randomBytes(10).toString("base64url");
      const secret = randomBytes(20).toString("base64url");
      await database.execute({
        sql: "INSERT INTO sessions (id, secret_hash, user_id, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        args: [
          id,
          createHash("sha256").update(secret).digest("hex"),
          Number(inserted.rows[0]!.id),
          Date.now(),
          Date.now(),
          Date.now() + 86_400_000,
        ],
      });
      visitors[i]!.cookies.set("roadies_session", `${id}.${secret}`);
    }
    // Admin rights come with a current working-group stint (app/models/people/powers.server.ts).
    await database.execute({
      sql: "INSERT INTO memberships (user_id, role, status, started_at, term_ends_at) SELECT id, 'working_group', 'active', 1, ? FROM users WHERE login = 'leak-admin'",
      args: [Date.now() + 365 * 86_400_000],
    });
    await database.execute(
      "INSERT INTO packages (name, normalized_name, description, categories, classifiers, created_at, updated_at) VALUES ('leak-pkg', 'leak-pkg', 'A package', '[]', '[]', 1, 1)",
    );
    await database.execute(
      "INSERT INTO package_maintainers (package_id, user_id, github_login, verified_at, created_at) SELECT p.id, u.id, u.login, 1, 1 FROM packages p, users u WHERE p.normalized_name = 'leak-pkg' AND u.login = 'leak-maint'",
    );
    await database.execute(
      "INSERT INTO expert_pool_members (kind, user_id, status, evidence, paused, applied_at) SELECT 'security', id, 'active', 'Handled advisories.', 0, 1 FROM users WHERE login = 'leak-expert'",
    );
    const packageId = String(
      (await database.execute("SELECT id FROM packages WHERE normalized_name = 'leak-pkg'")).rows[0]!.id,
    );
    database.close();

    const filed = await maintainer!.post("/requests/new", {
      packageId,
      kind: "security",
      severity: "high",
      title: `Vulnerability ${MARKER} in the ${SEARCH_WORD} login view`,
      details: `The reporter found that ${MARKER} lets anyone in through ${SEARCH_WORD}.`,
    });
    expect(filed.status).toBe(302);
    const requestPath = filed.headers.get("location")!;
    expect(requestPath).toMatch(/^\/requests\/\d+$/);
    // The people allowed see it, and talk about it.
    expect(await (await expert!.get(requestPath)).text()).toContain(MARKER);
    expect((await expert!.post(requestPath, { intent: "acknowledge" })).status).toBe(302);
    expect((await expert!.post(requestPath, { intent: "comment", body: `Confirmed ${MARKER}, fixing.` })).status).toBe(
      302,
    );
    expect(
      (await maintainer!.post(requestPath, { intent: "comment", body: `Thanks, ${MARKER} patched.` })).status,
    ).toBe(302);
    expect(await (await admin!.get(requestPath)).text()).toContain(MARKER);

    // Outsiders: the request is exactly a missing id. Signed out, both ask to sign in and come back
    // to the path asked for (and nothing else); signed in, both are the same 404.
    const missing = "/requests/987654321";
    const anonymous = new Visitor();
    for (const path of [requestPath, missing]) {
      const answer = await anonymous.get(path);
      expect(answer.status).toBe(302);
      expect(answer.headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
      expect(await answer.text()).not.toContain(MARKER);
    }
    const seen = await outsider!.get(requestPath);
    const none = await outsider!.get(missing);
    expect(seen.status).toBe(404);
    expect(none.status).toBe(404);
    expect(normalise(await seen.text())).toBe(normalise(await none.text()));

    const seeds = [
      "/",
      "/requests",
      "/requests/pools",
      "/packages",
      "/packages/leak-pkg",
      "/guides",
      "/guides/security",
      "/guides/funding",
      "/calls",
      "/people",
      "/ecosystem",
      "/reports",
      requestPath,
      `/packages?q=${SEARCH_WORD}`,
      `/calls?q=${SEARCH_WORD}`,
      `/people?q=${SEARCH_WORD}`,
      `/search?q=${SEARCH_WORD}`,
    ];
    const digestFile = join(dir, "digest.json");
    // Every place an outsider or a machine can read. Add a source with one line.
    const sources: [string, () => Promise<string>][] = [
      ["crawl as anonymous", async () => pagesWithMarker(await crawl(new Visitor(), seeds))],
      ["crawl as an unrelated user", async () => pagesWithMarker(await crawl(outsider!, seeds))],
      ["/calls.atom", async () => (await fetch(`${APP}/calls.atom`)).text()],
      ["/api/calls", async () => (await fetch(`${APP}/api/calls`)).text()],
      ["/api/calls?q=", async () => (await fetch(`${APP}/api/calls?q=${SEARCH_WORD}`)).text()],
      ["/ecosystem.json", async () => (await fetch(`${APP}/ecosystem.json`)).text()],
      ["/calendar.ics", async () => (await fetch(`${APP}/calendar.ics`)).text()],
      ["/reports.atom", async () => (await fetch(`${APP}/reports.atom`)).text()],
      [
        "digest dry run JSON",
        async () => {
          execFileSync("node_modules/.bin/tsx", ["scripts/digest.ts", "--dry-run", "--json", digestFile], {
            env: {
              PATH: process.env.PATH ?? "",
              DATABASE_URL: databaseUrl,
              APP_URL: APP,
              LOG_LEVEL: "silent",
            } as unknown as NodeJS.ProcessEnv,
            stdio: "ignore",
          });
          return readFileSync(digestFile, "utf8");
        },
      ],
      ["emails at the Resend stand-in", async () => JSON.stringify(resend.sent())],
      // [inbox] notifications never carry a confidential title, for anyone: the people allowed included.
      [
        "every notification stored",
        async () => {
          const c = await openDatabase(databaseUrl);
          try {
            return JSON.stringify((await c.execute("SELECT kind, title, href FROM notifications")).rows);
          } finally {
            c.close();
          }
        },
      ],
      ...visitors.map((v, i): [string, () => Promise<string>] => [
        `/inbox of ${logins[i]}`,
        async () => (await v.get("/inbox")).text(),
      ]),
    ];
    // The check can see a leak: the maintainer's own list does show the request.
    expect(pagesWithMarker(await crawl(maintainer!, ["/requests"], 1))).toContain("found on /requests");
    for (const [name, read] of sources) {
      const text = await read();
      expect(text.length, `${name} returned something`).toBeGreaterThan(0);
      expect(text.includes(MARKER), `${name} must not contain the marker: ${text.slice(0, 300)}`).toBe(false);
    }

    // [inbox] The expert's inbox did tell of the request: only that there is one.
    expect(await (await expert!.get("/inbox")).text()).toContain("A confidential request was assigned to you");

    // Emails did go out: the expert was told at once, the maintainer about the comment.
    const sent = resend.sent();
    expect(
      sent.some((m) => m.to.includes("leak-expert@example.org") && m.subject === "New confidential request on Roadies"),
    ).toBe(true);
    expect(sent.some((m) => m.to.includes("leak-maint@example.org"))).toBe(true);

    // The server's own log, to the last line.
    child.kill("SIGTERM");
    await expect.poll(() => child!.exitCode, { timeout: 15_000 }).not.toBeNull();
    expect(server.output()).toContain(`"path":"${requestPath}"`);
    expect(server.output().includes(MARKER), "the server log must not contain the marker").toBe(false);
  } finally {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await resend.close();
  }
});
