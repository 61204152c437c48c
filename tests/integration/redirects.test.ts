// Redirect targets are same-origin paths after normalisation, through the routes that redirect to a
// target the visitor chose: /login (signed in: straight to `next`), POST /auth/github (stores `next`
// in the OAuth state cookie) and the GitHub callback (redirects to it). The table of forms is
// tests/unit/redirects.test.ts; these are the ones a browser normalises off the site.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { APP, context } from "#tests/support/routes.ts";
import { createGitHubStandIn } from "#tests/fakes/github.ts";

const standIn = createGitHubStandIn({
  identities: [
    {
      id: 701,
      login: "rhea",
      name: "Rhea",
      createdAt: "2015-03-01T00:00:00Z",
      emails: [{ email: "rhea@example.org", primary: true, verified: true }],
    },
  ],
});
const github = await standIn.listen();
process.env.GITHUB_OAUTH_URL = github.url;
process.env.GITHUB_API_URL = `${github.url}/api`;
process.env.APP_URL = APP;

const { db, schema } = await import("#app/utils/db.server.ts");
const { loader: login } = await import("#app/routes/login.tsx");
const { action: startSignIn } = await import("#app/routes/auth.github.tsx");
const { loader: callback } = await import("#app/routes/auth.github_.callback.tsx");
const { createSession } = await import("#app/models/people/sessions.server.ts");

afterAll(() => github.close());

const offSite = [
  "/.//evil.example/x",
  "/..//evil.example",
  "/a/..//evil.example",
  "/%2e//evil.example",
  "/%2E%2E//evil.example",
  "/./\\evil.example",
  "/\\evil.example",
  "//evil.example",
  "/%2F%2Fevil.example",
  "/%5Cevil.example",
  "/\t/evil.example",
];

async function settle(run: () => unknown): Promise<Response> {
  try {
    const result = await run();
    if (result instanceof Response) return result;
    return new Response(JSON.stringify(result), { status: 200 });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Where a browser would go with this Location: its origin and path. */
const destination = (response: Response) => {
  const url = new URL(response.headers.get("location")!, APP);
  return { origin: url.origin, path: url.pathname };
};

let cookie = "";
beforeAll(async () => {
  const [user] = await db()
    .insert(schema.users)
    .values({ githubId: 9701, login: "signed-in", createdAt: 0, updatedAt: 0 })
    .returning();
  cookie = `roadies_session=${(await createSession(user!.id, null)).token}`;
});

describe("redirect targets are same-origin paths after normalisation", () => {
  test.each(offSite)("a signed-in visit to /login?next=%j stays on this site, at home", async (next) => {
    const response = await settle(() =>
      login({
        request: new Request(`${APP}/login?next=${encodeURIComponent(next)}`, { headers: { Cookie: cookie } }),
        params: {},
        context,
      }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
    expect(destination(response)).toEqual({ origin: APP, path: "/" });
  });

  test("a signed-in visit to /login?next= an ordinary path goes there, query and fragment kept", async () => {
    const response = await settle(() =>
      login({
        request: new Request(`${APP}/login?next=${encodeURIComponent("/calls?x=1#a")}`, {
          headers: { Cookie: cookie },
        }),
        params: {},
        context,
      }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/calls?x=1#a");
  });

  test.each(offSite)("an anonymous /login?next=%j offers a sign-in that returns home", async (next) => {
    const response = await settle(() =>
      login({ request: new Request(`${APP}/login?next=${encodeURIComponent(next)}`), params: {}, context }),
    );
    expect(await response.json()).toEqual({ next: "/" });
  });

  test.each(offSite)("a whole sign-in with next=%j comes back to this site, at home", async (next) => {
    const started = (await startSignIn({
      request: new Request(`${APP}/auth/github`, { method: "POST", body: new URLSearchParams({ next }) }),
      params: {},
      context,
    })) as Response;
    const oauthCookie = started.headers.get("set-cookie")!.split(";")[0]!;
    const authorize = new URL(started.headers.get("location")!);
    authorize.pathname += "/approve";
    authorize.searchParams.set("login", "rhea");
    const approved = await fetch(authorize, { redirect: "manual" });
    const response = await settle(() =>
      callback({
        request: new Request(approved.headers.get("location")!, { headers: { Cookie: oauthCookie } }),
        params: {},
        context,
      }),
    );
    expect(response.status).toBe(302);
    expect(destination(response)).toEqual({ origin: APP, path: "/" });
  });
});
