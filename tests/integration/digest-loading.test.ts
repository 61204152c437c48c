// What the digest's loader reads about each person, checked against the rules it must follow: a
// roadie is someone with a current roadie stint who is not suspended (powers.server.ts), an alumnus
// someone a programme recorded, and a person's skills read as they were saved.
import { expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";

const { loadMatchingData } = await import("#app/models/digest/matching.server.ts");
const { readPages } = await import("#app/models/digest/matching-people.server.ts");
const { isoWeekOf } = await import("#app/models/digest/weeks.ts");
const { membershipStart } = await import("#app/models/people/roadies.server.ts");
const { makeUser } = await import("./digest-fixtures.ts");

const DAY = 24 * 60 * 60 * 1000;

test("only a current roadie stint makes a roadie, and a recorded programme an alumnus", async () => {
  const now = Date.now();
  const roadie = await makeUser({ login: "load-roadie", skills: [["packaging", "expert"]] });
  const lapsed = await makeUser({ login: "load-lapsed" });
  const workingGroup = await makeUser({ login: "load-wg" });
  const alumnus = await makeUser({ login: "load-alumnus" });
  const nobody = await makeUser({
    login: "load-nobody",
    skills: [
      ["testing", "learning"],
      ["packaging", "comfortable"],
      ["documentation", "expert"],
    ],
  });
  await membershipStart(roadie.id, "roadie", now - DAY);
  await membershipStart(workingGroup.id, "working_group", now - DAY);
  // A stint whose term has ended grants nothing, whatever its status says.
  await db()
    .insert(schema.memberships)
    .values({
      userId: lapsed.id,
      role: "roadie",
      status: "active",
      startedAt: now - 400 * DAY,
      termEndsAt: now - DAY,
      terms: 1,
    });
  const [program] = await db()
    .insert(schema.programs)
    .values({
      slug: "load-programme",
      name: "Load programme",
      organisation: "Test",
      seasonStart: "2026-01-01",
      seasonEnd: "2026-06-30",
      opensOn: "2025-12-01",
      closesOn: "2025-12-31",
      opensAt: now - 300 * DAY,
      closesAt: now - 200 * DAY,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await db()
    .insert(schema.programAlumni)
    .values({ programId: program!.id, userId: alumnus.id, roleName: "Djangonaut", completedAt: now - DAY });

  const { volunteers } = await loadMatchingData(isoWeekOf(now), now);
  const flags = (id: number) => {
    const v = volunteers.get(id)!;
    return { roadie: v.isRoadie, alumnus: v.isAlumnus };
  };
  expect(flags(roadie.id)).toEqual({ roadie: true, alumnus: false });
  expect(flags(lapsed.id)).toEqual({ roadie: false, alumnus: false });
  expect(flags(workingGroup.id)).toEqual({ roadie: false, alumnus: false });
  expect(flags(alumnus.id)).toEqual({ roadie: false, alumnus: true });

  const skills = volunteers.get(nobody.id)!.skills;
  expect(new Map(skills)).toEqual(
    new Map([
      ["testing", "learning"],
      ["packaging", "comfortable"],
      ["documentation", "expert"],
    ]),
  );
  expect(skills.size).toBe(3);
  expect(skills.get("documentation")).toBe("expert");
  expect(skills.has("orm-migrations")).toBe(false);
  expect(volunteers.get(lapsed.id)!.skills.size).toBe(0);
  expect(volunteers.get(roadie.id)!.skills.get("packaging")).toBe("expert");
});

test("a page SQLite folds out of id order is still handed over in id order, each row's values together", async () => {
  const users = [await makeUser({ login: "page-first" }), await makeUser({ login: "page-second" })];
  const pages: [number[], string[]][] = [];
  // Newest first: the fold takes the rows as the query gives them.
  await readPages<[number[], string[]]>(
    "id, login",
    () => sql`SELECT id, login FROM ${schema.users} WHERE login LIKE 'page-%' ORDER BY id DESC`,
    (page) => pages.push(page),
  );
  expect(pages).toEqual([[users.map((u) => u.id), ["page-first", "page-second"]]]);
});
