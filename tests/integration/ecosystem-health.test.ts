// Health signals, maintenance states and the best-practice check with a settable clock;
// compatibility statuses; dormant check-ins sent once per quarter and their one-click answers.
import { beforeAll, describe, expect, test } from "vitest";
import { context } from "#tests/support/routes.ts";

// Emails land in the outbox table (demo delivery), which the test reads.
process.env.DEMO_MODE = "true";
const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");
const { assessState, healthSignals, practiceChecks, compatFor } = await import("#app/models/packages/health.server.ts");
const { loadHealthInputs, getPackageHealth, reportCompat, canReportCompat } =
  await import("#app/models/packages/health-data.server.ts");
const { assessAllPackages } = await import("#app/models/packages/health-data.server.ts");
const { listDjangoReleases } = await import("#app/models/ecosystem/releases.server.ts");
const { sendDormantCheckins, findCheckin, answerCheckin, quarterOf } =
  await import("#app/models/packages/checkins.server.ts");
const { action: checkinAction, loader: checkinLoader } = await import("#app/routes/checkin.$token.tsx");

const NOW = Date.parse("2026-11-24T12:00:00Z");
const DAY = 86_400_000;

type Releases = Awaited<ReturnType<typeof listDjangoReleases>>;
let releases: Releases;
let ids: Record<string, number> = {};
let maintainer: { id: number; isAdmin: boolean };

async function addPackage(
  name: string,
  classifiers: string[],
  meta: Partial<typeof schema.packageMetadata.$inferInsert>,
  repository: string | null = `example/${name}`,
) {
  const [pkg] = await db()
    .insert(schema.packages)
    .values({
      name,
      normalizedName: name,
      repository,
      classifiers,
      createdAt: 1,
      updatedAt: 1,
    })
    .returning();
  await db()
    .insert(schema.packageMetadata)
    .values({ packageId: pkg!.id, updatedAt: 1, ...meta });
  ids[name] = pkg!.id;
  return pkg!;
}

const modern = [
  "Framework :: Django :: 5.2",
  "Framework :: Django :: 6.0",
  "Framework :: Django :: 6.1",
  "Programming Language :: Python :: 3.12",
  "Programming Language :: Python :: 3.13",
  "Programming Language :: Python :: 3.14",
  "License :: OSI Approved :: BSD License",
];

async function input(name: string) {
  return (await loadHealthInputs([ids[name]!]))[0]!;
}

beforeAll(async () => {
  releases = await listDjangoReleases();
  ids = {};
  await addPackage("healthy-pkg", modern, {
    latestVersion: "3.1.0",
    latestReleaseOn: "2026-09-01",
    releaseDates: ["2025-09-01", "2026-01-02", "2026-05-01", "2026-09-01"],
    requiresPython: ">=3.12",
    githubOpenIssues: 12,
    githubArchived: false,
    githubPushedAt: NOW - 5 * DAY,
  });
  // Released after 6.0 (2025-12-03) but not since 6.1 (2026-08-05): 6.1 is not 6 months old yet.
  await addPackage("quiet-pkg", ["Framework :: Django :: 5.2", "Framework :: Django :: 6.0"], {
    latestReleaseOn: "2026-01-10",
    releaseDates: ["2026-01-10"],
    githubPushedAt: NOW - 200 * DAY,
  });
  await addPackage("dormant-pkg", ["Framework :: Django :: 4.2", "Framework :: Django :: 5.0"], {
    latestReleaseOn: "2025-03-01",
    releaseDates: ["2024-03-01", "2025-03-01"],
    githubPushedAt: Date.parse("2025-06-01T00:00:00Z"),
  });
  await addPackage("archived-pkg", modern, { latestReleaseOn: "2026-10-01", githubArchived: true });
  await addPackage("unsynced-pkg", [], {}, null);

  const [user] = await db()
    .insert(schema.users)
    .values({ githubId: 7001, login: "maint", email: "maint@example.org", createdAt: 1, updatedAt: 1 })
    .returning();
  maintainer = { ...user!, isAdmin: false };
  await db()
    .insert(schema.packageMaintainers)
    .values([
      { packageId: ids["dormant-pkg"]!, userId: user!.id, githubLogin: "maint", verifiedAt: 1, createdAt: 1 },
      { packageId: ids["healthy-pkg"]!, userId: user!.id, githubLogin: "maint", verifiedAt: 1, createdAt: 1 },
    ]);
});

describe("maintenance state", () => {
  test("healthy: released since the last reference release, active, declares a supported Django", async () => {
    expect(assessState(await input("healthy-pkg"), releases, NOW).state).toBe("healthy");
  });

  test("dormant: no release within 6 months of a Django feature release, with the rule shown", async () => {
    const result = assessState(await input("dormant-pkg"), releases, NOW);
    expect(result.state).toBe("dormant");
    expect(result.rule).toMatch(/No release since Django 6\.0 came out on 2025-12-03/);
  });

  test("the clock decides: the same package is dormant only once 6 months have passed since 6.1", async () => {
    const quiet = await input("quiet-pkg");
    expect(assessState(quiet, releases, NOW).state).toBe("healthy");
    const later = Date.parse("2027-02-10T00:00:00Z");
    const result = assessState(quiet, releases, later);
    expect(result.state).toBe("dormant");
    expect(result.rule).toMatch(/Django 6\.1/);
  });

  test("dormant also after 12 months without release or push", async () => {
    const quiet = await input("quiet-pkg");
    // Pretend Django never released after 5.2 to isolate the 12-month rule.
    const old = releases.filter((r) => ["4.2", "5.2"].includes(r.version));
    expect(assessState(quiet, old, NOW).state).toBe("healthy");
    const result = assessState(quiet, old, Date.parse("2027-06-01T00:00:00Z"));
    expect(result).toMatchObject({ state: "dormant" });
    expect(result.rule).toMatch(/12 months/);
  });

  test("archived wins; unsynced packages are 'not checked yet'", async () => {
    expect(assessState(await input("archived-pkg"), releases, NOW).state).toBe("archived");
    expect(assessState(await input("unsynced-pkg"), releases, NOW).state).toBe("unknown");
  });
});

describe("signals and best practices", () => {
  test("signals explain LTS and latest support, Python, last release, cadence, maintainers", async () => {
    const signals = healthSignals(await input("healthy-pkg"), releases, NOW);
    const by = Object.fromEntries(signals.map((s) => [s.id, s]));
    expect(by.lts).toMatchObject({ level: "good", label: "Supports the current LTS (Django 5.2)" });
    expect(by.latest).toMatchObject({ level: "good", label: "Supports the latest release (Django 6.1)" });
    expect(by.python?.level).toBe("good");
    expect(by["last-release"]?.detail).toMatch(
      /Version 3\.1\.0 came out 2\.8 months ago|Version 3\.1\.0 came out 3 months ago/,
    );
    expect(by.cadence?.detail).toMatch(/4 releases on PyPI; recently one every 4 months/);
    expect(by.maintainers).toMatchObject({ level: "warning" });
    expect(by.maintainers?.detail).toMatch(/Only one verified maintainer/);

    const dormant = Object.fromEntries(healthSignals(await input("dormant-pkg"), releases, NOW).map((s) => [s.id, s]));
    expect(dormant.lts?.level).toBe("warning");
    expect(dormant["last-release"]?.level).toBe("warning");
  });

  test("the best-practice check passes and fails item by item, each linked to a guide", async () => {
    const healthy = practiceChecks(await input("healthy-pkg"), releases, NOW);
    expect(healthy.every((c) => c.passed)).toBe(true);
    expect(healthy.every((c) => c.guide.startsWith("/guides#"))).toBe(true);
    const dormant = Object.fromEntries(
      practiceChecks(await input("dormant-pkg"), releases, NOW).map((c) => [c.id, c.passed]),
    );
    expect(dormant).toMatchObject({
      "declares-django": true,
      "requires-python": false,
      "supported-django": false,
      license: false,
      source: true,
      "recent-release": false,
    });
  });
});

describe("compatibility", () => {
  test("declared, maybe (previous release declared), unknown, then the maintainer's report", async () => {
    const quiet = await input("quiet-pkg");
    expect(compatFor(quiet, "6.0", releases)).toBe("declared");
    expect(compatFor(quiet, "6.1", releases)).toBe("maybe");
    expect(compatFor(quiet, "6.2", releases)).toBe("unknown");
    await reportCompat(ids["quiet-pkg"]!, "6.1", "needs_help", maintainer.id);
    expect(compatFor(await input("quiet-pkg"), "6.1", releases)).toBe("needs_help");
    const health = await getPackageHealth(ids["quiet-pkg"]!, maintainer, NOW);
    // Not a maintainer of quiet-pkg: may not report.
    expect(health?.canReport).toBe(false);
    // The package page says what canReportCompat (the compatibility form's check) says.
    expect(await canReportCompat(ids["quiet-pkg"]!, maintainer.id)).toBe(false);
    expect((await getPackageHealth(ids["healthy-pkg"]!, maintainer, NOW))?.canReport).toBe(true);
    expect(await canReportCompat(ids["healthy-pkg"]!, maintainer.id)).toBe(true);
    expect((await getPackageHealth(ids["healthy-pkg"]!, null, NOW))?.canReport).toBe(false);
    expect(health?.compat.find((c) => c.version === "6.1")?.status).toBe("needs_help");
  });
});

describe("dormant check-ins", () => {
  const outbox = () => db().select().from(schema.outboxEmails).all();

  test("each maintainer of a dormant package gets one email per quarter", async () => {
    const first = await sendDormantCheckins(NOW);
    expect(first.sent).toBe(1);
    const mails = await outbox();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("How is dormant-pkg doing?");
    expect(mails[0]!.text).toMatch(/still maintained/i);

    // The next day, and later in the same quarter: nothing more.
    expect((await sendDormantCheckins(NOW + DAY)).sent).toBe(0);
    expect((await sendDormantCheckins(Date.parse("2026-12-30T00:00:00Z"))).sent).toBe(0);
    expect(await outbox()).toHaveLength(1);

    // A new quarter asks again.
    expect(quarterOf(Date.parse("2027-01-05T00:00:00Z"))).toBe("2027-Q1");
    expect((await sendDormantCheckins(Date.parse("2027-01-05T00:00:00Z"))).sent).toBe(1);
    expect(await outbox()).toHaveLength(2);
  });

  test("the one-click answer: GET only shows, POST records and updates the state", async () => {
    const mail = (await outbox())[0]!;
    const link = /https?:\/\/[^\s"<>]*\/checkin\/([^?"\s]+)\?answer=still_maintained/.exec(mail.html)!;
    expect(link).toBeTruthy();
    const token = link[1]!;
    const shown = await checkinLoader({
      request: new Request(`http://x/checkin/${token}?answer=still_maintained`),
      params: { token },
      context,
    });
    expect(shown).toMatchObject({ packageName: "dormant-pkg", answer: "still_maintained", recorded: null });

    const response = (await checkinAction({
      request: new Request(`http://x/checkin/${token}`, {
        method: "POST",
        body: new URLSearchParams({ answer: "still_maintained" }),
      }),
      params: { token },
      context,
    })) as Response;
    expect(response.status).toBe(302);
    expect((await findCheckin(token))?.answer).toBe("still_maintained");
    const now = Date.now();
    const state = assessState(await input("dormant-pkg"), releases, now);
    // Still maintained lifts "dormant"; the stale Django support still needs attention.
    expect(state.state).toBe("needs_attention");
  });

  test("'want to hand over' marks the package as needing attention with that reason", async () => {
    const row = await db()
      .select()
      .from(schema.maintenanceCheckins)
      .where(eq(schema.maintenanceCheckins.quarter, "2027-Q1"))
      .get();
    await answerCheckin(row!.id, "want_to_hand_over", Date.parse("2027-01-06T00:00:00Z"));
    const state = assessState(await input("dormant-pkg"), releases, Date.parse("2027-01-07T00:00:00Z"));
    expect(state).toMatchObject({ state: "needs_attention" });
    expect(state.rule).toMatch(/hand it over/);
  });

  test("a forged or foreign token is a 404", async () => {
    const result = await checkinLoader({
      request: new Request("http://x/checkin/abc.def"),
      params: { token: "abc.def" },
      context,
    }).catch((e: unknown) => e);
    expect((result as Response).status).toBe(404);
  });
});

describe("one package's health, as its page reads it", () => {
  test("the package page judges each package exactly as the review of all packages does", async () => {
    // A package never synced (no metadata row), and answered check-ins of two maintainers at one moment.
    const bare = await db()
      .insert(schema.packages)
      .values({ name: "bare-pkg", normalizedName: "bare-pkg", createdAt: 1, updatedAt: 1 })
      .returning();
    ids["bare-pkg"] = bare[0]!.id;
    const at = Date.parse("2027-01-08T00:00:00Z");
    const [other] = await db()
      .insert(schema.users)
      .values({ githubId: 7002, login: "other", email: "other@example.org", createdAt: 1, updatedAt: 1 })
      .returning();
    await db()
      .insert(schema.maintenanceCheckins)
      .values([
        {
          packageId: ids["healthy-pkg"]!,
          userId: maintainer.id,
          quarter: "2027-Q1",
          sentAt: 1,
          answer: "would_like_help",
          answeredAt: at,
        },
        {
          packageId: ids["healthy-pkg"]!,
          userId: other!.id,
          quarter: "2027-Q1",
          sentAt: 1,
          answer: "still_maintained",
          answeredAt: at,
        },
      ]);
    await reportCompat(ids["healthy-pkg"]!, "6.2", "compatible", maintainer.id);
    for (const now of [NOW, Date.parse("2027-01-09T00:00:00Z")]) {
      const all = await assessAllPackages(now);
      for (const { input, state, rule } of all.packages) {
        const health = await getPackageHealth(input.id, null, now);
        expect(health, input.name).toMatchObject({
          packageName: input.normalizedName,
          state,
          rule,
          signals: healthSignals(input, all.releases, now),
          practices: practiceChecks(input, all.releases, now),
        });
        for (const c of health!.compat)
          expect(c.status, `${input.name} ${c.version}`).toBe(compatFor(input, c.version, all.releases));
      }
    }
    expect((await getPackageHealth(ids["bare-pkg"]!, null, NOW))?.state).toBe("unknown");
    expect(await getPackageHealth(999_999, null, NOW)).toBeNull();
  });
});
