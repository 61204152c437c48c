// Shared set-up for the calls area's integration tests: a GitHub stand-in with repositories and
// people, a PyPI stand-in linking the packages to them, the Resend stand-in, and sign-in through
// the real OAuth routes (real tokens).
import { createGitHubStandIn, type Repo } from "#tests/fakes/github.ts";
import { createPyPIStandIn, type PyPIProject } from "#tests/fakes/pypi.ts";
import { startResendStandIn } from "#tests/fakes/resend.ts";
import { APP, context } from "#tests/support/routes.ts";

const people = ["maya", "max", "pusher", "stranger", "volunteer", "volunteer2", "wgadmin", "invitee"];

export const repos: Repo[] = [
  {
    owner: "acme",
    name: "django-widgets",
    description: "Widgets for Django",
    permissions: { maya: "admin", max: "maintain", pusher: "push", invitee: "maintain" },
  },
  { owner: "acme", name: "django-private", private: true, permissions: { maya: "admin" } },
  { owner: "acme", name: "django-second", permissions: { max: "maintain" } },
  { owner: "acme", name: "django-third", permissions: { maya: "admin" } },
];

/**
 * PyPI links django-widgets to its repository through its metadata and django-second through
 * Trusted Publishing; django-third's metadata names no repository (a claim on it stays unconfirmed).
 */
export const pypiProjects: PyPIProject[] = [
  {
    name: "django-widgets",
    projectUrls: { Source: "https://github.com/acme/django-widgets" },
    releases: [{ version: "1.0.0", uploadedOn: "2026-01-10" }],
  },
  {
    name: "django-second",
    releases: [
      {
        version: "2.1.0",
        uploadedOn: "2026-02-01",
        publisher: { repository: "acme/django-second", workflow: "release.yml" },
      },
    ],
  },
  {
    name: "django-third",
    homePage: "https://third.example.org/",
    releases: [{ version: "0.1", uploadedOn: "2026-03-01" }],
  },
];

/** Call before importing any app module: sets env for this test file and starts the stand-ins. */
export async function startStandIns() {
  const github = createGitHubStandIn({
    identities: people.map((login, i) => ({
      id: 700 + i,
      login,
      name: login[0]!.toUpperCase() + login.slice(1),
      createdAt: "2015-01-01T00:00:00Z",
      emails: [{ email: `${login}@example.org`, primary: true, verified: true }],
    })),
    repos,
  });
  const githubServer = await github.listen();
  const pypi = createPyPIStandIn(pypiProjects);
  const pypiServer = await pypi.listen();
  process.env.PYPI_URL = pypiServer.url;
  const resend = await startResendStandIn({ rateLimitPerSecond: null });
  process.env.GITHUB_OAUTH_URL = githubServer.url;
  process.env.GITHUB_API_URL = `${githubServer.url}/api`;
  process.env.APP_URL = APP;
  process.env.RESEND_API_KEY = "re_test_calls";
  process.env.RESEND_BASE_URL = resend.url;
  process.env.EMAIL_FROM = "Roadies <roadies@example.org>";
  delete process.env.DEMO_MODE;
  return { github, githubServer, pypi, pypiServer, resend };
}

/** Signs in through /auth/github and the stand-in; returns the session cookie. */
export async function signIn(login: string): Promise<string> {
  const { action: start } = await import("#app/routes/auth.github.tsx");
  const { loader: callback } = await import("#app/routes/auth.github_.callback.tsx");
  const started = (await start({
    request: new Request(`${APP}/auth/github`, { method: "POST", body: new URLSearchParams({ next: "/" }) }),
    params: {},
    context,
  })) as Response;
  const stateCookie = started.headers.get("set-cookie")!.split(";")[0]!;
  const authorize = new URL(started.headers.get("location")!);
  authorize.pathname += "/approve";
  authorize.searchParams.set("login", login);
  const approved = await fetch(authorize, { redirect: "manual" });
  const back = approved.headers.get("location")!;
  const response = (await callback({
    request: new Request(back, { headers: { Cookie: stateCookie } }),
    params: {},
    context,
  }).catch((thrown: unknown) => thrown)) as Response;
  const cookies = response.headers.get("set-cookie") ?? "";
  const session = /roadies_session=[^;,\s]+/.exec(cookies)?.[0];
  if (!session) throw new Error(`sign-in as ${login} failed (${response.status})`);
  return session;
}
