// github.server.ts (and arctic inside it) talking HTTP to the local GitHub stand-in.
import express from "express";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { createGitHubStandIn, standInIdFor, type Identity } from "#tests/fakes/github.ts";

const ada: Identity = {
  id: 1001,
  login: "ada",
  name: "Ada Lovelace",
  createdAt: "2012-03-04T05:06:07Z",
  emails: [
    { email: "ada-old@example.org", primary: false, verified: true },
    { email: "ada@example.org", primary: true, verified: true },
  ],
};
// Primary address unverified: a verified secondary one must not be used instead.
const grace: Identity = {
  id: 1002,
  login: "Grace",
  name: null,
  createdAt: "2020-01-01T00:00:00Z",
  emails: [
    { email: "grace@example.org", primary: true, verified: false },
    { email: "grace-work@example.org", primary: false, verified: true },
  ],
};
const linus: Identity = { id: 1003, login: "linus", name: "Linus", createdAt: "2015-05-05T00:00:00Z", emails: [] };
const margaret: Identity = { id: 1004, login: "margaret", name: null, createdAt: "2016-06-06T00:00:00Z", emails: [] };

const standIn = createGitHubStandIn({
  identities: [ada, grace, linus, margaret],
  repos: [
    {
      owner: "django-commons",
      name: "django-roadie",
      description: "A package that needs a roadie",
      stars: 321,
      openIssues: 12,
      pushedAt: "2024-02-03T04:05:06Z",
      license: "BSD-3-Clause",
      defaultBranch: "main",
      permissions: { ada: "admin", grace: "maintain", linus: "push" },
    },
    { owner: "someone", name: "secret", private: true, permissions: { ada: "triage" } },
  ],
});

let server: { url: string; close(): Promise<void> };
let github: typeof import("#app/utils/github.server.ts");

beforeAll(async () => {
  server = await standIn.listen();
  process.env.GITHUB_OAUTH_URL = server.url;
  process.env.GITHUB_API_URL = `${server.url}/api`;
  process.env.APP_URL = "http://127.0.0.1:3999";
  // Imported after the environment is set: env() reads it once per module instance.
  github = await import("#app/utils/github.server.ts");
});

afterAll(async () => {
  await server?.close();
});

/** What a browser does on the stand-in's page when the person picks `login`: returns the code. */
async function approve(login: string, options: { state?: string; scope?: string } = {}) {
  const url = new URL(github.githubAuthorizationUrl(options.state ?? "state-1"));
  if (options.scope !== undefined) url.searchParams.set("scope", options.scope);
  url.pathname += "/approve";
  url.searchParams.set("login", login);
  const response = await fetch(url, { redirect: "manual" });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location")!);
  return { code: location.searchParams.get("code")!, location };
}

async function tokenFor(login: string) {
  return github.exchangeGitHubCode((await approve(login)).code);
}

async function failure(pending: Promise<unknown>) {
  const error = await pending.then(
    () => {
      throw new Error("expected a GitHubError");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(github.GitHubError);
  return error as InstanceType<typeof github.GitHubError>;
}

describe("sign-in", () => {
  test("the authorization URL asks GitHub for the person's profile and addresses", () => {
    const url = github.githubAuthorizationUrl("abc");
    expect(url.origin + url.pathname).toBe(`${server.url}/login/oauth/authorize`);
    expect(url.searchParams.get("client_id")).toBe("roadies-demo");
    expect(url.searchParams.get("redirect_uri")).toBe("http://127.0.0.1:3999/auth/github/callback");
    expect(url.searchParams.get("scope")).toBe("read:user user:email");
    expect(url.searchParams.get("state")).toBe("abc");
  });

  test("a person picks an identity on the stand-in page and is signed in with it", async () => {
    const page = await fetch(github.githubAuthorizationUrl("s-page"));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("<title>Sign in to Roadies (GitHub stand-in)</title>");
    expect(html).toMatch(/<main>\s*<h1>Sign in to Roadies \(GitHub stand-in\)<\/h1>/);
    expect(html).toContain("local stand-in for GitHub");
    expect(html).toMatch(/<label for="login">or type any GitHub login<\/label>\s*<input id="login"/);
    // A strict CSP applies: nothing inline.
    expect(html).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);

    // Submit the identities form as a browser would: its action and hidden fields, plus the button.
    const form = /<form method="get" action="([^"]+)">([\s\S]*?)<\/form>/.exec(html)!;
    expect(form[2]).toContain('value="ada"');
    const target = new URL(form[1]!, page.url);
    for (const [, name, value] of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      target.searchParams.set(
        name!,
        value!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))),
      );
    }
    target.searchParams.set("login", "ada");
    const redirect = await fetch(target, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    const callback = new URL(redirect.headers.get("location")!);
    expect(callback.origin + callback.pathname).toBe("http://127.0.0.1:3999/auth/github/callback");
    expect(callback.searchParams.get("state")).toBe("s-page");

    const token = await github.exchangeGitHubCode(callback.searchParams.get("code")!);
    expect((await github.fetchGitHubIdentity(token)).login).toBe("ada");
  });

  test("the identity keeps only the primary verified address", async () => {
    const identity = await github.fetchGitHubIdentity(await tokenFor("ada"));
    expect(identity).toEqual({
      id: 1001,
      login: "ada",
      name: "Ada Lovelace",
      avatarUrl: "https://avatars.githubusercontent.com/u/1001?v=4",
      createdAt: Date.parse("2012-03-04T05:06:07Z"),
      email: "ada@example.org",
    });
  });

  test("an unverified primary address gives no address at all", async () => {
    const identity = await github.fetchGitHubIdentity(await tokenFor("grace"));
    expect(identity.login).toBe("Grace");
    expect(identity.name).toBeNull();
    expect(identity.email).toBeNull();
  });

  test("a token without the user:email scope still signs in, without an address", async () => {
    const { code } = await approve("ada", { scope: "read:user" });
    const identity = await github.fetchGitHubIdentity(await github.exchangeGitHubCode(code));
    expect(identity.id).toBe(1001);
    expect(identity.email).toBeNull();
  });

  test("a login typed on the page becomes a stable identity with a noreply address", async () => {
    const first = await github.fetchGitHubIdentity(await tokenFor("New-Person"));
    expect(first).toMatchObject({
      id: standInIdFor("new-person"),
      login: "New-Person",
      createdAt: Date.parse("2019-01-01T00:00:00Z"),
      email: "new-person@users.noreply.example",
    });
    const again = await github.fetchGitHubIdentity(await tokenFor("new-person"));
    expect(again.id).toBe(first.id);
  });

  test("a renamed account keeps its id and its tokens; the old login is free again", async () => {
    const renamed: Identity = { ...margaret, id: 1005, login: "rename-me" };
    standIn.addIdentity(renamed);
    const token = await tokenFor("rename-me");
    standIn.addIdentity({ ...renamed, login: "renamed" });
    expect(await github.fetchGitHubIdentity(token)).toMatchObject({ id: 1005, login: "renamed" });
    const newcomer = await github.fetchGitHubIdentity(await tokenFor("rename-me"));
    expect(newcomer.id).toBe(standInIdFor("rename-me"));
  });

  test("a code works once", async () => {
    const { code } = await approve("ada");
    await github.exchangeGitHubCode(code);
    expect((await failure(github.exchangeGitHubCode(code))).kind).toBe("bad_code");
  });

  test("an unknown code is a bad code", async () => {
    expect((await failure(github.exchangeGitHubCode("0123456789abcdef0123"))).kind).toBe("bad_code");
  });

  test("an invalid token is unauthorized", async () => {
    expect((await failure(github.fetchGitHubIdentity("gho_not-a-real-token"))).kind).toBe("unauthorized");
  });

  test("cancelling goes back to the app with access_denied and the state", async () => {
    const url = github.githubAuthorizationUrl("s-cancel");
    url.pathname += "/cancel";
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("error_description")).toBeTruthy();
    expect(location.searchParams.get("state")).toBe("s-cancel");
    expect(location.searchParams.has("code")).toBe(false);
  });

  test("an invalid typed login is refused on the page, next to the field", async () => {
    const url = github.githubAuthorizationUrl("s");
    url.pathname += "/approve";
    url.searchParams.set("login", "-bad login-");
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('aria-describedby="login-problem"');
    expect(html).toContain('id="login-problem"');
  });
});

describe("the stand-in follows GitHub's OAuth endpoints", () => {
  test("a sign-in link without client_id or with a non-http redirect is refused", async () => {
    const missing = await fetch(`${server.url}/login/oauth/authorize?redirect_uri=http://x.example/cb`);
    expect(missing.status).toBe(400);
    const page = await missing.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain("<main>");
    const javascript = await fetch(
      `${server.url}/login/oauth/authorize?client_id=roadies-demo&redirect_uri=${encodeURIComponent("javascript:alert(1)")}`,
    );
    expect(javascript.status).toBe(400);
  });

  test("the token endpoint answers form-encoded unless JSON is asked for, and errors with 200", async () => {
    const basic = `Basic ${Buffer.from("roadies-demo:roadies-demo-secret").toString("base64")}`;
    const { code } = await approve("ada");
    const form = await fetch(`${server.url}/login/oauth/access_token`, {
      method: "POST",
      headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ code }),
    });
    expect(form.status).toBe(200);
    const fields = new URLSearchParams(await form.text());
    expect(fields.get("access_token")).toMatch(/^gho_[A-Za-z0-9]{36}$/);
    expect(fields.get("token_type")).toBe("bearer");
    expect(fields.get("scope")).toBe("read:user,user:email");

    const wrongClient = await fetch(`${server.url}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: "roadies-demo", client_secret: "wrong", code: "x" }),
    });
    expect(wrongClient.status).toBe(200);
    expect(await wrongClient.json()).toMatchObject({ error: "incorrect_client_credentials" });
  });

  test("mounted under a path in Express, the page's relative links and the API still work", async () => {
    const mounted = createGitHubStandIn({ identities: [ada] });
    const app = express();
    app.use("/_demo/github", mounted.handler);
    const http = app.listen(0, "127.0.0.1");
    await new Promise((done) => http.once("listening", done));
    try {
      const base = `http://127.0.0.1:${(http.address() as { port: number }).port}/_demo/github`;
      const query = "client_id=roadies-demo&redirect_uri=http%3A%2F%2F127.0.0.1%3A3999%2Fcb&state=st&scope=read%3Auser";
      const page = await fetch(`${base}/login/oauth/authorize?${query}`);
      const action = /action="([^"]+)"/.exec(await page.text())![1]!;
      const approveUrl = new URL(action, page.url);
      expect(approveUrl.pathname).toBe("/_demo/github/login/oauth/authorize/approve");
      const redirect = await fetch(`${approveUrl}?${query}&login=ada`, { redirect: "manual" });
      const code = new URL(redirect.headers.get("location")!).searchParams.get("code")!;
      const token = await fetch(`${base}/login/oauth/access_token`, {
        method: "POST",
        headers: { accept: "application/json" },
        body: new URLSearchParams({ client_id: "roadies-demo", client_secret: "roadies-demo-secret", code }),
      }).then((r) => r.json() as Promise<{ access_token: string }>);
      const user = await fetch(`${base}/api/user`, { headers: { authorization: `Bearer ${token.access_token}` } });
      expect(user.status).toBe(200);
      expect(await user.json()).toMatchObject({ login: "ada", id: 1001 });
    } finally {
      await new Promise((done) => http.close(done));
      http.closeAllConnections();
    }
  });
});

describe("repositories", () => {
  test("permissions follow the person's role, each role including the ones below", async () => {
    const repo = await github.fetchRepository(await tokenFor("ada"), "django-commons", "django-roadie");
    expect(repo).toEqual({
      fullName: "django-commons/django-roadie",
      htmlUrl: "https://github.com/django-commons/django-roadie",
      description: "A package that needs a roadie",
      archived: false,
      private: false,
      stargazers: 321,
      openIssues: 12,
      pushedAt: Date.parse("2024-02-03T04:05:06Z"),
      defaultBranch: "main",
      license: "BSD-3-Clause",
      permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    });
    const maintainer = await github.fetchRepository(await tokenFor("grace"), "django-commons", "django-roadie");
    expect(maintainer.permissions).toEqual({ admin: false, maintain: true, push: true, triage: true, pull: true });
    const committer = await github.fetchRepository(await tokenFor("linus"), "Django-Commons", "Django-Roadie");
    expect(committer.permissions).toEqual({ admin: false, maintain: false, push: true, triage: true, pull: true });
    const outsider = await github.fetchRepository(await tokenFor("margaret"), "django-commons", "django-roadie");
    expect(outsider.permissions).toEqual({ admin: false, maintain: false, push: false, triage: false, pull: true });
  });

  test("an unknown repository, a private one without access, or an invalid name is not found", async () => {
    const token = await tokenFor("margaret");
    expect((await failure(github.fetchRepository(token, "django-commons", "nope"))).kind).toBe("not_found");
    expect((await failure(github.fetchRepository(token, "someone", "secret"))).kind).toBe("not_found");
    expect((await failure(github.fetchRepository(token, "..", "user"))).kind).toBe("not_found");
    const triager = await github.fetchRepository(await tokenFor("ada"), "someone", "secret");
    expect(triager.private).toBe(true);
    expect(triager.permissions.triage).toBe(true);
    expect(triager.permissions.push).toBe(false);
  });

  test("when the rate limit is used up, the error says when to try again", async () => {
    const token = await tokenFor("linus");
    standIn.setRateLimit(2);
    try {
      await github.fetchRepository(token, "django-commons", "django-roadie");
      await github.fetchRepository(token, "django-commons", "django-roadie");
      const direct = await fetch(`${server.url}/api/user`, { headers: { authorization: `Bearer ${token}` } });
      expect(direct.status).toBe(403);
      expect(direct.headers.get("x-ratelimit-remaining")).toBe("0");
      expect(direct.headers.get("x-ratelimit-resource")).toBe("core");
      expect(((await direct.json()) as { message: string }).message).toMatch(/^API rate limit exceeded/);
      const resetAt = Number(direct.headers.get("x-ratelimit-reset")) * 1000;

      const error = await failure(github.fetchRepository(token, "django-commons", "django-roadie"));
      expect(error.kind).toBe("rate_limited");
      expect(error.resetAt).toBe(resetAt);
      expect(error.resetAt).toBeGreaterThan(Date.now());
    } finally {
      standIn.setRateLimit(null);
    }
  });

  test("every API answer carries GitHub's rate-limit headers", async () => {
    const response = await fetch(`${server.url}/api/user`, { headers: { authorization: "Bearer nope" } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: "Bad credentials" });
    for (const name of ["limit", "remaining", "used", "reset", "resource"]) {
      expect(response.headers.get(`x-ratelimit-${name}`)).toBeTruthy();
    }
  });
});

test("a GitHub that cannot be reached is unreachable, never a crash", async () => {
  // A port that was free a moment ago and now has nobody listening.
  const port = await new Promise<number>((done) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
  process.env.GITHUB_OAUTH_URL = `http://127.0.0.1:${port}`;
  process.env.GITHUB_API_URL = `http://127.0.0.1:${port}/api`;
  // env() is memoized, so load fresh copies of the modules that read it.
  vi.resetModules();
  const offline = await import("#app/utils/github.server.ts");
  const calls = [
    () => offline.exchangeGitHubCode("abc"),
    () => offline.fetchGitHubIdentity("gho_x"),
    () => offline.fetchRepository("gho_x", "django-commons", "django-roadie"),
  ];
  for (const call of calls) {
    const error = await call().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(offline.GitHubError);
    expect((error as InstanceType<typeof offline.GitHubError>).kind).toBe("unreachable");
  }
});
