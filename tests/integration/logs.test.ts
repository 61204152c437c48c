// Logs by pino (app/utils/log.server.ts): cookies, tokens, Authorization headers and email addresses
// never reach a line, whichever way they are written; each request has one line and one id, which every
// line logged while it is handled carries.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import express from "express";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createLogger, errorFields, log, requestLogger, withRequestId } from "#app/utils/log.server.ts";
import { findLogLeaks } from "#tests/support/log-leaks.ts";
import { checkRunLog } from "#tests/setup/logs.ts";

const SESSION = "s3ssionVa1ueQz9";
const COOKIE = `__Host-roadies_session=${SESSION}; theme=dark`;
const TOKEN = "ghp_R2d2C3poL8kE9wQ1xY7zT4uV6bN0mA5sJh";
const BEARER = "Bearer Zk8yPq2rLm4nWv6t";
const EMAIL = "ada.lovelace@example.org";
// A signed link token's shape (app/utils/signed-token.server.ts): base64url payload "." HMAC-SHA256.
const LINK_TOKEN = `WyJ1bnN1YnNjcmliZSIsIjQyIl0.${"Hx7".repeat(14)}Q`;
const SECRETS = [SESSION, TOKEN, BEARER.split(" ")[1]!, EMAIL, LINK_TOKEN];

type Line = Record<string, unknown> & { msg?: string; level?: string; requestId?: string };

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(stream, "debug"), lines, parsed: () => lines.map((l) => JSON.parse(l) as Line) };
}

/** The lines of the run's log file (LOG_FILE, tests/setup/logs.ts) that hold `marker`. */
function appLines(marker: string): string[] {
  const file = process.env.LOG_FILE;
  expect(file, "the test setup sends the app's logs to a file").toBeTruthy();
  return readFileSync(file!, "utf8")
    .split("\n")
    .filter((line) => line.includes(marker));
}

function expectNoSecrets(lines: string[]) {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    for (const secret of SECRETS) expect(line).not.toContain(secret);
  }
  expect(findLogLeaks(lines.join("\n"), SECRETS)).toEqual([]);
}

describe("the app logger", () => {
  test("cookies, tokens, Authorization headers and email addresses never reach a line, in fields or in text", () => {
    const marker = `marker-${Date.now()}`;
    log.info(`signed in ${EMAIL} with ${BEARER}, cookie ${COOKIE}`, {
      marker,
      cookie: COOKIE,
      token: TOKEN,
      headers: { authorization: BEARER, cookie: COOKIE, "set-cookie": COOKIE },
      user: { login: "ada", email: EMAIL },
      note: `Authorization: ${BEARER}; token ${TOKEN}; link /unsubscribe/${LINK_TOKEN}; to ${EMAIL}`,
      list: [EMAIL, { deep: { password: "hunter2hunter2", text: TOKEN } }],
    });
    const lines = appLines(marker);
    expectNoSecrets(lines);
    const line = JSON.parse(lines[0]!) as Line & { user: { login: string }; headers: Record<string, string> };
    // What is not secret stays readable: the message's words, the login, the field names.
    expect(line.msg).toMatch(/^signed in \[redacted\] with Bearer \[redacted\]/);
    expect(line.user.login).toBe("ada");
    expect(line.headers.authorization).toBe("[redacted]");
    expect(line.level).toBe("info");
  });

  test("an error whose message and stack hold an email address and a token is logged masked", () => {
    const marker = `error-${Date.now()}`;
    const error = new Error(`GitHub refused ${TOKEN} for ${EMAIL} (cookie ${COOKIE})`);
    log.error(marker, errorFields(error));
    log.warn(marker, errorFields(`not an Error: ${BEARER} ${EMAIL}`));
    const lines = appLines(marker);
    expect(lines).toHaveLength(2);
    expectNoSecrets(lines);
    const line = JSON.parse(lines[0]!) as Line & { err: { message: string; stack: string } };
    expect(line.level).toBe("error");
    expect(line.err.message).toBe(
      "GitHub refused [redacted] for [redacted] (cookie __Host-roadies_session=[redacted]; theme=dark)",
    );
    expect(line.err.stack).toContain("logs.test.ts");
  });

  test("LOG_LEVEL chooses what is written; silent writes nothing", () => {
    const quiet = capture();
    const logger = createLogger(
      new Writable({ write: (c: Buffer, _e, done) => (quiet.lines.push(c.toString()), done()) }),
      "silent",
    );
    logger.error("nothing");
    expect(quiet.lines).toEqual([]);
    const warnOnly = capture();
    warnOnly.logger.level = "warn";
    warnOnly.logger.info("hidden");
    warnOnly.logger.warn("shown");
    expect(warnOnly.parsed().map((l) => [l.level, l.msg])).toEqual([["warn", "shown"]]);
  });
});

describe("the request logger", () => {
  const requests = capture();
  let base = "";
  let close = () => {};

  beforeAll(async () => {
    const app = express();
    const requestLog = requestLogger(requests.logger);
    app.use((req, res, next) => requestLog(req, res, () => withRequestId(String(req.id), next)));
    app.get("/work", async (_req, res) => {
      log.info("working", { step: 1, email: EMAIL });
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.warn(`still working for ${EMAIL}`, { step: 2 });
      res.send("done");
    });
    app.get("/fail", () => {
      throw new Error(`failed for ${EMAIL} with ${TOKEN}`);
    });
    app.get("/healthz", (_req, res) => res.send("ok"));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  const secretHeaders = { cookie: COOKIE, authorization: BEARER, "x-api-token": TOKEN };

  test("one line per request: method, path without its query, status, duration and request id; no header", async () => {
    const response = await fetch(`${base}/work?code=${TOKEN}&email=${encodeURIComponent(EMAIL)}`, {
      headers: secretHeaders,
    });
    expect(response.status).toBe(200);
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const lines = requests.parsed().filter((l) => l.requestId === requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "info", msg: "request", method: "GET", path: "/work", status: 200 });
    expect(lines[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(Object.keys(lines[0]!).sort()).toEqual(
      ["durationMs", "level", "method", "msg", "path", "pid", "requestId", "status", "time"].sort(),
    );
    expectNoSecrets(requests.lines);
  });

  test("every line logged while a request is handled carries its id, the same as the request line's", async () => {
    const response = await fetch(`${base}/work`);
    const requestId = response.headers.get("x-request-id")!;
    const during = appLines(requestId).map((l) => JSON.parse(l) as Line);
    expect(during.map((l) => l.msg)).toEqual(["working", "still working for [redacted]"]);
    expect(during.every((l) => l.requestId === requestId)).toBe(true);
    expect(requests.parsed().filter((l) => l.requestId === requestId)).toHaveLength(1);
    expectNoSecrets(appLines(requestId));
  });

  test("a request id from Fly's proxy or the client is kept when plain, replaced when not", async () => {
    const fly = await fetch(`${base}/work`, { headers: { "fly-request-id": "01JEXAMPLE7Q2-ams" } });
    expect(fly.headers.get("x-request-id")).toBe("01JEXAMPLE7Q2-ams");
    for (const unsafe of [EMAIL, "short", "x".repeat(65), 'id"},{"level":"fatal']) {
      const response = await fetch(`${base}/work`, { headers: { "x-request-id": unsafe } });
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
    expectNoSecrets(requests.lines);
  });

  test("a request id shaped like a token is replaced: it is echoed and written on every line", async () => {
    // Both are plain (letters, digits, `._:-`, 8 to 64 long); the log's masks would hide them.
    const shortLinkToken = `abcdefgh.${"Hx7".repeat(14)}Q`;
    for (const secret of [TOKEN, shortLinkToken]) {
      const response = await fetch(`${base}/work`, { headers: { "x-request-id": secret } });
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(requests.lines.join("\n")).not.toContain(secret);
    }
  });

  test("a failing request is one error line with the error masked; a healthy /healthz is not logged", async () => {
    const failed = await fetch(`${base}/fail`, { headers: secretHeaders });
    expect(failed.status).toBe(500);
    const requestId = failed.headers.get("x-request-id");
    const lines = requests.parsed().filter((l) => l.requestId === requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "error", path: "/fail", status: 500 });
    const health = await fetch(`${base}/healthz`);
    expect(requests.parsed().filter((l) => l.requestId === health.headers.get("x-request-id"))).toEqual([]);
    expectNoSecrets(requests.lines);
  });

  test("a 4xx is a warn line", async () => {
    const missing = await fetch(`${base}/no-such-page/${LINK_TOKEN}`);
    const line = requests.parsed().find((l) => l.requestId === missing.headers.get("x-request-id"));
    expect(line).toMatchObject({ level: "warn", status: 404, path: "/no-such-page/[redacted]" });
    expectNoSecrets(requests.lines);
  });
});

test("the leak check finds what the masks would hide, so a clean log is not clean by accident", () => {
  const raw = JSON.stringify({ msg: `hi ${EMAIL}`, cookie: COOKIE, authorization: BEARER, token: TOKEN });
  expect(findLogLeaks(raw, [])).toHaveLength(1);
  expect(findLogLeaks(raw, [])[0]).toMatch(/an email address.*a session cookie.*a bearer token.*a GitHub token/);
  expect(findLogLeaks(`{"msg":"/unsubscribe/${LINK_TOKEN}"}`, [])).toHaveLength(1);
  expect(findLogLeaks(`{"msg":"ok","login":"ada"}`, ["hunter2hunter2"])).toEqual([]);
  expect(findLogLeaks(`{"msg":"key hunter2hunter2"}`, ["hunter2hunter2"])).toHaveLength(1);
});

test("the run's log check fails on an empty or missing log and on a leak, and counts a clean one's lines", () => {
  const dir = mkdtempSync(join(tmpdir(), "roadies-logs-"));
  const file = join(dir, "run.log");
  expect(() => checkRunLog(file)).toThrow(/is empty/);
  writeFileSync(file, "");
  expect(() => checkRunLog(file)).toThrow(/is empty/);
  writeFileSync(file, `{"msg":"ok"}\n{"msg":"mail to ${EMAIL}"}\n`);
  expect(() => checkRunLog(file)).toThrow(/an email address/);
  writeFileSync(file, `{"msg":"ok"}\n{"msg":"mail to [redacted]"}\n`);
  expect(checkRunLog(file)).toBe(2);
});
