// The home page's first-run path: a signed-in person's next useful step (complete the profile, see
// the calls that fit their skills, choose their digest) and what waits for their answer (interests
// in their calls, working-group votes, applications to review, requests assigned to them).
import { describe, expect, test } from "vitest";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { useFreshDatabase } from "#tests/support/database.ts";

process.env.APP_URL = APP;
delete process.env.DEMO_MODE;

const { db, schema } = await import("#app/utils/db.server.ts");
const { firstStepsFor } = await import("#app/models/people/first-steps.server.ts");
const { makeAdmin, makeCall, makePackage, makeUser, cookieFor } = await import("#tests/support/factories.ts");
const home = await import("#app/routes/_index.tsx");

const DAY = 24 * 60 * 60 * 1000;

describe("a newcomer's next steps", () => {
  useFreshDatabase();

  test("someone who has told Roadies nothing is asked to fill in their profile and choose a digest", async () => {
    const newcomer = await makeUser("first-steps-newcomer", { timezone: null, bio: null, availabilityHours: null });
    const result = await firstStepsFor(newcomer.id);
    expect(result.profile).toBe("missing");
    expect(result.steps.map((s) => [s.id, s.to])).toEqual([
      ["profile", "/settings/profile"],
      ["digest", "/settings/notifications"],
    ]);
    expect(result.waiting).toEqual([]);
  });

  test("a volunteer with skills sees how many open calls ask for them, linked to the list filtered on their skill", async () => {
    const maintainer = await makeUser("first-steps-maintainer");
    const pkg = await makePackage("django-first-steps", [maintainer]);
    const fits = await makeCall(pkg.id, maintainer, { title: "Needs a DRF reviewer" });
    await makeCall(pkg.id, maintainer, { title: "Needs a translator" });
    const expired = await makeCall(pkg.id, maintainer, {
      title: "Expired DRF call",
      createdAt: Date.now() - 90 * DAY,
    });
    await db()
      .insert(schema.callSkills)
      .values([
        { callId: fits.id, skillId: "django-rest-framework", level: "comfortable" },
        { callId: expired.id, skillId: "django-rest-framework", level: "comfortable" },
      ]);
    const volunteer = await makeUser("first-steps-volunteer", {
      timezone: "Europe/Rome",
      bio: "I review serializers.",
      availabilityHours: 3,
    });
    await db()
      .insert(schema.userSkills)
      .values({ userId: volunteer.id, skillId: "django-rest-framework", level: "expert" });
    await db().insert(schema.digestPreferences).values({ userId: volunteer.id, updatedAt: Date.now() });

    const result = await firstStepsFor(volunteer.id);
    expect(result.profile).toBe("complete");
    expect(result.steps).toEqual([
      expect.objectContaining({
        id: "matching-calls",
        title: "1 open call asks for your skills",
        to: "/calls?skill=django-rest-framework",
      }),
    ]);
  });

  test("a profile with skills but no time zone or hours is called thin", async () => {
    const person = await makeUser("first-steps-thin", { timezone: null, availabilityHours: null, bio: "Hi" });
    await db().insert(schema.userSkills).values({ userId: person.id, skillId: "testing", level: "learning" });
    const result = await firstStepsFor(person.id);
    expect(result.profile).toBe("thin");
    expect(result.steps[0]).toEqual(expect.objectContaining({ id: "profile", cta: "Complete my profile" }));
  });
});

describe("what waits for a person", () => {
  useFreshDatabase();

  test("a maintainer sees the pending interests in their open calls, and only theirs", async () => {
    const maintainer = await makeUser("waiting-maintainer");
    const other = await makeUser("waiting-other-maintainer");
    const volunteer = await makeUser("waiting-volunteer");
    const mine = await makePackage("django-waiting-mine", [maintainer]);
    const theirs = await makePackage("django-waiting-theirs", [other]);
    const call = await makeCall(mine.id, maintainer);
    const otherCall = await makeCall(theirs.id, other);
    const now = Date.now();
    await db()
      .insert(schema.callInterests)
      .values([
        { callId: call.id, userId: volunteer.id, message: "I can help.", createdAt: now, updatedAt: now },
        { callId: otherCall.id, userId: volunteer.id, message: "Me too.", createdAt: now, updatedAt: now },
      ]);

    const result = await firstStepsFor(maintainer.id);
    expect(result.waiting).toEqual([
      { id: "interests", count: 1, label: "1 interest waits for your answer", to: `/calls/${call.id}/manage` },
    ]);
    expect((await firstStepsFor(volunteer.id)).waiting).toEqual([]);
  });

  test("a working-group admin sees the votes they have not cast, the applications to review and their requests", async () => {
    const admin = await makeAdmin("waiting-admin");
    const applicant = await makeUser("waiting-applicant");
    const now = Date.now();
    const [proposal] = await db()
      .insert(schema.trustProposals)
      .values({
        kind: "roadie_application",
        subjectUserId: applicant.id,
        motivation: "I have handed over two packages.",
        createdAt: now,
      })
      .returning();
    const [program] = await db()
      .insert(schema.programs)
      .values({
        slug: "waiting-programme",
        name: "Waiting programme",
        organisation: "Test",
        seasonStart: "2026-01-01",
        seasonEnd: "2026-06-30",
        opensOn: "2025-12-01",
        closesOn: "2025-12-31",
        opensAt: now - DAY,
        closesAt: now + DAY,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const [role] = await db()
      .insert(schema.programRoles)
      .values({ programId: program!.id, name: "Djangonaut", capacity: 5 })
      .returning();
    await db().insert(schema.applications).values({
      programId: program!.id,
      roleId: role!.id,
      userId: applicant.id,
      status: "submitted",
      submittedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    const pkg = await makePackage("django-waiting-request", [applicant]);
    await db().insert(schema.specialRequests).values({
      packageId: pkg.id,
      kind: "funding",
      title: "Funding for CI",
      details: "We need CI minutes.",
      confidential: false,
      assigneeUserId: admin.id,
      createdAt: now,
      updatedAt: now,
    });

    const waiting = await firstStepsFor(admin.id);
    expect(waiting.waiting.map((w) => [w.id, w.count, w.to])).toEqual([
      ["votes", 1, "/admin/roadies"],
      ["applications", 1, "/programs/waiting-programme/review"],
      ["requests", 1, expect.stringMatching(/^\/requests\/\d+$/)],
    ]);

    // Once voted, the vote no longer waits; the applicant never sees a vote about themselves.
    await db()
      .insert(schema.trustVotes)
      .values({ proposalId: proposal!.id, voterUserId: admin.id, choice: "approve", createdAt: now, updatedAt: now });
    expect((await firstStepsFor(admin.id)).waiting.map((w) => w.id)).toEqual(["applications", "requests"]);
    expect((await firstStepsFor(applicant.id)).waiting).toEqual([]);
  });

  test("the home page shows a signed-in person their next steps and nothing of it to a visitor", async () => {
    const person = await makeUser("waiting-home", { timezone: null, bio: null, availabilityHours: null });
    const cookie = await cookieFor(person.id);
    const signedIn = await run(() => home.loader({ request: request("/", { cookie }), params: {}, context }));
    const data = signedIn.value as Awaited<ReturnType<typeof home.loader>>;
    expect(data.firstSteps?.steps.map((s) => s.cta)).toEqual(["Fill in my profile", "Set digest preferences"]);
    const visitor = await run(() => home.loader({ request: request("/"), params: {}, context }));
    expect((visitor.value as Awaited<ReturnType<typeof home.loader>>).firstSteps).toBeNull();
  });
});
