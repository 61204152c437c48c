// The package directory (/packages, its JSON and CSV), the comparison grid, and popularity in the
// ecosystem review with the roadies' one-step actions on the "at risk and widely used" list.
// Metadata rows are written directly, as the sync would leave them.
import { beforeAll, describe, expect, test } from "vitest";
import { parse } from "csv-parse/sync";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { cookieFor, makeCall, makePackage, makeUser } from "#tests/support/factories.ts";
import { useFreshDatabase } from "#tests/support/database.ts";

process.env.APP_URL = APP;
// Emails land in the outbox table (demo delivery), which the check-in test reads.
process.env.DEMO_MODE = "true";
const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");
const { loader: pageLoader } = await import("#app/routes/packages._index.tsx");
const { loader: jsonLoader } = await import("#app/routes/packages[.]json.ts");
const { loader: csvLoader } = await import("#app/routes/packages[.]csv.ts");
const { loader: compareLoader } = await import("#app/routes/packages.compare.tsx");
const { loader: compareCsvLoader } = await import("#app/routes/packages.compare[.]csv.ts");
const { loader: ecosystemLoader, action: ecosystemAction } = await import("#app/routes/ecosystem.tsx");
const { loader: ecosystemCsvLoader } = await import("#app/routes/ecosystem[.]csv.ts");
const { listDirectory } = await import("#app/models/packages/directory.server.ts");
const { listDjangoReleases, currentReleases, todayOf } = await import("#app/models/ecosystem/releases.server.ts");

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);

let latest = "";
let supportedNotLatest = "";
beforeAll(async () => {
  const { latest: l, supported } = currentReleases(await listDjangoReleases(), todayOf(Date.now()));
  latest = l!.version;
  supportedNotLatest = supported.map((r) => r.version).find((v) => v !== latest)!;
});

const django = (...versions: string[]) => versions.map((v) => `Framework :: Django :: ${v}`);

async function tracked(
  name: string,
  {
    classifiers = [] as string[],
    categories = [] as string[],
    maintainers = [] as { id: number; login: string }[],
    meta = {} as Partial<typeof schema.packageMetadata.$inferInsert>,
    description = null as string | null,
  } = {},
) {
  const pkg = await makePackage(name, maintainers, { classifiers, categories, description });
  await db()
    .insert(schema.packageMetadata)
    .values({ packageId: pkg.id, updatedAt: Date.now(), ...meta });
  return pkg;
}

type Page = Awaited<ReturnType<typeof pageLoader>>;
const page = async (search: string, cookie?: string) =>
  (await pageLoader({ request: request(`/packages${search}`, { cookie }), params: {}, context })) as Page;
const names = (p: { packages: { normalizedName: string }[] }) => p.packages.map((x) => x.normalizedName);

async function makeRoadie(login: string) {
  const user = await makeUser(login);
  await db()
    .insert(schema.memberships)
    .values({ userId: user.id, role: "roadie", status: "active", startedAt: 0, termEndsAt: Date.now() + 365 * DAY });
  return user;
}

describe("the directory", () => {
  useFreshDatabase();
  let ada: { id: number; login: string };
  let bo: { id: number; login: string };
  beforeAll(async () => {
    ada = await makeUser("ada");
    bo = await makeUser("bo");
    const fresh = { latestReleaseOn: daysAgo(20), latestVersion: "3.1.0", requiresPython: ">=3.10" };
    await tracked("dj-alpha", {
      classifiers: [...django(supportedNotLatest, latest), "Programming Language :: Python :: 3.12"],
      categories: ["Forms"],
      maintainers: [ada, bo],
      description: "Forms, done gently.",
      meta: { ...fresh, githubStars: 500, downloadsLastMonth: 90_000 },
    });
    await tracked("dj-beta", {
      classifiers: django(supportedNotLatest),
      categories: ["Admin"],
      maintainers: [ada],
      meta: { ...fresh, githubStars: 5_000, downloadsLastMonth: 1_000 },
    });
    await tracked("dj-gamma", {
      classifiers: django("3.2"),
      categories: ["Admin"],
      meta: { latestReleaseOn: daysAgo(900), githubStars: 50, downloadsLastMonth: 40_000 },
    });
    // Not synced yet: no figures at all.
    await tracked("dj-delta", { categories: ["Forms"] });
    const gamma = await db().select().from(schema.packages).where(eq(schema.packages.name, "dj-gamma")).get();
    await makeCall(gamma!.id, ada);
  });

  test("the default order is the most downloaded first, packages without a figure last", async () => {
    const p = await page("");
    expect(names(p)).toEqual(["dj-alpha", "dj-gamma", "dj-beta", "dj-delta"]);
    expect(p.sort).toBe("downloads");
    expect(p.order).toBe("desc");
  });

  test("every column sorts both ways, and a missing figure stays last either way", async () => {
    expect(names(await page("?sort=stars&order=desc"))).toEqual(["dj-beta", "dj-alpha", "dj-gamma", "dj-delta"]);
    expect(names(await page("?sort=stars&order=asc"))).toEqual(["dj-gamma", "dj-alpha", "dj-beta", "dj-delta"]);
    expect(names(await page("?sort=name&order=desc"))).toEqual(["dj-gamma", "dj-delta", "dj-beta", "dj-alpha"]);
    expect(names(await page("?sort=release&order=asc"))).toEqual(["dj-gamma", "dj-alpha", "dj-beta", "dj-delta"]);
    expect(names(await page("?sort=maintainers&order=desc"))[0]).toBe("dj-alpha");
    expect(names(await page("?sort=calls&order=desc"))[0]).toBe("dj-gamma");
    expect(names(await page("?sort=django&order=desc"))).toEqual(["dj-alpha", "dj-beta", "dj-gamma", "dj-delta"]);
    // Healthy first, then needs attention, dormant… and "not checked yet" last.
    expect(names(await page("?sort=state&order=asc")).at(-1)).toBe("dj-delta");
    // A malformed sort is ignored, not an error.
    expect(names(await page("?sort=bogus&order=sideways"))[0]).toBe("dj-alpha");
  });

  test("each row carries what the columns show", async () => {
    const alpha = (await page("")).packages.find((p) => p.name === "dj-alpha")!;
    expect(alpha).toMatchObject({
      summary: "Forms, done gently.",
      githubStars: 500,
      downloadsLastMonth: 90_000,
      latestVersion: "3.1.0",
      python: ["3.12"],
      pythonFrom: "classifiers",
      state: "healthy",
      verifiedMaintainers: 2,
      openCalls: 0,
    });
    expect(alpha.django).toEqual([supportedNotLatest, latest]);
    const beta = (await page("")).packages.find((p) => p.name === "dj-beta")!;
    // No Python classifier: read from requires_python instead, and said so.
    expect(beta.pythonFrom).toBe("requires_python");
    expect(beta.python[0]).toBe("3.10");
  });

  test("filters: category, declared Django version, maintenance state, needs help", async () => {
    expect(names(await page("?category=Admin"))).toEqual(["dj-gamma", "dj-beta"]);
    expect(names(await page(`?django=${latest}`))).toEqual(["dj-alpha"]);
    expect(names(await page(`?django=${supportedNotLatest}&category=Admin`))).toEqual(["dj-beta"]);
    expect(names(await page("?state=dormant"))).toEqual(["dj-gamma"]);
    expect(names(await page("?state=unknown"))).toEqual(["dj-delta"]);
    expect(names(await page("?help=1"))).toEqual(["dj-gamma"]);
    expect((await page("?q=alp")).total).toBe(1);
  });

  test("a nomination counts as needing help only for roadies: nominations are theirs to see", async () => {
    await db()
      .insert(schema.nominations)
      .values({
        packageName: "dj-beta",
        normalizedName: "dj-beta",
        reason: "unmaintained",
        evidence: ["https://example.org/issue/1"],
        createdAt: Date.now(),
        updatedAt: Date.now(),
      });
    const roadie = await makeRoadie("rosa");
    expect(names(await page("?help=1"))).toEqual(["dj-gamma"]);
    expect(names(await page("?help=1", await cookieFor(ada.id)))).toEqual(["dj-gamma"]);
    expect(names(await page("?help=1", await cookieFor(roadie.id)))).toEqual(["dj-gamma", "dj-beta"]);
  });

  test("the JSON and the CSV are exactly what the page shows for the same query", async () => {
    const search = "?category=Admin&sort=stars&order=asc";
    const shown = await page(search);
    const json = JSON.parse(
      await (
        (await jsonLoader({ request: request(`/packages.json${search}`), params: {}, context })) as Response
      ).text(),
    );
    expect(json.packages.map((p: { normalizedName: string }) => p.normalizedName)).toEqual(names(shown));
    expect(json.total).toBe(shown.total);
    const csv = (await csvLoader({ request: request(`/packages.csv${search}`), params: {}, context })) as Response;
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const records = parse(await csv.text(), { columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.name)).toEqual(["dj-gamma", "dj-beta"]);
    expect(records[1]).toMatchObject({
      github_stars: "5000",
      downloads_last_30_days: "1000",
      maintenance_state: "Healthy",
      verified_maintainers: "1",
      url: `${APP}/packages/dj-beta`,
    });
    expect(records[0]!.open_calls).toBe("1");
  });

  test("a summary that looks like a spreadsheet formula is defused in the CSV", async () => {
    await tracked("dj-formula", { description: '=HYPERLINK("http://evil")' });
    const csv = (await csvLoader({ request: request("/packages.csv?q=formula"), params: {}, context })) as Response;
    const records = parse(await csv.text(), { columns: true }) as Record<string, string>[];
    expect(records[0]!.summary).toMatch(/^'=/);
  });
});

describe("paging, and staying fast for the whole ecosystem", () => {
  useFreshDatabase();
  beforeAll(async () => {
    const now = Date.now();
    const rows = Array.from({ length: 5_000 }, (_, i) => ({
      name: `django-pkg-${String(i).padStart(4, "0")}`,
      normalizedName: `django-pkg-${String(i).padStart(4, "0")}`,
      categories: [i % 2 ? "Admin" : "Forms"],
      classifiers: django(i % 3 ? latest : supportedNotLatest),
      createdAt: now,
      updatedAt: now,
    }));
    for (let i = 0; i < rows.length; i += 500) {
      const ids = await db()
        .insert(schema.packages)
        .values(rows.slice(i, i + 500))
        .returning({ id: schema.packages.id });
      await db()
        .insert(schema.packageMetadata)
        .values(
          ids.map(({ id }, j) => ({
            packageId: id,
            latestReleaseOn: daysAgo((i + j) % 700),
            downloadsLastMonth: (i + j) * 10,
            githubStars: (i + j) % 997,
            updatedAt: now,
          })),
        );
    }
  });

  // One query and the rules in code: a fraction of a second on an idle machine; the bound leaves
  // room for a busy test runner while still failing on a query per package (minutes, not seconds).
  test("5,000 packages: filtered, sorted and paged in one pass, not a query per package", async () => {
    const started = performance.now();
    const result = await page("?category=Admin&sort=stars&order=desc&page=3");
    const elapsed = performance.now() - started;
    expect(result.total).toBe(2_500);
    expect(result.pageCount).toBe(50);
    expect(result.page).toBe(3);
    expect(result.packages).toHaveLength(50);
    expect(result.packages[0]!.githubStars).toBeGreaterThanOrEqual(result.packages[49]!.githubStars!);
    expect(elapsed).toBeLessThan(5_000);
  });

  test("pages follow on without overlap, and all=1 gives every matching package", async () => {
    const first = await page("?sort=name&order=asc");
    const second = await page("?sort=name&order=asc&page=2");
    expect(first.packages[49]!.name).toBe("django-pkg-0049");
    expect(second.packages[0]!.name).toBe("django-pkg-0050");
    // A page past the end shows the last one.
    expect((await page("?page=9999")).page).toBe(100);
    const all = await listDirectory({ category: "Forms" }, { seesNominations: false }, { all: true });
    expect(all.packages).toHaveLength(2_500);
  });
});

describe("comparing packages", () => {
  useFreshDatabase();
  beforeAll(async () => {
    const ada = await makeUser("ada");
    await tracked("dj-one", {
      classifiers: [...django(supportedNotLatest, latest), "License :: OSI Approved :: MIT License"],
      maintainers: [ada],
      meta: { latestReleaseOn: daysAgo(10), githubStars: 10, downloadsLastMonth: 300, githubOpenIssues: 4 },
    });
    const two = await tracked("dj-two", {
      classifiers: django(supportedNotLatest),
      meta: { latestReleaseOn: daysAgo(800), downloadsLastMonth: 30 },
    });
    await db()
      .insert(schema.compatReports)
      .values({ packageId: two.id, version: latest, status: "in_progress", updatedAt: Date.now() });
    for (let i = 0; i < 6; i++) await tracked(`dj-extra-${i}`);
  });

  type Grid = Awaited<ReturnType<typeof compareLoader>>;
  const compare = async (search: string) =>
    (await compareLoader({ request: request(`/packages/compare${search}`), params: {}, context })) as Grid;
  const cell = (g: Grid, id: string) => g.rows.find((r) => r.id === id)!.values;

  test("chosen packages side by side: health and each supported Django release's compatibility", async () => {
    const g = await compare("?p=dj-one&p=DJ_Two");
    expect(g.packages.map((p) => p.name)).toEqual(["dj-one", "dj-two"]);
    expect(cell(g, "downloads")).toEqual(["300", "30"]);
    expect(cell(g, "state")).toEqual(["Healthy", "Dormant"]);
    expect(cell(g, "maintainers")).toEqual(["1", "0"]);
    // Declared in the classifiers, or reported by the maintainers.
    expect(cell(g, `django-${latest}`)).toEqual(["Declared", "In progress"]);
    expect(cell(g, "licence")[0]).toBe("MIT License");
  });

  test("at most six, each once; unknown names are reported, not guessed", async () => {
    const many = ["dj-one", "dj-one", ...Array.from({ length: 6 }, (_, i) => `dj-extra-${i}`), "nope"];
    const g = await compare(`?${many.map((n) => `p=${n}`).join("&")}`);
    expect(g.packages).toHaveLength(6);
    expect(g.dropped).toBe(2);
    const missing = await compare("?p=dj-one&p=not-tracked&p=<script>");
    expect(missing.missing).toEqual(["not-tracked"]);
    expect(missing.packages.map((p) => p.name)).toEqual(["dj-one"]);
  });

  test("the comparison's CSV has one column per package and one record per attribute", async () => {
    const response = (await compareCsvLoader({
      request: request("/packages/compare.csv?p=dj-two&p=dj-one"),
      params: {},
      context,
    })) as Response;
    const records = parse(await response.text()) as string[][];
    expect(records[0]).toEqual(["attribute", "dj-two", "dj-one"]);
    expect(records.find((r) => r[0] === "Maintenance state")).toEqual(["Maintenance state", "Dormant", "Healthy"]);
  });
});

describe("popularity in the ecosystem review", () => {
  useFreshDatabase();
  let roadieCookie = "";
  let volunteerCookie = "";
  let soloId = 0;
  beforeAll(async () => {
    const solo = await makeUser("solo");
    const pair = [await makeUser("pat"), await makeUser("sam")];
    soloId = solo.id;
    roadieCookie = await cookieFor((await makeRoadie("rhea")).id);
    volunteerCookie = await cookieFor((await makeUser("vic")).id);
    const fresh = daysAgo(30);
    // Widely used and healthy: two maintainers, recent, declares the current Django.
    await tracked("big-healthy", {
      classifiers: django(supportedNotLatest, latest),
      maintainers: pair,
      meta: { latestReleaseOn: fresh, downloadsLastMonth: 600_000 },
    });
    // Widely used and at risk: one maintainer, and the current Django not declared.
    await tracked("big-solo", {
      classifiers: django(supportedNotLatest),
      maintainers: [solo],
      meta: { latestReleaseOn: fresh, downloadsLastMonth: 300_000 },
    });
    // At risk too, but not widely used: never on the list.
    for (let i = 0; i < 6; i++) {
      await tracked(`small-${i}`, { meta: { latestReleaseOn: daysAgo(900), downloadsLastMonth: 10 + i } });
    }
  });

  type Review = Awaited<ReturnType<typeof ecosystemLoader>>;
  const review = async (cookie?: string) =>
    (await ecosystemLoader({ request: request("/ecosystem", { cookie }), params: {}, context })) as Review;

  test("the share of downloads from packages declaring the newest Django, and downloads by state", async () => {
    const r = await review();
    const total = 900_000 + 10 + 11 + 12 + 13 + 14 + 15;
    expect(r.popularity.totalDownloads).toBe(total);
    expect(r.popularity.current).toEqual({ version: latest, share: Math.round((600_000 / total) * 1000) / 10 });
    // Both big packages declare a supported Django and released lately: healthy, whatever their risk.
    const healthy = r.popularity.states.find((s) => s.state === "healthy")!;
    expect(healthy.downloads).toBe(900_000);
    expect(r.popularity.states.find((s) => s.state === "dormant")!.downloads).toBe(75);
  });

  test("the at-risk list names widely used packages with their reasons, most downloaded first", async () => {
    const r = await review();
    // 8 packages with downloads: the top quarter (2) is widely used.
    expect(r.popularity.popularCount).toBe(2);
    expect(r.popularity.atRisk.map((a) => [a.name, a.reasons])).toEqual([
      ["big-solo", ["one_maintainer", "not_current_django"]],
    ]);
    // Anonymous visitors and volunteers see the list, not the roadies' state of it.
    expect(r.triage).toBeNull();
    expect((await review(volunteerCookie)).triage).toBeNull();
    expect((await review(roadieCookie)).triage).toEqual({
      "big-solo": { nominationId: null, checkinsAsked: 0, checkinsAnswered: 0 },
    });
    const csv = await ((await ecosystemCsvLoader()) as Response).text();
    expect(csv).toMatch(/at_risk_one_maintainer,big-solo,300000/);
    expect(csv).toMatch(/downloads_by_maintenance_state,Healthy,900000/);
  });

  const act = (cookie: string, form: Record<string, string>) =>
    run(() => ecosystemAction({ request: request("/ecosystem", { cookie, form }), params: {}, context }));

  test("only roadies and the working group act on the list; a volunteer's post changes nothing", async () => {
    expect((await act(volunteerCookie, { intent: "nominate", package: "big-solo" })).status).toBe(403);
    expect((await act(volunteerCookie, { intent: "checkin", package: "big-solo" })).status).toBe(403);
    expect(await db().select().from(schema.nominations).all()).toEqual([]);
    expect(await db().select().from(schema.maintenanceCheckins).all()).toEqual([]);
  });

  test("a roadie nominates an at-risk package in one step, and a second click opens the same nomination", async () => {
    const first = await act(roadieCookie, { intent: "nominate", package: "big-solo" });
    expect(first.status).toBe(302);
    const [nomination] = await db().select().from(schema.nominations).all();
    expect(first.location).toBe(`/admin/nominations/${nomination!.id}`);
    expect(nomination).toMatchObject({ packageName: "big-solo", reason: "blocking-release", status: "open" });
    expect(nomination!.evidence).toEqual([`${APP}/packages/big-solo`]);
    expect(nomination!.details).toMatch(/one verified maintainer and does not declare the current django/i);
    const again = await act(roadieCookie, { intent: "nominate", package: "big-solo" });
    expect(again.location).toBe(`/admin/nominations/${nomination!.id}`);
    expect(await db().select().from(schema.nominations).all()).toHaveLength(1);
    expect((await review(roadieCookie)).triage!["big-solo"]!.nominationId).toBe(nomination!.id);
  });

  test("a roadie asks the maintainers now: one check-in per maintainer per quarter, by email", async () => {
    const result = await act(roadieCookie, { intent: "checkin", package: "big-solo" });
    expect(result.status).toBe(302);
    expect(result.location).toBe("/ecosystem?asked=big-solo#at-risk");
    const rows = await db().select().from(schema.maintenanceCheckins).all();
    expect(rows.map((r) => r.userId)).toEqual([soloId]);
    const mails = await db().select().from(schema.outboxEmails).all();
    expect(mails.map((m) => m.subject)).toEqual(["How is big-solo doing?"]);
    expect(mails[0]!.text).toMatch(/at risk/);
    // Asking again this quarter emails nobody twice.
    await act(roadieCookie, { intent: "checkin", package: "big-solo" });
    expect(await db().select().from(schema.outboxEmails).all()).toHaveLength(1);
    expect((await review(roadieCookie)).triage!["big-solo"]).toMatchObject({ checkinsAsked: 1 });
    // The notice names a package of the list, never text someone put in a link.
    const shown = (search: string) =>
      ecosystemLoader({ request: request(`/ecosystem${search}`), params: {}, context }) as Promise<Review>;
    expect((await shown("?asked=big-solo")).asked).toBe("big-solo");
    expect((await shown("?asked=Your+account+is+locked")).asked).toBeNull();
  });

  test("a package that is not at risk, unknown, or has nobody to ask is refused with a reason", async () => {
    const healthy = await act(roadieCookie, { intent: "checkin", package: "big-healthy" });
    expect(healthy.status).toBe(409);
    expect(JSON.stringify(healthy.value)).toMatch(/no longer at risk/);
    const unknown = await act(roadieCookie, { intent: "nominate", package: "not-tracked" });
    expect(unknown.status).toBe(409);
    const nobody = await act(roadieCookie, { intent: "checkin", package: "small-0" });
    expect(JSON.stringify(nobody.value)).toMatch(/no one to ask/);
    expect((await act(roadieCookie, { intent: "delete", package: "big-solo" })).status).toBe(400);
  });
});
