// The sign-in flow through our real routes, arctic over HTTP and the GitHub stand-in.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { APP, context } from "#tests/support/routes.ts";
import { createGitHubStandIn } from "#tests/fakes/github.ts";

const standIn = createGitHubStandIn({
  identities: [
    {
      id: 501,
      login: "grace",
      name: "Grace H",
      createdAt: "2015-03-01T00:00:00Z",
      emails: [
        { email: "grace-old@example.org", primary: false, verified: true },
        { email: "grace@example.org", primary: true, verified: true },
      ],
    },
    {
      id: 502,
      login: "unverified",
      name: null,
      createdAt: "2020-01-01T00:00:00Z",
      emails: [{ email: "nobody@example.org", primary: true, verified: false }],
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
const { decryptSecret } = await import("#app/utils/crypto.server.ts");
const { eq } = await import("drizzle-orm");

afterAll(() => server.close());

/** Starts sign-in like the login form does; returns the state cookie and GitHub's authorize URL. */
async function start(next = "/") {
  const response = (await startSignIn({
    request: new Request(`${APP}/auth/github`, { method: "POST", body: new URLSearchParams({ next }) }),
    params: {},
    context,
  })) as Response;
  expect(response.status).toBe(302);
  const cookie = response.headers.get("set-cookie")!;
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Lax/);
  expect(cookie).toMatch(/Max-Age=600/);
  return { cookie: cookie.split(";")[0]!, authorize: new URL(response.headers.get("location")!) };
}

/** What the person does on GitHub: approve as `login`. Returns the callback URL GitHub sends them to. */
async function approve(authorize: URL, login: string) {
  const url = new URL(authorize);
  url.pathname += "/approve";
  url.searchParams.set("login", login);
  const response = await fetch(url, { redirect: "manual" });
  return new URL(response.headers.get("location")!);
}

async function runCallback(url: URL | string, cookie?: string) {
  const request = new Request(url, { headers: cookie ? { Cookie: cookie } : {} });
  try {
    return await callback({ request, params: {}, context });
  } catch (thrown) {
    return thrown;
  }
}

type DataResult = { data: { problem: string }; init: { status: number } };
const statusOf = (result: unknown) => (result instanceof Response ? result.status : (result as DataResult).init.status);
const problemOf = (result: unknown) => (result as DataResult).data.problem;
const usersCount = async () => (await db().select().from(schema.users).all()).length;

describe("sign-in with GitHub", () => {
  let before = 0;
  beforeAll(async () => {
    before = await usersCount();
  });

  test("POST /auth/github redirects to GitHub's authorize URL with the scopes and a fresh state", async () => {
    const a = await start();
    const b = await start();
    expect(a.authorize.origin + a.authorize.pathname).toBe(`${server.url}/login/oauth/authorize`);
    expect(a.authorize.searchParams.get("scope")).toBe("read:user user:email");
    expect(a.authorize.searchParams.get("redirect_uri")).toBe(`${APP}/auth/github/callback`);
    expect(a.authorize.searchParams.get("state")).not.toBe(b.authorize.searchParams.get("state"));
  });

  test.each([
    ["no code", (u: URL) => u.searchParams.delete("code"), true],
    ["no state", (u: URL) => u.searchParams.delete("state"), true],
    ["a different state", (u: URL) => u.searchParams.set("state", "forged"), true],
    ["no stored state cookie", () => {}, false],
  ])("a callback with %s gets 400 and creates nothing", async (_name, mutate, sendCookie) => {
    const { cookie, authorize } = await start();
    const url = await approve(authorize, "grace");
    mutate(url);
    const result = await runCallback(url, sendCookie ? cookie : undefined);
    expect(statusOf(result)).toBe(400);
    expect(problemOf(result)).toBe("state");
    expect(await usersCount()).toBe(before);
  });

  test("GitHub's own error (the person cancelled) gets the friendly page and creates nothing", async () => {
    const { cookie, authorize } = await start();
    const result = await runCallback(
      `${APP}/auth/github/callback?error=access_denied&state=${authorize.searchParams.get("state")}`,
      cookie,
    );
    expect(statusOf(result)).toBe(400);
    expect(problemOf(result)).toBe("cancelled");
    expect(await usersCount()).toBe(before);
  });

  test("a code GitHub does not accept gets 400 and creates nothing", async () => {
    const { cookie, authorize } = await start();
    const url = await approve(authorize, "grace");
    url.searchParams.set("code", "not-a-code");
    const result = await runCallback(url, cookie);
    expect(statusOf(result)).toBe(400);
    expect(problemOf(result)).toBe("code");
    expect(await usersCount()).toBe(before);
  });

  test("an unreachable GitHub gets a 502 page and creates nothing", async () => {
    const { cookie, authorize } = await start();
    const url = await approve(authorize, "grace");
    const { env } = await import("#app/utils/env.server.ts");
    const saved = env().github.oauthUrl;
    env().github.oauthUrl = "http://127.0.0.1:9";
    try {
      const result = await runCallback(url, cookie);
      expect(statusOf(result)).toBe(502);
      expect(problemOf(result)).toBe("github");
    } finally {
      env().github.oauthUrl = saved;
    }
    expect(await usersCount()).toBe(before);
  });

  test("a good callback creates the user with the primary verified email and signs them in", async () => {
    const { cookie, authorize } = await start("/settings/sessions?tab=1");
    const result = await runCallback(await approve(authorize, "grace"), cookie);
    expect(result).toBeInstanceOf(Response);
    const response = result as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/settings/sessions?tab=1");
    const cookies = response.headers.get("set-cookie")!;
    expect(cookies).toMatch(/roadies_oauth=;/);
    expect(cookies).toMatch(/roadies_session=[^;]+\.[^;]+; Path=\/; HttpOnly; SameSite=Lax/);

    const user = await db().select().from(schema.users).where(eq(schema.users.githubId, 501)).get();
    expect(user?.login).toBe("grace");
    expect(user?.email).toBe("grace@example.org");
    expect(user?.githubCreatedAt).toBe(Date.parse("2015-03-01T00:00:00Z"));
    // The token is kept only encrypted.
    expect(user?.githubTokenEnc).not.toMatch(/^gho_/);
    expect(decryptSecret(user!.githubTokenEnc!)).toMatch(/^gho_/);
  });

  test("a state can be used once: replaying the callback fails", async () => {
    const { cookie, authorize } = await start();
    const url = await approve(authorize, "grace");
    expect(statusOf(await runCallback(url, cookie))).toBe(302);
    // The browser dropped the cookie after the first use; the code is spent either way.
    expect(statusOf(await runCallback(url))).toBe(400);
    expect(statusOf(await runCallback(url, cookie))).toBe(400);
  });

  test("an OAuth state is single-use on the server: a replayed state fails even with a fresh, valid code", async () => {
    const { cookie, authorize } = await start();
    expect(statusOf(await runCallback(await approve(authorize, "grace"), cookie))).toBe(302);
    // Same cookie, same state, a code GitHub would accept: only our server can refuse it now.
    const replay = await runCallback(await approve(authorize, "grace"), cookie);
    expect(statusOf(replay)).toBe(400);
    expect(problemOf(replay)).toBe("state");
  });

  test("an OAuth state is single-use on the server: of two concurrent callbacks with one state, one signs in", async () => {
    const { cookie, authorize } = await start();
    const urls = await Promise.all([approve(authorize, "grace"), approve(authorize, "grace")]);
    const statuses = (await Promise.all(urls.map((url) => runCallback(url, cookie)))).map(statusOf).sort();
    expect(statuses).toEqual([302, 400]);
  });

  test("an expired OAuth state is refused even with its cookie", async () => {
    const { cookie, authorize } = await start();
    const state = authorize.searchParams.get("state")!;
    const { checkOAuthState } = await import("#app/utils/oauth-state.server.ts");
    const request = new Request(`${APP}/auth/github/callback`, { headers: { Cookie: cookie } });
    expect(await checkOAuthState(request, state, Date.now() + 11 * 60 * 1000)).toBeNull();
  });

  test("an unverified primary email is not kept", async () => {
    const { cookie, authorize } = await start();
    await runCallback(await approve(authorize, "unverified"), cookie);
    const user = await db().select().from(schema.users).where(eq(schema.users.githubId, 502)).get();
    expect(user).toBeDefined();
    expect(user?.email).toBeNull();
  });

  test("a renamed GitHub login updates the same person", async () => {
    standIn.addIdentity({
      id: 501,
      login: "grace-renamed",
      name: "Grace H",
      createdAt: "2015-03-01T00:00:00Z",
      emails: [{ email: "grace@example.org", primary: true, verified: true }],
    });
    const { cookie, authorize } = await start();
    await runCallback(await approve(authorize, "grace-renamed"), cookie);
    const rows = await db().select().from(schema.users).where(eq(schema.users.githubId, 501)).all();
    expect(rows.map((r) => r.login)).toEqual(["grace-renamed"]);
  });

  test("next paths that leave the site are replaced by the home page", async () => {
    for (const next of ["https://evil.example/", "//evil.example", "/\\evil.example"]) {
      const { cookie, authorize } = await start(next);
      const result = (await runCallback(await approve(authorize, "grace-renamed"), cookie)) as Response;
      expect(result.headers.get("location")).toBe("/");
    }
  });
});
