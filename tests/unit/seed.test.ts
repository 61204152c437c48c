// Reference data (Django releases, skills) and demo data seeding.
import { describe, expect, test } from "vitest";
import { asc, count, eq } from "drizzle-orm";
import * as schema from "#db/schema.ts";
import { seedReference, versionSortKey } from "#db/seed.ts";
import { seedDemo } from "#db/demo.ts";
import { demoPeople } from "#db/demo-people.ts";
import { normalizePackageName } from "#app/models/packages/names.ts";

async function database() {
  const { db } = await import("#app/utils/db.server.ts");
  return db();
}

async function snapshot() {
  const db = await database();
  return {
    releases: await db.select().from(schema.djangoReleases).orderBy(asc(schema.djangoReleases.version)),
    skills: await db.select().from(schema.skills).orderBy(asc(schema.skills.id)),
  };
}

describe("reference data", () => {
  test("has every feature release from 3.2 on, with the right LTS flags", async () => {
    const db = await database();
    const rows = await db.select().from(schema.djangoReleases);
    const byVersion = new Map(rows.map((r) => [r.version, r]));
    for (const v of ["3.2", "4.0", "4.1", "4.2", "5.0", "5.1", "5.2", "6.0", "6.1", "6.2", "2028", "2029"]) {
      expect(byVersion.has(v), `Django ${v}`).toBe(true);
    }
    const lts = rows.filter((r) => r.lts).map((r) => r.version);
    expect(lts.sort()).toEqual(["3.2", "4.2", "5.2", "6.2"]);
    expect(byVersion.get("4.2")).toMatchObject({
      releaseDate: "2023-04-03",
      extendedSupportEnd: "2026-04-07",
      status: "released",
    });
    expect(byVersion.get("2028")?.status).toBe("planned");
  });

  test("released versions list the Python versions they support", async () => {
    const db = await database();
    const rows = await db.select().from(schema.djangoReleases).where(eq(schema.djangoReleases.status, "released"));
    expect(rows.length).toBeGreaterThanOrEqual(9);
    for (const r of rows) {
      const pythons = r.pythonVersions;
      expect(pythons.length, `Django ${r.version}`).toBeGreaterThan(0);
      for (const p of pythons) expect(p).toMatch(/^3\.\d+$/);
    }
    const py = (v: string) => rows.find((r) => r.version === v)!.pythonVersions;
    expect(py("3.2")).toContain("3.6");
    expect(py("6.0")).toEqual(["3.12", "3.13", "3.14"]);
  });

  test("calendar versions sort after 6.2, newest first by sortKey", async () => {
    const db = await database();
    const rows = await db
      .select({ version: schema.djangoReleases.version })
      .from(schema.djangoReleases)
      .orderBy(asc(schema.djangoReleases.sortKey));
    const order = rows.map((r) => r.version);
    expect(order.indexOf("6.2")).toBe(order.length - 3);
    expect(order.slice(-2)).toEqual(["2028", "2029"]);
    expect(order.slice(0, 3)).toEqual(["3.2", "4.0", "4.1"]);
    expect(versionSortKey("3.2")).toBe(30200);
    expect(versionSortKey("2028.1")).toBeGreaterThan(versionSortKey("2028.0"));
    expect(versionSortKey("2028.0")).toBeGreaterThan(versionSortKey("6.2"));
    expect(versionSortKey("4.10")).toBeGreaterThan(versionSortKey("4.9"));
  });

  test("skills cover the five groups with at least 28 skills", async () => {
    const db = await database();
    const rows = await db.select().from(schema.skills).orderBy(asc(schema.skills.position));
    expect(rows.length).toBeGreaterThanOrEqual(28);
    const groups = new Set(rows.map((r) => r.group));
    expect([...groups].sort()).toEqual(["Community", "Django", "Front end", "Operations", "Quality"]);
    const names = rows.map((r) => r.name);
    for (const n of ["ORM and migrations", "Accessibility", "Testing", "Packaging", "Mentoring", "Governance"]) {
      expect(names).toContain(n);
    }
  });

  test("seeding again changes nothing and does not fail", async () => {
    const db = await database();
    const before = await snapshot();
    await seedReference(db);
    await seedReference(db);
    expect(await snapshot()).toEqual(before);
  });
});

describe("demo data", () => {
  test("seeds packages and people with skills once, then does nothing", async () => {
    const db = await database();
    const now = Date.UTC(2026, 10, 1);
    expect(await seedDemo(db, now)).toEqual({ seeded: true });

    const [pkgCount] = await db.select({ n: count() }).from(schema.packages);
    expect(pkgCount?.n).toBeGreaterThanOrEqual(60);
    const drf = await db
      .select()
      .from(schema.packages)
      .where(eq(schema.packages.normalizedName, "djangorestframework"))
      .get();
    expect(drf).toMatchObject({ repository: "encode/django-rest-framework", createdAt: now });
    expect(drf!.classifiers).toContain("Framework :: Django");

    const people = await db.select().from(schema.users).where(eq(schema.users.isDemo, true));
    expect(people.length).toBeGreaterThanOrEqual(12);
    expect(people.length).toBe(demoPeople.length);
    expect(people.filter((p) => p.adminFlag).map((p) => p.login)).toContain("ada-demo");
    const ada = people.find((p) => p.login === "ada-demo")!;
    expect(ada).toMatchObject({ name: "Ada Demo", email: "ada-demo@demo.roadies.invalid", githubId: 90000001 });

    const skills = await db.select().from(schema.userSkills);
    const expected = demoPeople.reduce((n, p) => n + p.skills.length, 0);
    expect(skills.length).toBe(expected);
    for (const p of people) {
      const mine = skills.filter((s) => s.userId === p.id);
      expect(mine.length, p.login).toBeGreaterThanOrEqual(3);
    }

    expect(await seedDemo(db, now + 1000)).toEqual({ seeded: false });
    const [again] = await db.select({ n: count() }).from(schema.packages);
    expect(again?.n).toBe(pkgCount?.n);
    expect(await db.select({ n: count() }).from(schema.userSkills)).toEqual([{ n: expected }]);
  });

  test("one demo account is brand new, the others are years old", () => {
    const ageDays = demoPeople.map((p) => (Date.now() - Date.parse(p.githubCreatedAt)) / 86_400_000);
    expect(ageDays.filter((d) => d < 60)).toHaveLength(1);
    expect(ageDays.filter((d) => d > 365).length).toBeGreaterThanOrEqual(demoPeople.length - 2);
    expect(new Set(demoPeople.map((p) => p.timezone)).size).toBeGreaterThanOrEqual(10);
  });
});

describe("normalizePackageName", () => {
  test.each([
    ["Django-Foo", "django-foo"],
    ["django_foo", "django-foo"],
    ["django.foo", "django-foo"],
    ["Django__Rest...Framework", "django-rest-framework"],
    ["django-_.-foo", "django-foo"],
    ["djangorestframework", "djangorestframework"],
  ])("%s -> %s", (name, normalized) => {
    expect(normalizePackageName(name)).toBe(normalized);
  });
});
