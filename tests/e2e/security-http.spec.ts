// HTTP-level defences of the running production build: cross-site POSTs refused on every action
// route, security headers with a CSP nonce that every inline script carries, `Cache-Control:
// no-store` on everything a signed-in person sees, the anonymous page cache never serving them,
// logout invalidation, and per-address rate limits.
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { request as httpRequest } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { paramsFor, routeMatrix } from "../security/route-matrix.ts";
import { routeFiles, routePath } from "../security/world.ts";
import { startServer } from "#tests/support/server-process.ts";
import { signInAs } from "./security-helpers.ts";

// Token-authenticated endpoints (signatures, bearer tokens, signed links) skip the origin check on
// purpose (server.ts): they must still refuse a forged request, with 401/404 instead of 403.
const tokenAuthenticated = (path: string) =>
  /^\/(webhooks|internal)\//.test(path) || /^\/unsubscribe\/[^/]+\/one-click$/.test(path);

const actionPaths = routeFiles()
  .filter((r) => routeMatrix[r]?.action !== "none")
  .map((r) => routePath(r, paramsFor(r)));

test("every action route refuses a cross-site POST, even from a signed-in browser", async ({ baseURL }) => {
  const request = await playwrightRequest.newContext({ baseURL });
  await signInAs(request, baseURL!, "ada-demo");
  const forged: Record<string, string>[] = [
    { Origin: "https://evil.example" },
    { Origin: "null" },
    { Origin: `${baseURL}.evil.example` },
    { "Sec-Fetch-Site": "cross-site" },
    { "Sec-Fetch-Site": "same-site" },
  ];
  const problems: string[] = [];
  for (const path of actionPaths) {
    for (const headers of forged) {
      const response = await request.post(path, {
        headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
        data: "intent=delete&confirm=ada-demo",
        maxRedirects: 0,
      });
      const ok = tokenAuthenticated(path)
        ? [401, 403, 404, 410].includes(response.status())
        : response.status() === 403;
      if (!ok) problems.push(`${path} with ${JSON.stringify(headers)}: ${response.status()}`);
    }
  }
  expect(problems).toEqual([]);
  // Still signed in: none of the forged requests did anything (the account was not deleted).
  const me = await request.get("/settings/sessions", { maxRedirects: 0 });
  expect(me.status()).toBe(200);
  await request.dispose();
});

/** The pages a person can open: loaders that answer 200 (HTML pages, not feeds or files). */
function pagesFor(role: "anonymous" | "admin") {
  return routeFiles()
    .filter((r) => !/\[\.\]|\.html$|_\.markdown$|\.export$|^api\.|^dev\.|^auth\.|^webhooks|^internal|^logout/.test(r))
    .filter((r) => {
      const loader = routeMatrix[r]?.loader;
      return loader === "none" || loader?.[role] === "200";
    })
    .map((r) => routePath(r, paramsFor(r)));
}

function checkCsp(path: string, headers: Record<string, string>, html: string, problems: string[]) {
  const csp = headers["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  if (!nonce) problems.push(`${path}: no CSP nonce`);
  if (/unsafe-inline|unsafe-eval/.test(csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "")) {
    problems.push(`${path}: script-src allows inline or eval`);
  }
  for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"]) {
    if (!csp.includes(directive)) problems.push(`${path}: CSP lacks ${directive}`);
  }
  if (headers["x-content-type-options"] !== "nosniff") problems.push(`${path}: no nosniff`);
  if (!headers["referrer-policy"]) problems.push(`${path}: no Referrer-Policy`);
  if (headers["x-powered-by"]) problems.push(`${path}: X-Powered-By`);
  // Every script element (inline or not) carries this response's nonce; no inline event handlers.
  for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
    if (!tag.includes(`nonce="${nonce}"`)) problems.push(`${path}: script without the nonce: ${tag.slice(0, 80)}`);
  }
  const handler = /<[a-z][^>]*\son[a-z]+\s*=/i.exec(html);
  if (handler) problems.push(`${path}: inline event handler ${handler[0].slice(0, 80)}`);
}

test("every page carries the security headers, and its scripts the response's own nonce", async ({
  request,
  baseURL,
}) => {
  const problems: string[] = [];
  const nonces = new Set<string>();
  for (const path of pagesFor("anonymous")) {
    const response = await request.get(path, { maxRedirects: 0 });
    if (response.status() !== 200) {
      problems.push(`${path}: ${response.status()} for a visitor`);
      continue;
    }
    const headers = response.headers();
    checkCsp(path, headers, await response.text(), problems);
    nonces.add(/'nonce-([^']+)'/.exec(headers["content-security-policy"] ?? "")?.[1] ?? "");
  }
  expect(problems).toEqual([]);
  // A cached page is served with a fresh CSP header but its stored HTML: the nonce must still match.
  const first = await request.get("/calls");
  const second = await request.get("/calls");
  expect(second.headers()["x-cache"]).toBe("hit");
  const cachedProblems: string[] = [];
  checkCsp("/calls (cached)", second.headers(), await second.text(), cachedProblems);
  expect(cachedProblems).toEqual([]);
  expect(first.status()).toBe(200);
  void baseURL;
});

test("signed-in pages are never stored by caches, and the page cache never serves them", async ({ baseURL }) => {
  const request = await playwrightRequest.newContext({ baseURL });
  // Warm the anonymous cache first: a signed-in person must not get those copies.
  const anonymous = await playwrightRequest.newContext({ baseURL });
  for (const path of ["/", "/calls", "/packages"]) {
    await anonymous.get(path);
    expect((await anonymous.get(path)).headers()["x-cache"], `${path} is cached for visitors`).toBe("hit");
  }
  await signInAs(request, baseURL!, "ada-demo");
  const problems: string[] = [];
  for (const path of pagesFor("admin")) {
    const response = await request.get(path, { maxRedirects: 0 });
    const headers = response.headers();
    if (response.status() !== 200) problems.push(`${path}: ${response.status()} for an admin`);
    if (!/no-store/.test(headers["cache-control"] ?? "")) {
      problems.push(`${path}: Cache-Control ${headers["cache-control"] ?? "(none)"}`);
    }
    if (headers["x-cache"]) problems.push(`${path}: X-Cache ${headers["x-cache"]} for a signed-in person`);
    checkCsp(path, headers, await response.text(), problems);
  }
  expect(problems).toEqual([]);
  // The signed-in home page shows the person, not the cached visitor's page.
  const home = await request.get("/");
  expect(await home.text()).toContain("Ada");
  // Data requests (client navigation) are private too.
  const dataRequest = await request.get("/calls.data?_routes=routes%2Fcalls._index");
  expect(dataRequest.headers()["cache-control"] ?? "").toMatch(/no-store/);
  await request.dispose();
  await anonymous.dispose();
});

test("the cross-site check compares Origin with APP_URL, not with the Host header the client chose", async ({
  baseURL,
}) => {
  const request = await playwrightRequest.newContext({ baseURL });
  const session = await signInAs(request, baseURL!, "bruno-demo");
  const base = new URL(baseURL!);
  // A Host header names whatever the sender likes (a hostile page's request through a rebinding
  // name, a proxy forwarding it): an Origin that merely matches it proves nothing.
  const forged = [
    { host: "evil.example", origin: "http://evil.example" },
    { host: `localhost:${base.port}`, origin: `http://localhost:${base.port}` },
  ];
  for (const { host, origin } of forged) {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: base.hostname,
          port: base.port,
          path: "/logout",
          method: "POST",
          headers: {
            Host: host,
            Origin: origin,
            Cookie: `${session.name}=${session.value}`,
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": "0",
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status, `POST /logout with Host ${host} and Origin ${origin}`).toBe(403);
  }
  // Nothing happened: the session is still good.
  expect((await request.get("/settings/sessions", { maxRedirects: 0 })).status()).toBe(200);
  await request.dispose();
});

test("the demo answers on APP_URL's host: a page opened through another name is sent there", async ({ baseURL }) => {
  const base = new URL(baseURL!);
  const answer = await new Promise<{ status: number; location?: string }>((resolve, reject) => {
    const req = httpRequest(
      { host: base.hostname, port: base.port, path: "/calls?sort=newest", headers: { Host: `localhost:${base.port}` } },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      },
    );
    req.on("error", reject);
    req.end();
  });
  expect(answer).toEqual({ status: 302, location: `${base.origin}/calls?sort=newest` });
});

test("logging out ends the session on the server: the old cookie no longer signs anyone in", async ({ baseURL }) => {
  const request = await playwrightRequest.newContext({ baseURL });
  const session = await signInAs(request, baseURL!, "bruno-demo");
  expect((await request.get("/settings/sessions", { maxRedirects: 0 })).status()).toBe(200);
  expect((await request.post("/logout", { headers: { Origin: baseURL! }, maxRedirects: 0 })).status()).toBe(302);
  // Replay the old cookie from a fresh client, as a thief who copied it would.
  const thief = await playwrightRequest.newContext({
    baseURL,
    extraHTTPHeaders: { Cookie: `${session.name}=${session.value}` },
  });
  const replay = await thief.get("/settings/sessions", { maxRedirects: 0 });
  expect(replay.status()).toBe(302);
  expect(replay.headers()["location"]).toMatch(/^\/login\?next=/);
  await request.dispose();
  await thief.dispose();
});

test("sign-in attempts and writes are rate limited per address, reads are not", async () => {
  // A server of its own with tiny limits, so the shared e2e server's budget is left alone.
  const port = Number(process.env.E2E_PORT ?? 3111) + 50;
  const dir = mkdtempSync(join(tmpdir(), "roadies-rate-"));
  const server = startServer({
    NODE_ENV: "production",
    DEMO_MODE: "true",
    PORT: String(port),
    DATABASE_URL: `file:${join(dir, "rate.db")}`,
    RATE_LIMIT_SIGNIN_PER_MINUTE: "3",
    RATE_LIMIT_WRITES_PER_MINUTE: "3",
    SCHEDULER: "off",
    LOG_LEVEL: "silent",
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await expect
      .poll(async () => (await fetch(`${base}/healthz`).catch(() => null))?.status, { timeout: 30_000 })
      .toBe(200);
    const post = (path: string) =>
      fetch(`${base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
        body: "next=/",
      });
    const signIns = [];
    for (let i = 0; i < 4; i++) signIns.push(await post("/auth/github"));
    expect(signIns.map((r) => r.status)).toEqual([302, 302, 302, 429]);
    expect(Number(signIns[3]!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await signIns[3]!.text()).toMatch(/Too many requests/);

    const writes = [];
    for (let i = 0; i < 4; i++) writes.push((await post("/logout")).status);
    expect(writes).toEqual([302, 302, 302, 429]);
    // Reading stays possible while writes are refused.
    expect((await fetch(`${base}/calls`)).status).toBe(200);
  } finally {
    server.child.kill("SIGTERM");
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});
