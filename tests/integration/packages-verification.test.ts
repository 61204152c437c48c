// A package is verified only with proof that links PyPI to the repository: PyPI's metadata names
// it or its releases were published from it through Trusted Publishing, and GitHub gives the person
// admin or maintain. Anything less is "claimed, unconfirmed": shown as such, no confidential
// requests, no calls. Proven claims supersede unconfirmed ones; admins confirm with evidence; the
// sync re-checks permissions and follows renames; maintainers step down or are removed.
// The GitHub, PyPI and Resend stand-ins serve every case; sign-ins are real (real tokens).
import { afterAll, describe, expect, test } from "vitest";
import { createGitHubStandIn, type Repo } from "#tests/fakes/github.ts";
import { createPyPIStandIn, type PyPIProject } from "#tests/fakes/pypi.ts";
import { startResendStandIn } from "#tests/fakes/resend.ts";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { signIn } from "./calls-helpers.ts";

const people = ["pv-real", "pv-squat", "pv-meta", "pv-prov", "pv-co", "pv-gentle", "pv-admin", "pv-rename", "pv-lose"];
const repos: Repo[] = [
  { owner: "django-cms", name: "django-cms", permissions: { "pv-real": "admin" } },
  { owner: "pv-squat", name: "unrelated", permissions: { "pv-squat": "admin" } },
  { owner: "acme", name: "pv-meta", description: "Metadata names me", permissions: { "pv-meta": "admin" } },
  { owner: "acme", name: "pv-prov", permissions: { "pv-prov": "maintain", "pv-co": "maintain" } },
  { owner: "acme", name: "pv-gentle", permissions: { "pv-gentle": "admin", "pv-admin": "admin" } },
  { owner: "acme", name: "pv-old", permissions: { "pv-rename": "admin" } },
  { owner: "acme", name: "pv-lose", permissions: { "pv-lose": "admin" } },
];
const released = (version: string, uploadedOn: string) => ({ version, uploadedOn });
const projects: PyPIProject[] = [
  {
    name: "django-cms",
    projectUrls: { Homepage: "https://www.django-cms.org/", Source: "https://github.com/django-cms/django-cms" },
    releases: [released("5.0.0", "2026-01-05")],
  },
  {
    name: "pv-meta",
    // Spelled as people write it: http, www., capitals, .git and a trailing slash.
    projectUrls: {
      Changelog: "https://github.com/someone-else/pv-meta/blob/main/CHANGES.md",
      Repository: "http://www.GitHub.com/ACME/pv-meta.git/",
    },
    releases: [released("1.0", "2026-02-01")],
  },
  {
    name: "pv-prov",
    projectUrls: { Documentation: "https://pv-prov.example.org/" },
    releases: [
      released("0.9", "2025-06-01"),
      {
        ...released("1.0", "2026-03-01"),
        publisher: { repository: "acme/pv-prov", workflow: "release.yml", environment: "pypi" },
      },
    ],
  },
  { name: "pv-gentle", homePage: "https://pv-gentle.example.org/", releases: [released("2.0", "2026-01-20")] },
  {
    name: "pv-rename",
    homePage: "https://github.com/acme/pv-old/tree/main/src",
    releases: [released("1.1", "2026-01-01")],
  },
  {
    name: "pv-lose",
    projectUrls: { Source: "https://github.com/acme/pv-lose" },
    releases: [released("3.0", "2026-01-01")],
  },
];

const github = createGitHubStandIn({
  identities: people.map((login, i) => ({
    id: 9100 + i,
    login,
    name: login,
    createdAt: "2015-01-01T00:00:00Z",
    emails: [{ email: `${login}@example.org`, primary: true, verified: true }],
  })),
  repos,
});
const pypi = createPyPIStandIn(projects);
const githubServer = await github.listen();
const pypiServer = await pypi.listen();
const resend = await startResendStandIn({ rateLimitPerSecond: null });
process.env.GITHUB_OAUTH_URL = githubServer.url;
process.env.GITHUB_API_URL = `${githubServer.url}/api`;
process.env.PYPI_URL = pypiServer.url;
process.env.APP_URL = APP;
process.env.RESEND_API_KEY = "re_test_verification";
process.env.RESEND_BASE_URL = resend.url;
process.env.EMAIL_FROM = "Roadies <roadies@example.org>";
delete process.env.DEMO_MODE;

const { db, schema } = await import("#app/utils/db.server.ts");
const { and, eq } = await import("drizzle-orm");
const packagesNew = await import("#app/routes/packages.new.tsx");
const packagePage = await import("#app/routes/packages.$name.tsx");
const maintainersRoute = await import("#app/routes/packages.$name_.maintainers.tsx");
const callsNew = await import("#app/routes/calls.new.tsx");
const { isVerifiedMaintainer } = await import("#app/models/packages/maintainers.server.ts");
const { fileRequest, findVisibleRequest, listFiledFor } = await import("#app/models/requests/requests.server.ts");
const { runSync } = await import("#app/jobs/sync.server.ts");
const { grantAdmin } = await import("#app/models/people/admins.server.ts");

afterAll(async () => {
  await Promise.all([githubServer.close(), pypiServer.close(), resend.close()]);
});

const cookies = new Map<string, string>();
for (const login of people) cookies.set(login, await signIn(login));
const cookie = (login: string) => cookies.get(login)!;
const userId = async (login: string) =>
  (await db().select().from(schema.users).where(eq(schema.users.login, login)).get())!.id;
await grantAdmin(await userId("pv-admin"), null);

const claim = (login: string, name: string, repository: string) =>
  run(() =>
    packagesNew.action({
      request: request("/packages/new", { cookie: cookie(login), form: { name, repository } }),
      params: {},
      context,
    }),
  );
const maintainersPost = (login: string, name: string, form: Record<string, string>) =>
  run(() =>
    maintainersRoute.action({
      request: request(`/packages/${name}/maintainers`, { cookie: cookie(login), form }),
      params: { name },
      context,
    }),
  );
type MaintainersPage = {
  maintainers: { id: number; login: string; status: string; statusLabel: string; proof: string | null }[];
};
const maintainersPage = async (name: string, login?: string) =>
  (await maintainersRoute.loader({
    request: request(`/packages/${name}/maintainers`, { cookie: login ? cookie(login) : undefined }),
    params: { name },
    context,
  })) as MaintainersPage;
const pkgOf = async (name: string) =>
  (await db().select().from(schema.packages).where(eq(schema.packages.normalizedName, name)).get())!;
const rowOf = async (name: string, login: string) => {
  const pkg = await pkgOf(name);
  return db()
    .select()
    .from(schema.packageMaintainers)
    .where(and(eq(schema.packageMaintainers.packageId, pkg.id), eq(schema.packageMaintainers.githubLogin, login)))
    .get();
};
const audits = async (action: string) =>
  db().select().from(schema.auditLog).where(eq(schema.auditLog.action, action)).all();
/** The maintainer notices sent to this person (the welcome email of their first sign-in aside). */
const mailTo = (login: string) =>
  resend.sent().filter((e) => e.to.includes(`${login}@example.org`) && e.idempotencyKey?.startsWith("maintainer-"));
const quickSync = (name: string) => runSync({ packages: [name], sleep: async () => {}, baseDelayMs: 1 });

describe("claiming a package", () => {
  test("PyPI's metadata naming the repository (in any spelling) makes a verified maintainer", async () => {
    const r = await claim("pv-meta", "pv-meta", "https://github.com/acme/pv-meta");
    expect(r.location).toBe("/packages/pv-meta?added=1");
    const row = await rowOf("pv-meta", "pv-meta");
    expect(row?.verifiedAt).not.toBeNull();
    expect(row?.proof).toEqual({ kind: "metadata", url: "http://www.GitHub.com/ACME/pv-meta.git/" });
    const page = await maintainersPage("pv-meta");
    expect(page.maintainers).toMatchObject([{ login: "pv-meta", statusLabel: "verified" }]);
    expect(page.maintainers[0]!.proof).toMatch(/PyPI's metadata names the repository/);
  });

  test("a release published from the repository with Trusted Publishing makes a verified maintainer", async () => {
    const r = await claim("pv-prov", "pv-prov", "acme/pv-prov");
    expect(r.location).toBe("/packages/pv-prov?added=1");
    const row = await rowOf("pv-prov", "pv-prov");
    expect(row?.verifiedAt).not.toBeNull();
    expect(row?.proof).toMatchObject({ kind: "provenance", version: "1.0", workflow: "release.yml" });
  });

  test("the squat attempt refused: django-cms pointed at an unrelated repository stays unconfirmed", async () => {
    const r = await claim("pv-squat", "django-cms", "pv-squat/unrelated");
    expect(r.location).toBe("/packages/django-cms?claimed=no_link");
    const pkg = await pkgOf("django-cms");
    const squatter = await userId("pv-squat");
    const row = await rowOf("django-cms", "pv-squat");
    expect(row).toMatchObject({ verifiedAt: null, proof: null });
    expect(row?.claimedAt).not.toBeNull();
    expect(await isVerifiedMaintainer(squatter, pkg.id)).toBe(false);

    // Shown as such on the package page and the maintainers page.
    const page = (await packagePage.loader({
      request: request(`/packages/django-cms?claimed=no_link`, { cookie: cookie("pv-squat") }),
      params: { name: "django-cms" },
      context,
    })) as { notice: string; calls: { canManage: boolean; maintainers: { login: string; status: string }[] } };
    expect(page.notice).toMatch(/claimed, unconfirmed/);
    expect(page.calls.canManage).toBe(false);
    expect(page.calls.maintainers).toMatchObject([{ login: "pv-squat", status: "unconfirmed" }]);
    expect((await maintainersPage("django-cms")).maintainers).toMatchObject([
      { login: "pv-squat", statusLabel: "claimed, unconfirmed", proof: null },
    ]);

    // No "new owner wanted" call in the package's name.
    const call = await run(() =>
      callsNew.action({
        request: request("/calls/new", {
          cookie: cookie("pv-squat"),
          form: {
            package: "django-cms",
            kind: "new-maintainer",
            title: "New owner wanted for django-cms",
            description: "I am moving on; looking for someone to take over the package and its PyPI project.",
            skills: ["release-management:comfortable"],
            hoursPerWeek: "3",
            urgency: "high",
          },
        }),
        params: {},
        context,
      }),
    );
    expect(call.status).toBe(403);
    expect(await db().select().from(schema.calls).where(eq(schema.calls.packageId, pkg.id)).all()).toEqual([]);

    // No confidential request: it cannot file one, nor see one filed for the package.
    const filed = await fileRequest(squatter, {
      packageId: pkg.id,
      kind: "security",
      title: "Vulnerability report",
      details: "A confidential report that only the real maintainers may read.",
      severity: "high",
    });
    expect(filed.ok).toBe(false);
    const [secret] = await db()
      .insert(schema.specialRequests)
      .values({
        packageId: pkg.id,
        kind: "security",
        title: "XSS in the toolbar",
        details: "Reported privately by a researcher.",
        severity: "high",
        confidential: true,
        createdAt: Date.now(),
        updatedAt: Date.now(),
      })
      .returning();
    expect(await findVisibleRequest({ id: squatter, isAdmin: false }, String(secret!.id))).toBeNull();
    expect(await listFiledFor(squatter)).toEqual([]);
  });

  test("checking again without proof keeps the claim unconfirmed", async () => {
    const r = await maintainersPost("pv-squat", "django-cms", { intent: "confirm" });
    expect(r.location).toBe("/packages/django-cms?notice=no_proof");
    expect((await rowOf("django-cms", "pv-squat"))?.verifiedAt).toBeNull();
  });

  test("a later proven claim supersedes the unconfirmed one, and its holder is told", async () => {
    const r = await claim("pv-real", "django-cms", "django-cms/django-cms");
    expect(r.location).toBe("/packages/django-cms?added=1");
    const pkg = await pkgOf("django-cms");
    expect(pkg.repository).toBe("django-cms/django-cms");
    expect(await isVerifiedMaintainer(await userId("pv-real"), pkg.id)).toBe(true);
    expect(await rowOf("django-cms", "pv-squat")).toBeUndefined();
    expect((await audits("package.maintainer.supersede")).map((a) => JSON.parse(a.detail))).toEqual([
      { login: "pv-squat" },
    ]);
    const told = mailTo("pv-squat");
    expect(told.map((e) => e.subject)).toEqual(["Your claim on django-cms was replaced by a proven one"]);
    expect(told[0]!.idempotencyKey).toMatch(/^maintainer-superseded:\d+$/);
    // The real maintainer now sees the confidential request the squatter could not.
    const [secret] = await db()
      .select()
      .from(schema.specialRequests)
      .where(eq(schema.specialRequests.packageId, pkg.id))
      .all();
    expect(
      await findVisibleRequest({ id: await userId("pv-real"), isAdmin: false }, String(secret!.id)),
    ).not.toBeNull();
  });
});

describe("an admin confirms an unconfirmed claim with evidence", () => {
  test("only admins, never their own claim, and the evidence is recorded and audited", async () => {
    expect((await claim("pv-gentle", "pv-gentle", "acme/pv-gentle")).location).toBe(
      "/packages/pv-gentle?claimed=no_link",
    );
    const row = (await rowOf("pv-gentle", "pv-gentle"))!;
    const evidence = {
      intent: "admin-confirm",
      maintainerId: String(row.id),
      note: "Listed as the author in the release notes and confirmed on the forum.",
      url: "https://forum.example.org/t/pv-gentle-maintainer",
    };
    // Someone who is not an admin.
    expect((await maintainersPost("pv-meta", "pv-gentle", evidence)).status).toBe(404);
    // Bad evidence: refused, nothing changes.
    const bad = await maintainersPost("pv-admin", "pv-gentle", { ...evidence, note: "ok", url: "javascript:x" });
    expect(bad.status).toBe(400);
    expect((await rowOf("pv-gentle", "pv-gentle"))?.verifiedAt).toBeNull();

    const ok = await maintainersPost("pv-admin", "pv-gentle", evidence);
    expect(ok.location).toBe("/packages/pv-gentle/maintainers?notice=admin-confirmed");
    const confirmed = (await rowOf("pv-gentle", "pv-gentle"))!;
    expect(confirmed.verifiedAt).not.toBeNull();
    expect(confirmed.proof).toEqual({
      kind: "admin",
      byUserId: await userId("pv-admin"),
      note: evidence.note,
      url: evidence.url,
    });
    const [entry] = await audits("package.maintainer.admin_confirm");
    expect(entry?.actorUserId).toBe(await userId("pv-admin"));
    expect(JSON.parse(entry!.detail)).toEqual({ login: "pv-gentle", evidenceUrl: evidence.url });
    expect((await maintainersPage("pv-gentle")).maintainers[0]!.proof).toMatch(/Confirmed by an admin/);
  });

  test("an admin cannot confirm a claim of their own", async () => {
    await db().delete(schema.packageMaintainers).where(eq(schema.packageMaintainers.githubLogin, "pv-gentle"));
    expect((await claim("pv-admin", "pv-gentle", "acme/pv-gentle")).location).toBe(
      "/packages/pv-gentle?claimed=no_link",
    );
    const own = (await rowOf("pv-gentle", "pv-admin"))!;
    const r = await maintainersPost("pv-admin", "pv-gentle", {
      intent: "admin-confirm",
      maintainerId: String(own.id),
      note: "I maintain it myself, trust me on this one.",
    });
    expect(r.status).toBe(409);
    expect((await rowOf("pv-gentle", "pv-admin"))?.verifiedAt).toBeNull();
  });
});

describe("leaving and removing", () => {
  test("a maintainer steps down: gone from the list, audited", async () => {
    const r = await maintainersPost("pv-meta", "pv-meta", { intent: "step-down" });
    expect(r.location).toBe("/packages/pv-meta/maintainers?notice=stepped-down");
    expect(await rowOf("pv-meta", "pv-meta")).toBeUndefined();
    expect((await audits("package.maintainer.step_down")).map((a) => JSON.parse(a.detail))).toEqual([
      { login: "pv-meta" },
    ]);
    const again = await maintainersPost("pv-meta", "pv-meta", { intent: "step-down" });
    expect(again.status).toBe(409);
  });

  test("a verified co-maintainer removes a maintainer, who is told; others may not", async () => {
    // pv-prov invites pv-co, who is verified through the same Trusted Publishing proof.
    expect((await maintainersPost("pv-prov", "pv-prov", { intent: "invite", login: "pv-co" })).location).toBe(
      "/packages/pv-prov?notice=invited",
    );
    expect((await maintainersPost("pv-co", "pv-prov", { intent: "confirm" })).location).toBe(
      "/packages/pv-prov?notice=confirmed",
    );
    const co = (await rowOf("pv-prov", "pv-co"))!;
    expect(co.verifiedAt).not.toBeNull();

    // Not a maintainer of this package: no.
    expect(
      (await maintainersPost("pv-real", "pv-prov", { intent: "remove", maintainerId: String(co.id) })).status,
    ).toBe(404);
    const r = await maintainersPost("pv-prov", "pv-prov", { intent: "remove", maintainerId: String(co.id) });
    expect(r.location).toBe("/packages/pv-prov/maintainers?notice=removed");
    expect(await rowOf("pv-prov", "pv-co")).toBeUndefined();
    const [entry] = await audits("package.maintainer.remove");
    expect(entry?.actorUserId).toBe(await userId("pv-prov"));
    expect(JSON.parse(entry!.detail)).toEqual({ login: "pv-co", as: "co-maintainer" });
    expect(mailTo("pv-co").map((e) => e.subject)).toEqual(["You were removed as a maintainer of pv-prov"]);
  });
});

describe("the sync re-checks verified maintainers", () => {
  test("a renamed repository is followed and the link kept while PyPI still names it", async () => {
    expect((await claim("pv-rename", "pv-rename", "acme/pv-old")).location).toBe("/packages/pv-rename?added=1");
    github.renameRepo("acme/pv-old", "acme/pv-new");
    const summary = await quickSync("pv-rename");
    expect(summary.outcomes[0]!.maintainers).toMatchObject({ checked: 1, lapsed: 0, renamedTo: "acme/pv-new" });
    expect((await pkgOf("pv-rename")).repository).toBe("acme/pv-new");
    expect(await isVerifiedMaintainer(await userId("pv-rename"), (await pkgOf("pv-rename")).id)).toBe(true);
    expect((await audits("package.repository.rename")).map((a) => JSON.parse(a.detail))).toEqual([
      { from: "acme/pv-old", to: "acme/pv-new" },
    ]);
  });

  test("permission lost on GitHub: no longer verified, audited, told once", async () => {
    expect((await claim("pv-lose", "pv-lose", "acme/pv-lose")).location).toBe("/packages/pv-lose?added=1");
    const pkg = await pkgOf("pv-lose");
    const loser = await userId("pv-lose");
    expect(await isVerifiedMaintainer(loser, pkg.id)).toBe(true);
    github.setRepo({ owner: "acme", name: "pv-lose", permissions: { "pv-lose": "push" } });

    const summary = await quickSync("pv-lose");
    expect(summary.outcomes[0]!.maintainers).toMatchObject({ checked: 1, lapsed: 1 });
    expect(await isVerifiedMaintainer(loser, pkg.id)).toBe(false);
    expect((await rowOf("pv-lose", "pv-lose"))?.claimedAt).not.toBeNull();
    expect((await maintainersPage("pv-lose")).maintainers[0]!.statusLabel).toBe("claimed, unconfirmed");
    expect((await audits("package.maintainer.lapse")).map((a) => JSON.parse(a.detail))).toEqual([
      { login: "pv-lose", reason: "permission" },
    ]);
    expect(mailTo("pv-lose").map((e) => e.subject)).toEqual(["You are no longer a verified maintainer of pv-lose"]);

    // Running again changes nothing and sends nothing more.
    await quickSync("pv-lose");
    expect(mailTo("pv-lose")).toHaveLength(1);
    expect(await audits("package.maintainer.lapse")).toHaveLength(1);
  });

  test("a link verified before proof was required is checked against PyPI", async () => {
    // django-cms's real maintainer, as the old rule stored it: no proof recorded.
    const pkg = await pkgOf("django-cms");
    await db()
      .update(schema.packageMaintainers)
      .set({ proof: null })
      .where(eq(schema.packageMaintainers.packageId, pkg.id));
    await quickSync("django-cms");
    expect((await rowOf("django-cms", "pv-real"))?.proof).toEqual({
      kind: "metadata",
      url: "https://github.com/django-cms/django-cms",
    });
  });
});
