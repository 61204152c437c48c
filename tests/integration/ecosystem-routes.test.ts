// Permissions and bad input on the ecosystem area's routes: compatibility reports (only the
// package's verified maintainers), admin date corrections, drives, reports and downloads.
import { beforeAll, describe, expect, test } from "vitest";
import { APP, context } from "#tests/support/routes.ts";
import { cookieFor, makeAdmin, makePackage, makeUser } from "#tests/support/factories.ts";

process.env.APP_URL = APP;
const { db, schema } = await import("#app/utils/db.server.ts");
const { action: reportAction } = await import("#app/routes/packages.$name_.compatibility.tsx");
const { loader: driveLoader, action: driveAction } = await import("#app/routes/compat.$version.tsx");
const { loader: editLoader, action: editAction } = await import("#app/routes/calendar_.edit.tsx");
const { loader: reportLoader } = await import("#app/routes/reports.$month.tsx");
const { loader: markdownLoader } = await import("#app/routes/reports.$month_.markdown.ts");
const { loader: csvLoader } = await import("#app/routes/ecosystem[.]csv.ts");
const { loader: atomLoader } = await import("#app/routes/reports[.]atom.ts");
const { listDjangoReleases } = await import("#app/models/ecosystem/releases.server.ts");

const cookies: Record<string, string> = {};

async function person(login: string, isAdmin = false) {
  const user = isAdmin ? await makeAdmin(login) : await makeUser(login);
  cookies[login] = await cookieFor(user.id);
  return user;
}

const post = (path: string, login: string | null, body: Record<string, string>) =>
  new Request(`${APP}${path}`, {
    method: "POST",
    headers: login ? { Cookie: cookies[login]! } : {},
    body: new URLSearchParams(body),
  });
const get = (path: string, login: string | null = null) =>
  new Request(`${APP}${path}`, { headers: login ? { Cookie: cookies[login]! } : {} });

async function outcome<T>(promise: Promise<T>): Promise<{ status: number; value: unknown }> {
  try {
    const value = await promise;
    if (value instanceof Response) return { status: value.status, value };
    const init = (value as { init?: { status?: number } })?.init;
    return { status: init?.status ?? 200, value };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, value: thrown };
    throw thrown;
  }
}

let packageId = 0;
beforeAll(async () => {
  const maintainer = await person("maintainer");
  await person("stranger");
  const invited = await person("invited");
  await person("admin", true);
  const pkg = await makePackage("django-thing", [maintainer], { classifiers: ["Framework :: Django :: 6.0"] });
  packageId = pkg.id;
  // Invited but not verified: may not speak for the package yet.
  await db()
    .insert(schema.packageMaintainers)
    .values({ packageId, userId: invited.id, githubLogin: "invited", verifiedAt: null, createdAt: 1 });
});

describe("compatibility reports", () => {
  const report = (login: string | null, body: Record<string, string>) =>
    outcome(
      reportAction({
        request: post("/packages/django-thing/compatibility", login, body),
        params: { name: "django-thing" },
        context,
      }),
    );

  test("a verified maintainer reports; the drive shows it", async () => {
    const result = await report("maintainer", { version: "6.1", status: "in_progress" });
    expect(result.status).toBe(302);
    const drive = (await driveLoader({ request: get("/compat/6.1"), params: { version: "6.1" }, context })) as {
      packages: { normalizedName: string; status: string }[];
    };
    expect(drive.packages.find((p) => p.normalizedName === "django-thing")?.status).toBe("in_progress");
  });

  test("strangers and unverified maintainers get 404; signed-out people are sent to sign in", async () => {
    expect((await report("stranger", { version: "6.1", status: "compatible" })).status).toBe(404);
    expect((await report("invited", { version: "6.1", status: "compatible" })).status).toBe(404);
    const anonymous = await report(null, { version: "6.1", status: "compatible" });
    expect(anonymous.status).toBe(302);
    expect((anonymous.value as Response).headers.get("location")).toMatch(/^\/login/);
    const row = await db().select().from(schema.compatReports).all();
    expect(row.map((r) => r.status)).toEqual(["in_progress"]);
  });

  test("an unknown release or status is refused", async () => {
    expect((await report("maintainer", { version: "9.9", status: "compatible" })).status).toBe(400);
    expect((await report("maintainer", { version: "6.1", status: "probably" })).status).toBe(400);
  });

  test("an unknown drive is a 404", async () => {
    expect(
      (await outcome(driveLoader({ request: get("/compat/1.0"), params: { version: "1.0" }, context }))).status,
    ).toBe(404);
  });

  test("only admins set the coordination thread, and it must be a web address", async () => {
    const set = (login: string, url: string) =>
      outcome(
        driveAction({ request: post("/compat/6.2", login, { threadUrl: url }), params: { version: "6.2" }, context }),
      );
    expect((await set("maintainer", "https://forum.example.org/t/1")).status).toBe(403);
    const bad = await set("admin", "javascript:alert(1)");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.value)).toMatch(/https:\/\//);
    expect((await set("admin", "https://forum.example.org/t/django-6-2/1")).status).toBe(302);
    const drive = (await driveLoader({ request: get("/compat/6.2"), params: { version: "6.2" }, context })) as {
      threadUrl: string;
    };
    expect(drive.threadUrl).toBe("https://forum.example.org/t/django-6-2/1");
  });
});

describe("admin date corrections", () => {
  test("non-admins are refused", async () => {
    expect(
      (await outcome(editLoader({ request: get("/calendar/edit", "maintainer"), params: {}, context }))).status,
    ).toBe(403);
    expect(
      (
        await outcome(
          editAction({ request: post("/calendar/edit", "maintainer", { version: "6.2" }), params: {}, context }),
        )
      ).status,
    ).toBe(403);
  });

  test("bad dates come back with a message next to the field and nothing is written", async () => {
    const result = await outcome(
      editAction({
        request: post("/calendar/edit", "admin", {
          version: "6.2",
          releaseDate: "2027-02-30",
          betaDate: "2027-05-01",
          rcDate: "2027-03-01",
        }),
        params: {},
        context,
      }),
    );
    expect(result.status).toBe(400);
    const reply = (result.value as { data: { error: Record<string, string[]> } }).data;
    expect(reply.error.releaseDate?.[0]).toMatch(/not a real date/);
    expect(reply.error.rcDate?.[0]).toMatch(/must not be before the beta/);
    expect(await db().select().from(schema.releaseDateCorrections).all()).toEqual([]);
  });

  test("an admin adds a new release (2030) with a planned date", async () => {
    const result = await outcome(
      editAction({
        request: post("/calendar/edit", "admin", { version: "2030", releaseDate: "2030-01-01" }),
        params: {},
        context,
      }),
    );
    expect(result.status).toBe(302);
    const r2030 = (await listDjangoReleases()).find((r) => r.version === "2030");
    expect(r2030?.dates.releaseDate).toBe("2030-01-01");
    expect(r2030?.confirmed.releaseDate).toBe(false);
  });
});

describe("reports and downloads", () => {
  test("reports exist for real months up to now; others are 404", async () => {
    const month = new Date().toISOString().slice(0, 7);
    const page = await reportLoader({ request: get(`/reports/${month}`), params: { month }, context });
    expect(page.report.title).toMatch(/^Roadies report: /);
    expect(page.provisional).toBe(true);
    for (const bad of ["2026-13", "2026-1", "nonsense", "2999-01"]) {
      expect(
        (await outcome(reportLoader({ request: get(`/reports/${bad}`), params: { month: bad }, context }))).status,
      ).toBe(404);
    }
  });

  test("the Markdown version lists the highlights and compatibility progress", async () => {
    const month = new Date().toISOString().slice(0, 7);
    const response = (await markdownLoader({
      request: get(`/reports/${month}/markdown`),
      params: { month },
      context,
    })) as Response;
    const text = await response.text();
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(text).toMatch(/^# Roadies report: /);
    expect(text).toMatch(/## Highlights/);
    expect(text).toMatch(/Django \d[\d.]*: \*\*\d+ of 1\*\* tracked packages/);
  });

  test("the CSV has a header and one row per figure; the Atom feed is well formed", async () => {
    const csv = await ((await csvLoader()) as Response).text();
    const rows = csv.trimEnd().split("\r\n");
    expect(rows[0]).toBe("section,label,count,total,share_percent");
    expect(rows).toContain("python_support,3.10,0,1,0");
    expect(rows.some((r) => r.startsWith("django_support,6.0,1,1,100"))).toBe(true);
    const atom = await ((await atomLoader()) as Response).text();
    expect(atom).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
  });
});
