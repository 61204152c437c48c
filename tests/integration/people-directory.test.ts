// Finding people on /people through the real loader: each filter (skill at a least level, role, time
// zone within n hours — across the date line —, weekly hours, open to taking over a package), and
// privacy: only profiles their owners made visible to this viewer; hidden, suspended and moderated
// people are never listed.
import { beforeAll, describe, expect, test } from "vitest";
import { APP, context, request, run } from "#tests/support/routes.ts";

process.env.APP_URL = APP;
delete process.env.DEMO_MODE;

const { useFreshDatabase } = await import("#tests/support/database.ts");
const { makeUser, cookieFor } = await import("#tests/support/factories.ts");
const { db, schema } = await import("#app/utils/db.server.ts");
const { saveProfile } = await import("#app/models/people/profile.server.ts");
const route = await import("#app/routes/people._index.tsx");
type ProfileInput = import("#app/models/people/profile.ts").ProfileInput;
type Page = { people: { login: string; zone: string | null; skills: { skillId: string }[] }[]; total: number };

async function person(login: string, profile: Partial<ProfileInput>) {
  const user = await makeUser(login);
  await saveProfile(user.id, {
    timezone: "UTC",
    availabilityHours: 2,
    rolesWanted: [],
    djangoVersions: [],
    categories: [],
    openToTakeover: false,
    bio: "",
    visibility: "public",
    skills: {},
    ...profile,
  });
  return user;
}

/** The logins listed, in the page's order. */
async function listed(query: string, cookie?: string): Promise<string[]> {
  const result = await run(() =>
    route.loader({ request: request(`/people${query}`, { cookie }), params: {}, context }),
  );
  expect(result.status).toBe(200);
  return (result.value as Page).people.map((p) => p.login);
}
const search = async (query: string, cookie?: string) => (await listed(query, cookie)).sort();

describe("finding people", () => {
  useFreshDatabase();

  beforeAll(async () => {
    await person("dir-async-expert", {
      timezone: "Europe/Paris",
      availabilityHours: 6,
      rolesWanted: ["co-maintainer"],
      skills: { "async-channels": "expert", testing: "comfortable" },
    });
    await person("dir-async-learner", {
      timezone: "Europe/Berlin",
      availabilityHours: 1,
      rolesWanted: ["mentee"],
      skills: { "async-channels": "learning" },
    });
    await person("dir-async-comfortable", {
      timezone: "America/New_York",
      availabilityHours: 10,
      rolesWanted: ["new-owner", "co-maintainer"],
      openToTakeover: true,
      skills: { "async-channels": "comfortable" },
    });
    await person("dir-auckland", { timezone: "Pacific/Auckland", availabilityHours: 4, skills: { admin: "expert" } });
    await person("dir-pago-pago", { timezone: "Pacific/Pago_Pago", availabilityHours: 4, openToTakeover: true });
    await person("dir-kiritimati", { timezone: "Pacific/Kiritimati", availabilityHours: 3 });
    await person("dir-honolulu", { timezone: "Pacific/Honolulu", availabilityHours: 3 });
  });

  test("a skill at a least level finds that level and above: comfortable or better leaves out the learner", async () => {
    expect(await search("?skill=async-channels&level=comfortable")).toEqual([
      "dir-async-comfortable",
      "dir-async-expert",
    ]);
    expect(await search("?skill=async-channels&level=expert")).toEqual(["dir-async-expert"]);
    expect(await search("?skill=async-channels")).toEqual([
      "dir-async-comfortable",
      "dir-async-expert",
      "dir-async-learner",
    ]);
  });

  test("the role filter finds only people who would take on that role", async () => {
    expect(await search("?role=co-maintainer")).toEqual(["dir-async-comfortable", "dir-async-expert"]);
  });

  test("weekly hours finds people with at least that many hours", async () => {
    expect(await search("?hours=6")).toEqual(["dir-async-comfortable", "dir-async-expert"]);
  });

  test("open to taking over a package finds only those who said so", async () => {
    expect(await search("?takeover=1")).toEqual(["dir-async-comfortable", "dir-pago-pago"]);
  });

  test("filters combine: comfortable with async, within 3 hours of UTC+1, leaves out New York", async () => {
    expect(await search("?skill=async-channels&level=comfortable&tz=UTC%2B01:00&within=3")).toEqual([
      "dir-async-expert",
    ]);
    // Europe/Paris as the zone gives the same answer as its offset.
    expect(await search("?skill=async-channels&level=comfortable&tz=Europe/Paris&within=3")).toEqual([
      "dir-async-expert",
    ]);
  });

  test("the time-zone range wraps across the date line: Auckland and Pago Pago are an hour apart, not 23", async () => {
    const nearAuckland = await search("?tz=Pacific/Auckland&within=2");
    expect(nearAuckland).toContain("dir-auckland");
    expect(nearAuckland).toContain("dir-pago-pago");
    expect(nearAuckland).not.toContain("dir-async-expert");
    // Kiritimati (UTC+14) shows Honolulu's (UTC−10) time of day, a calendar day ahead.
    expect(await search("?tz=Pacific/Honolulu&within=0")).toEqual(["dir-honolulu", "dir-kiritimati"]);
    expect(await search("?tz=UTC-10:00&within=0")).toEqual(["dir-honolulu", "dir-kiritimati"]);
  });

  test("with a zone chosen, the nearest people come first", async () => {
    const order = await listed("?tz=Europe/Paris&within=8");
    expect(order.slice(0, 2)).toEqual(["dir-async-expert", "dir-async-learner"]);
    expect(order.at(-1)).toBe("dir-async-comfortable"); // New York, six hours away
  });

  test("a value that is not one of the choices is ignored instead of failing the page", async () => {
    const all = await search("");
    expect(await search("?skill=not-a-skill&level=guru&tz=Mars/Olympus&within=99&hours=-4&role=king")).toEqual(all);
  });
});

describe("the directory respects each person's choice", () => {
  useFreshDatabase();

  test("visitors see public profiles only; signed-in people also those shown to signed-in people; hidden, suspended and moderated people never", async () => {
    await person("vis-public", { skills: { caching: "expert" } });
    await person("vis-users", { visibility: "users", skills: { caching: "expert" } });
    const hidden = await person("vis-hidden", { visibility: "hidden", skills: { caching: "expert" } });
    const suspended = await person("vis-suspended", { skills: { caching: "expert" } });
    const moderated = await person("vis-moderated", { skills: { caching: "expert" } });
    await db()
      .insert(schema.accountSuspensions)
      .values({ userId: suspended.id, reason: "spam", createdAt: Date.now() });
    await db()
      .insert(schema.moderationHides)
      .values({ objectType: "profile", objectId: String(moderated.id), reason: "abuse", createdAt: Date.now() });

    expect(await search("?skill=caching")).toEqual(["vis-public"]);
    const viewer = await makeUser("vis-viewer");
    expect(await search("?skill=caching", await cookieFor(viewer.id))).toEqual(["vis-public", "vis-users"]);
    // Not even to themselves: the directory is what others see.
    expect(await search("?skill=caching", await cookieFor(hidden.id))).toEqual(["vis-public", "vis-users"]);
    // Time-zone searches read only listed people's zones, too.
    expect(await search("?tz=UTC&within=0")).toEqual(["vis-public"]);
  });
});

describe("lists of names link only to profiles that open", () => {
  useFreshDatabase();

  test("a roadie whose profile is for signed-in people is named on /roadies without a link for visitors, with one for signed-in people", async () => {
    const roadiesRoute = await import("#app/routes/roadies._index.tsx");
    const open = await person("roadie-open", {});
    const shy = await person("roadie-shy", { visibility: "users" });
    for (const r of [open, shy])
      await db()
        .insert(schema.memberships)
        .values({ userId: r.id, role: "roadie", status: "active", startedAt: 0, termEndsAt: Date.now() + 86_400_000 });
    type Roadies = { roadies: { login: string; linked: boolean }[] };
    const linked = async (cookie?: string) => {
      const result = await run(() =>
        roadiesRoute.loader({ request: request("/roadies", { cookie }), params: {}, context }),
      );
      return Object.fromEntries((result.value as Roadies).roadies.map((r) => [r.login, r.linked]));
    };
    expect(await linked()).toEqual({ "roadie-open": true, "roadie-shy": false });
    const viewer = await makeUser("roadie-viewer");
    expect(await linked(await cookieFor(viewer.id))).toEqual({ "roadie-open": true, "roadie-shy": true });
  });
});
