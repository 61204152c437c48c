// Adding packages: GitHub permission checks through the stand-in, PEP 503 identity, maintainers.
import { afterAll, describe, expect, test } from "vitest";
import { context, request, run } from "#tests/support/routes.ts";
import { signIn, startStandIns } from "./calls-helpers.ts";

const { github, githubServer, resend } = await startStandIns();
const { action: addAction } = await import("#app/routes/packages.new.tsx");
const { loader: addLoader } = await import("#app/routes/packages.new.tsx");
const { action: maintainersAction } = await import("#app/routes/packages.$name_.maintainers.tsx");
const { loader: packageLoader } = await import("#app/routes/packages.$name.tsx");
const { db, schema } = await import("#app/utils/db.server.ts");
const { normalizePackageName } = await import("#app/models/packages/names.ts");
const { eq } = await import("drizzle-orm");

afterAll(async () => {
  await resend.close();
  await githubServer.close().catch(() => {});
});

const add = (cookie: string | undefined, name: string, repository: string) =>
  run(() =>
    addAction({ request: request("/packages/new", { cookie, form: { name, repository } }), params: {}, context }),
  );

const formErrors = (value: unknown) => JSON.stringify((value as { error?: unknown }).error ?? value);

const maya = await signIn("maya");
const max = await signIn("max");
const pusher = await signIn("pusher");
const stranger = await signIn("stranger");

describe("adding a package", () => {
  test("anonymous visitors are sent to sign in and back", async () => {
    const r = await run(() => addLoader({ request: request("/packages/new"), params: {}, context }));
    expect(r.status).toBe(302);
    expect(r.location).toBe("/login?next=%2Fpackages%2Fnew");
  });

  test("admin on the repository makes a verified maintainer", async () => {
    const r = await add(maya, "Django_Widgets", "https://github.com/acme/django-widgets.git");
    expect(r.status).toBe(302);
    expect(r.location).toBe("/packages/django-widgets?added=1");
    const pkg = await db()
      .select()
      .from(schema.packages)
      .where(eq(schema.packages.normalizedName, "django-widgets"))
      .get();
    expect(pkg).toMatchObject({
      name: "Django_Widgets",
      repository: "acme/django-widgets",
      description: "Widgets for Django",
    });
    const rows = await db()
      .select()
      .from(schema.packageMaintainers)
      .where(eq(schema.packageMaintainers.packageId, pkg!.id))
      .all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ githubLogin: "maya" });
    expect(rows[0]!.verifiedAt).not.toBeNull();
  });

  test("PEP 503: Django-Widgets, django_widgets and django.widgets are the same package", async () => {
    for (const name of ["Django-Widgets", "django.widgets", "DJANGO__widgets"]) {
      expect(normalizePackageName(name)).toBe("django-widgets");
      const r = await add(max, name, "acme/django-second");
      expect(r.location).toBe("/packages/django-widgets?existing=1");
    }
    const all = await db()
      .select()
      .from(schema.packages)
      .where(eq(schema.packages.normalizedName, "django-widgets"))
      .all();
    expect(all).toHaveLength(1);
    // The package page answers at every spelling by redirecting to the normal one.
    const page = await run(() =>
      packageLoader({ request: request("/packages/Django_Widgets"), params: { name: "Django_Widgets" }, context }),
    );
    expect(page.status).toBe(301);
    expect(page.location).toBe("/packages/django-widgets");
  });

  test("maintain on the repository is enough", async () => {
    const r = await add(max, "django-second", "acme/django-second");
    expect(r.location).toBe("/packages/django-second?added=1");
  });

  test("push-only access is refused with the reason next to the repository field", async () => {
    const r = await add(pusher, "django-third", "acme/django-third");
    expect(r.status).toBe(400);
    expect(formErrors(r.value)).toMatch(/admin or maintain role/);
    expect(
      await db().select().from(schema.packages).where(eq(schema.packages.normalizedName, "django-third")).get(),
    ).toBeUndefined();
  });

  test("no access to a private repository reads as not found, and nothing is created", async () => {
    const r = await add(stranger, "django-private", "acme/django-private");
    expect(r.status).toBe(400);
    expect(formErrors(r.value)).toMatch(/no repository with that name/);
  });

  test("a repository that does not exist", async () => {
    const r = await add(maya, "django-nowhere", "acme/django-nowhere");
    expect(r.status).toBe(400);
    expect(formErrors(r.value)).toMatch(/no repository with that name/);
  });

  test("bad input keeps the input and names the field", async () => {
    const r = await add(maya, "-bad name-", "not a repo");
    expect(r.status).toBe(400);
    const reply = r.value as { error: Record<string, string[]>; initialValue: Record<string, string> };
    expect(reply.error.name?.[0]).toMatch(/PyPI name/);
    expect(reply.error.repository?.[0]).toMatch(/owner\/name/);
    expect(reply.initialValue.name).toBe("-bad name-");
  });

  test("GitHub rate limiting is reported and nothing is saved", async () => {
    github.setRateLimit(0);
    const r = await add(maya, "django-third", "acme/django-third");
    github.setRateLimit(null);
    expect(r.status).toBe(503);
    expect(formErrors(r.value)).toMatch(/limiting/);
  });
});

describe("additional maintainers", () => {
  test("only verified maintainers may invite; others get 404", async () => {
    const invite = (cookie: string) =>
      run(() =>
        maintainersAction({
          request: request("/packages/django-widgets/maintainers", {
            cookie,
            form: { intent: "invite", login: "invitee" },
          }),
          params: { name: "django-widgets" },
          context,
        }),
      );
    expect((await invite(stranger)).status).toBe(404);
    const ok = await invite(maya);
    expect(ok.location).toBe("/packages/django-widgets?notice=invited");
    const again = await invite(maya);
    expect(again.location).toBe("/packages/django-widgets?notice=already-listed");
  });

  test("the invitee becomes verified when they sign in and GitHub confirms", async () => {
    await signIn("invitee");
    const row = await db()
      .select()
      .from(schema.packageMaintainers)
      .where(eq(schema.packageMaintainers.githubLogin, "invitee"))
      .get();
    expect(row?.verifiedAt).not.toBeNull();
    expect(row?.userId).not.toBeNull();
  });

  test("an invitation GitHub does not back stays pending", async () => {
    await run(() =>
      maintainersAction({
        request: request("/packages/django-widgets/maintainers", {
          cookie: maya,
          form: { intent: "invite", login: "volunteer" },
        }),
        params: { name: "django-widgets" },
        context,
      }),
    );
    const volunteer = await signIn("volunteer");
    const row = await db()
      .select()
      .from(schema.packageMaintainers)
      .where(eq(schema.packageMaintainers.githubLogin, "volunteer"))
      .get();
    expect(row?.verifiedAt).toBeNull();
    const confirm = await run(() =>
      maintainersAction({
        request: request("/packages/django-widgets/maintainers", { cookie: volunteer, form: { intent: "confirm" } }),
        params: { name: "django-widgets" },
        context,
      }),
    );
    expect(confirm.location).toBe("/packages/django-widgets?notice=no_permission");
  });

  test("the package page lists maintainers and offers tools only to them", async () => {
    const page = async (cookie?: string) =>
      (await packageLoader({
        request: request("/packages/django-widgets", { cookie }),
        params: { name: "django-widgets" },
        context,
      })) as {
        calls: { canManage: boolean; maintainers: { login: string; status: string }[] };
      };
    const anonymous = await page();
    expect(anonymous.calls.canManage).toBe(false);
    expect(anonymous.calls.maintainers.map((m) => m.login)).toEqual(["maya", "invitee", "volunteer"]);
    expect((await page(maya)).calls.canManage).toBe(true);
    expect((await page(stranger)).calls.canManage).toBe(false);
  });

  test("GitHub down: the person is told, nothing is saved", async () => {
    await githubServer.close();
    const r = await add(maya, "django-third", "acme/django-third");
    expect(r.status).toBe(503);
    expect(formErrors(r.value)).toMatch(/could not be reached/);
    expect(
      await db().select().from(schema.packages).where(eq(schema.packages.normalizedName, "django-third")).get(),
    ).toBeUndefined();
  });
});
