// Sessions and sign-in under attack: fixation and rotation, logout, expiry, tampered tokens, OAuth
// state from another browser, and open redirects on every redirecting parameter (`next`).
// tests/integration/sign-in.test.ts already covers a missing/forged state and replaying a callback.
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { APP, context } from "#tests/support/routes.ts";
import { createGitHubStandIn } from "#tests/fakes/github.ts";

const standIn = createGitHubStandIn({
  identities: [
    {
      id: 601,
      login: "mallory",
      name: "Mallory",
      createdAt: "2015-03-01T00:00:00Z",
      emails: [{ email: "mallory@example.org", primary: true, verified: true }],
    },
    {
      id: 602,
      login: "victor",
      name: "Victor",
      createdAt: "2015-03-01T00:00:00Z",
      emails: [{ email: "victor@example.org", primary: true, verified: true }],
    },
  ],
});
const server = await standIn.listen();
process.env.GITHUB_OAUTH_URL = server.url;
process.env.GITHUB_API_URL = `${server.url}/api`;
process.env.APP_URL = APP;

const { db, schema } = await import("#app/utils/db.server.ts");
const { action: startSignIn } = await import("#app/routes/auth.github.tsx");
const { loader: callback } = await import("#app/routes/auth.github_.callback.tsx");
const { action: logout } = await import("#app/routes/logout.tsx");
const { loader: login } = await import("#app/routes/login.tsx");
const { loader: sessionsPage } = await import("#app/routes/settings.sessions.tsx");
const { createSession, validateSessionToken, SESSION_TTL_MS } = await import("#app/models/people/sessions.server.ts");
const { safeRedirectPath } = await import("#app/utils/redirects.ts");
const { eq } = await import("drizzle-orm");

afterAll(() => server.close());

async function settle(run: () => unknown): Promise<Response> {
  try {
    const result = await run();
    if (result instanceof Response) return result;
    const init = (result as { init?: ResponseInit }).init;
    return new Response(null, { status: init?.status ?? 200, headers: init?.headers });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const sessionCookieOf = (response: Response) =>
  /roadies_session=([^;]+)/.exec(response.headers.get("set-cookie") ?? "")?.[1] ?? null;

/** The whole GitHub round trip in one browser: returns the callback's response. */
async function signIn(login: string, { cookie = "", next = "/" } = {}) {
  const started = (await startSignIn({
    request: new Request(`${APP}/auth/github`, { method: "POST", body: new URLSearchParams({ next }) }),
    params: {},
    context,
  })) as Response;
  const oauthCookie = started.headers.get("set-cookie")!.split(";")[0]!;
  const authorize = new URL(started.headers.get("location")!);
  authorize.pathname += "/approve";
  authorize.searchParams.set("login", login);
  const approved = await fetch(authorize, { redirect: "manual" });
  const back = approved.headers.get("location")!;
  return settle(() =>
    callback({
      request: new Request(back, { headers: { Cookie: [oauthCookie, cookie].filter(Boolean).join("; ") } }),
      params: {},
      context,
    }),
  );
}

const asPage = (token: string) =>
  settle(() =>
    sessionsPage({
      request: new Request(`${APP}/settings/sessions`, { headers: { Cookie: `roadies_session=${token}` } }),
      params: {},
      context,
    }),
  );

describe("session fixation and rotation", () => {
  test("a session token planted before sign-in is replaced, and stops working", async () => {
    // Mallory signs in, then plants her own session cookie in Victor's browser.
    const planted = sessionCookieOf(await signIn("mallory"))!;
    expect(planted).toBeTruthy();
    const victor = await signIn("victor", { cookie: `roadies_session=${planted}` });
    expect(victor.status).toBe(302);
    const after = sessionCookieOf(victor)!;
    expect(after).not.toBe(planted);
    expect((await validateSessionToken(decodeURIComponent(after)))?.user.login).toBe("victor");
    expect(await validateSessionToken(decodeURIComponent(planted))).toBeNull();
  });

  test("every sign-in makes a new session token, never reusing one", async () => {
    const first = sessionCookieOf(await signIn("victor"))!;
    const second = sessionCookieOf(await signIn("victor", { cookie: `roadies_session=${first}` }))!;
    const third = sessionCookieOf(await signIn("victor"))!;
    expect(new Set([first, second, third]).size).toBe(3);
    // Signing in again in the same browser ended that browser's previous session.
    expect(await validateSessionToken(decodeURIComponent(first))).toBeNull();
    expect(await validateSessionToken(decodeURIComponent(third))).not.toBeNull();
  });

  test("the session cookie is HttpOnly and SameSite=Lax, and holds no user id", async () => {
    const response = await signIn("victor");
    const header = response.headers.get("set-cookie")!;
    expect(header).toMatch(/roadies_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const user = await db().select().from(schema.users).where(eq(schema.users.login, "victor")).get();
    expect(sessionCookieOf(response)).not.toContain(String(user!.id) + ".");
  });
});

describe("an OAuth state belongs to the browser that started sign-in", () => {
  test("a callback carrying another browser's state cookie gets 400 and no session", async () => {
    const other = (await startSignIn({
      request: new Request(`${APP}/auth/github`, { method: "POST", body: new URLSearchParams({ next: "/" }) }),
      params: {},
      context,
    })) as Response;
    const otherCookie = other.headers.get("set-cookie")!.split(";")[0]!;
    const mine = (await startSignIn({
      request: new Request(`${APP}/auth/github`, { method: "POST", body: new URLSearchParams({ next: "/" }) }),
      params: {},
      context,
    })) as Response;
    const authorize = new URL(mine.headers.get("location")!);
    authorize.pathname += "/approve";
    authorize.searchParams.set("login", "victor");
    const back = (await fetch(authorize, { redirect: "manual" })).headers.get("location")!;
    const response = await settle(() =>
      callback({ request: new Request(back, { headers: { Cookie: otherCookie } }), params: {}, context }),
    );
    expect(response.status).toBe(400);
    expect(sessionCookieOf(response)).toBeNull();
  });

  test("a state cookie with an empty state never matches an empty state parameter", async () => {
    const response = await settle(() =>
      callback({
        request: new Request(`${APP}/auth/github/callback?code=x&state=`, {
          headers: { Cookie: "roadies_oauth=%7C%2F" },
        }),
        params: {},
        context,
      }),
    );
    expect(response.status).toBe(400);
  });
});

describe("logout and expiry", () => {
  test("after logout the old cookie is worthless on the server, and the browser is told to drop it", async () => {
    const token = decodeURIComponent(sessionCookieOf(await signIn("victor"))!);
    expect((await asPage(token)).status).toBe(200);
    const out = await settle(() =>
      logout({
        request: new Request(`${APP}/logout`, {
          method: "POST",
          headers: { Cookie: `roadies_session=${token}`, Origin: APP },
        }),
        params: {},
        context,
      }),
    );
    expect(out.status).toBe(302);
    expect(out.headers.get("set-cookie")).toMatch(/roadies_session=; .*Max-Age=0/);
    const again = await asPage(token);
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toMatch(/^\/login\?next=/);
  });

  test("a session unused for 30 days is refused and deleted", async () => {
    const user = await db().select().from(schema.users).where(eq(schema.users.login, "victor")).get();
    const longAgo = Date.now() - SESSION_TTL_MS - 1000;
    const { token, session } = await createSession(user!.id, "old browser", longAgo);
    expect(await validateSessionToken(token)).toBeNull();
    expect((await asPage(token)).headers.get("location")).toMatch(/^\/login/);
    const row = await db().select().from(schema.sessions).where(eq(schema.sessions.id, session.id)).get();
    expect(row).toBeUndefined();
  });

  test("a session in use slides forward instead of expiring", async () => {
    const user = await db().select().from(schema.users).where(eq(schema.users.login, "victor")).get();
    const start = Date.now() - SESSION_TTL_MS + 60 * 60 * 1000;
    const { token } = await createSession(user!.id, "busy browser", start);
    const used = await validateSessionToken(token, start + 10 * 60 * 1000);
    expect(used?.session.expiresAt).toBe(start + 10 * 60 * 1000 + SESSION_TTL_MS);
  });

  test("a token with the right id but a wrong or extra secret is refused", async () => {
    const user = await db().select().from(schema.users).where(eq(schema.users.login, "victor")).get();
    const { token } = await createSession(user!.id, null);
    const [id, secret] = token.split(".");
    for (const forged of [`${id}.${"A".repeat(secret!.length)}`, `${id}.`, `${id}`, `${token}.x`, `.${secret}`]) {
      expect(await validateSessionToken(forged), forged).toBeNull();
    }
  });
});

const offSite = [
  "https://evil.example/",
  "//evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\t/evil.example",
  "/%2F%2Fevil.example",
  "/%5Cevil.example",
  "https:evil.example",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  " //evil.example",
  "\u0000//evil.example",
  "/\u3002evil.example",
  "//evil.example%2F..",
  "///evil.example",
  "http://127.0.0.1:3999@evil.example",
];

/** A Location is safe when the browser would resolve it to our own origin. */
const staysHome = (location: string) => new URL(location, APP).origin === APP;

describe("open redirects", () => {
  test.each(offSite)("/login?next=%j sends a signed-in person home, not away", async (next) => {
    const user = await db().select().from(schema.users).where(eq(schema.users.login, "victor")).get();
    const { token } = await createSession(user!.id, null);
    const response = await settle(() =>
      login({
        request: new Request(`${APP}/login?next=${encodeURIComponent(next)}`, {
          headers: { Cookie: `roadies_session=${token}` },
        }),
        params: {},
        context,
      }),
    );
    expect(response.status).toBe(302);
    expect(staysHome(response.headers.get("location")!)).toBe(true);
  });

  test.each(offSite)("sign-in with next=%j comes back to this site", async (next) => {
    const response = await signIn("victor", { next });
    expect(response.status).toBe(302);
    expect(staysHome(response.headers.get("location")!)).toBe(true);
  });

  test("requireUser's own redirect keeps the asked-for path on this site", async () => {
    const response = await settle(() =>
      sessionsPage({ request: new Request(`${APP}/settings/sessions?x=//evil.example`), params: {}, context }),
    );
    const location = response.headers.get("location")!;
    const next = new URL(location, APP).searchParams.get("next")!;
    expect(staysHome(location)).toBe(true);
    expect(staysHome(safeRedirectPath(next))).toBe(true);
  });

  test("safeRedirectPath never leaves the site, whatever it is given (fast-check)", () => {
    const prefix = fc.constantFrom("", "/", "//", "/\\", "\\", "https:", "http://", " ", "\t", "/%2F", "%2F");
    fc.assert(
      fc.property(prefix, fc.string({ unit: "binary", maxLength: 30 }), (p, rest) => {
        const out = safeRedirectPath(p + rest);
        return out.startsWith("/") && staysHome(out);
      }),
      { numRuns: 2000, seed: 20261124 },
    );
  });
});
