// The built server against hostile and malformed requests: a form that once took the process down
// (`categories[999999999]=x`, 40,000 repeats) is a quick 400 while /healthz keeps answering; bad
// percent-encoding in a path is a 400, unsupported methods a 405 with Allow; and each client mistake
// leaves one warn line in the log, without a stack.
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "#tests/support/server-process.ts";
import { signInAs } from "./security-helpers.ts";

/** Sends a raw HTTP/1.1 request (fetch refuses TRACE and CONNECT) and returns its status and headers. */
function raw(port: number, method: string, target: string): Promise<{ status: number; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    let text = "";
    socket.on("data", (chunk) => (text += chunk.toString("latin1")));
    socket.on("end", () => {
      const head = text.split("\r\n\r\n")[0] ?? "";
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head });
    });
    socket.on("error", reject);
  });
}

test("a hostile form is a quick 4xx and /healthz keeps answering; client mistakes log one warn line without a stack", async () => {
  test.setTimeout(90_000);
  const port = Number(process.env.E2E_PORT ?? 3111) + 53;
  const base = `http://127.0.0.1:${port}`;
  const server = startServer({
    NODE_ENV: "production",
    DEMO_MODE: "true",
    PORT: String(port),
    DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), "roadies-hostile-")), "hostile.db")}`,
    RATE_LIMIT_SIGNIN_PER_MINUTE: "200",
    RATE_LIMIT_WRITES_PER_MINUTE: "200",
    SCHEDULER: "off",
  });
  const { child } = server;
  const logLines = () =>
    server
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { level: string; msg: string; path?: string; status?: number; stack?: string });
  try {
    await expect
      .poll(async () => (await fetch(`${base}/healthz`).catch(() => null))?.status, { timeout: 30_000 })
      .toBe(200);
    const request = await playwrightRequest.newContext({ baseURL: base });
    const session = await signInAs(request, base, "ada-demo");
    const cookie = `${session.name}=${session.value}`;

    // /healthz polled throughout: the event loop must never be blocked for long.
    let polling = true;
    const health: { status: number; ms: number }[] = [];
    const poller = (async () => {
      while (polling) {
        const started = performance.now();
        const status = (await fetch(`${base}/healthz`).catch(() => null))?.status ?? 0;
        health.push({ status, ms: performance.now() - started });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const postProfile = (body: string) =>
      fetch(`${base}/settings/profile`, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
        body,
      });
    const huge = await postProfile("categories[999999999]=x");
    expect(huge.status).toBe(400);
    expect(await huge.text()).toMatch(/too large an index/);
    const repeated = await postProfile(Array(40_000).fill("categories=x").join("&"));
    expect(repeated.status).toBe(400);
    expect(await repeated.text()).toMatch(/too many fields/);
    await new Promise((r) => setTimeout(r, 200));
    polling = false;
    await poller;
    expect(health.length).toBeGreaterThan(2);
    expect(health.filter((h) => h.status !== 200)).toEqual([]);
    expect(Math.max(...health.map((h) => h.ms)), "slowest /healthz during the hostile posts (ms)").toBeLessThan(1_000);
    // Still signed in and serving: the process did not die.
    expect((await request.get("/settings/profile", { maxRedirects: 0 })).status()).toBe(200);
    await request.dispose();

    // Malformed requests: 4xx, never 500.
    for (const path of ["/calls/%C0%AF", "/packages/%FF", "/people/%E0%A4%A"]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(400);
    }
    for (const [method, target] of [
      ["TRACE", "/"],
      ["PATCH", "/calls/new"],
      ["PUT", "/calls"],
      ["DELETE", "/settings/account"],
      ["PROPFIND", "/"],
      ["CONNECT", "example.org:443"],
    ] as const) {
      const { status, head } = await raw(port, method, target);
      expect(status, `${method} ${target}`).toBe(405);
      expect(head, `${method} ${target}`).toMatch(/^Allow: GET, HEAD, POST, OPTIONS$/im);
    }
    const options = await raw(port, "OPTIONS", "/calls");
    expect(options.status).toBe(204);
    expect(options.head).toMatch(/^Allow: GET, HEAD, POST, OPTIONS$/im);
    // An old client's data request for a route that is not on the page (every page route has a loader
    // since the guides became content), and a page that does not exist.
    expect((await fetch(`${base}/guides?_data=routes%2Fno-such-route`)).status).toBe(403);
    expect((await fetch(`${base}/no-such-page`)).status).toBe(404);

    // The log: one warn line per client mistake, no stack; nothing at error level.
    await new Promise((r) => setTimeout(r, 200));
    const lines = logLines();
    for (const path of ["/settings/profile", "/calls/%C0%AF", "/packages/%FF", "/calls", "/guides", "/no-such-page"]) {
      const mistakes = lines.filter((l) => l.path === path && typeof l.status === "number" && l.status >= 400);
      expect(mistakes.length, `log lines for ${path}`).toBeGreaterThan(0);
      for (const line of mistakes) {
        expect(line.level, `${path}: ${JSON.stringify(line)}`).toBe("warn");
        expect(line.stack).toBeUndefined();
      }
      // Nothing else about that path: no second line with a stack.
      expect(lines.filter((l) => l.path === path && l.status === undefined)).toEqual([]);
    }
    expect(lines.filter((l) => l.level === "error" || l.stack !== undefined)).toEqual([]);
  } finally {
    child.kill("SIGTERM");
  }
});
