// Mentoring programmes end to end at the model and route level: window boundaries, question
// changes, independent scoring, decisions exactly once, waitlist promotion, groups, authorization.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APP, context } from "#tests/support/routes.ts";
import { startResendStandIn, type ResendStandIn } from "#tests/fakes/resend.ts";

const API_KEY = "re_test_programs_0123456789";
const DAY = 86_400_000;
const SECOND = 1000;

let standIn: ResendStandIn;
let programs: typeof import("#app/models/programs/programs.server.ts");
let questionModel: typeof import("#app/models/programs/questions.server.ts");
let projectModel: typeof import("#app/models/programs/projects.server.ts");
let applying: typeof import("#app/models/programs/applications.server.ts");
let answerModel: typeof import("#app/models/programs/answers.server.ts");
let alumni: typeof import("#app/models/programs/alumni.server.ts");
let review: typeof import("#app/models/programs/review.server.ts");
let decisions: typeof import("#app/models/programs/decisions.server.ts");
let exporting: typeof import("#app/models/programs/export.server.ts");
let groups: typeof import("#app/models/programs/groups.server.ts");
let windows: typeof import("#app/models/programs/window.ts");
let dbModule: typeof import("#app/utils/db.server.ts");
let sessions: typeof import("#app/models/people/sessions.server.ts");
let email: typeof import("#app/utils/email.server.ts");

beforeAll(async () => {
  standIn = await startResendStandIn({ apiKey: API_KEY, rateLimitPerSecond: null });
  process.env.RESEND_API_KEY = API_KEY;
  process.env.RESEND_BASE_URL = standIn.url;
  process.env.EMAIL_FROM = "Roadies <roadies@example.org>";
  process.env.APP_URL = APP;
  delete process.env.DEMO_MODE;
  programs = await import("#app/models/programs/programs.server.ts");
  questionModel = await import("#app/models/programs/questions.server.ts");
  projectModel = await import("#app/models/programs/projects.server.ts");
  applying = await import("#app/models/programs/applications.server.ts");
  answerModel = await import("#app/models/programs/answers.server.ts");
  alumni = await import("#app/models/programs/alumni.server.ts");
  review = await import("#app/models/programs/review.server.ts");
  decisions = await import("#app/models/programs/decisions.server.ts");
  exporting = await import("#app/models/programs/export.server.ts");
  groups = await import("#app/models/programs/groups.server.ts");
  windows = await import("#app/models/programs/window.ts");
  dbModule = await import("#app/utils/db.server.ts");
  sessions = await import("#app/models/people/sessions.server.ts");
  email = await import("#app/utils/email.server.ts");
  email.emailRetryPolicy.baseDelayMs = 5;
});

afterAll(async () => {
  await standIn.close();
});

beforeEach(() => {
  standIn.reset();
});

let nextGithubId = 7000;
async function makeUser(login: string, extra: { isAdmin?: boolean; timezone?: string; email?: string | null } = {}) {
  const { db, schema } = dbModule;
  const now = Date.now();
  const [user] = await db()
    .insert(schema.users)
    .values({
      githubId: nextGithubId++,
      login,
      name: login.toUpperCase(),
      email: extra.email === undefined ? `${login}@example.org` : extra.email,
      timezone: extra.timezone ?? "Europe/London",
      adminFlag: extra.isAdmin ?? false,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  // Admin rights come from a current working-group stint.
  if (extra.isAdmin)
    await db()
      .insert(schema.memberships)
      .values({ userId: user!.id, role: "working_group", status: "active", startedAt: 0, termEndsAt: now + 365 * DAY });
  return user!;
}

async function cookieFor(userId: number) {
  const { token } = await sessions.createSession(userId, null);
  return sessions.sessionSetCookie(token).split(";")[0]!;
}

let slugCounter = 0;
async function makeProgram(
  overrides: Partial<import("#app/models/programs/programs.server.ts").ProgramInput> = {},
  organiserLogins: string[] = [],
) {
  slugCounter += 1;
  return programs.createProgram(
    {
      slug: `programme-${slugCounter}`,
      name: `Programme ${slugCounter}`,
      organisation: "Djangonaut Space",
      description: "A test programme.",
      seasonStart: "2027-02-01",
      seasonEnd: "2027-03-31",
      opensOn: "2027-01-10",
      closesOn: "2027-01-20",
      windowTimezone: "AoE",
      roles: [
        { name: "Djangonaut", capacity: 2 },
        { name: "Navigator", capacity: 1 },
      ],
      organiserLogins,
      rubric: [
        { label: "Motivation", weight: 2 },
        { label: "Availability", weight: 1 },
      ],
      ...overrides,
    },
    null,
  );
}

const inWindow = Date.UTC(2027, 0, 15);

async function apply(
  program: Awaited<ReturnType<typeof makeProgram>>,
  userId: number,
  answers: Record<number, string | string[]>,
  { submit = true, now = inWindow, role = 0 } = {},
) {
  const result = await applying.saveApplication(
    program,
    program.roles[role]!.id,
    userId,
    { answers, projectRanking: [], timezone: null, availableFrom: null, availableTo: null },
    { submit, now },
  );
  // The confirmation email goes out after saving: let it land before a test counts emails.
  await applying.flushApplicationEmails();
  return result;
}

describe("application windows", () => {
  it("computes Anywhere on Earth: opens 00:00 UTC+12 on the first day, closes 23:59:59 UTC-12 on the last", () => {
    const w = windows.windowInstants("2027-01-10", "2027-01-20", "AoE");
    expect(new Date(w.opensAt).toISOString()).toBe("2027-01-09T12:00:00.000Z");
    expect(new Date(w.closesAt).toISOString()).toBe("2027-01-21T11:59:59.999Z");
  });

  it("computes other zones, across daylight saving", () => {
    const paris = windows.windowInstants("2027-01-10", "2027-01-20", "Europe/Paris");
    expect(new Date(paris.opensAt).toISOString()).toBe("2027-01-09T23:00:00.000Z");
    expect(new Date(paris.closesAt).toISOString()).toBe("2027-01-20T22:59:59.999Z");
    const ny = windows.windowInstants("2027-03-01", "2027-07-01", "America/New_York");
    expect(new Date(ny.opensAt).toISOString()).toBe("2027-03-01T05:00:00.000Z");
    expect(new Date(ny.closesAt).toISOString()).toBe("2027-07-02T03:59:59.999Z");
  });

  for (const zone of ["AoE", "Europe/Paris", "Asia/Kolkata", "America/Los_Angeles"]) {
    it(`accepts a submission one second before closing and refuses one a second after (${zone})`, async () => {
      const program = await makeProgram({ windowTimezone: zone });
      const before = await makeUser(`before-${zone.replace(/\W/g, "").toLowerCase()}`);
      const after = await makeUser(`after-${zone.replace(/\W/g, "").toLowerCase()}`);
      const ok = await apply(program, before.id, {}, { now: program.closesAt - SECOND });
      expect(ok.ok).toBe(true);

      // A draft saved in time stays readable after the deadline, but cannot be submitted late.
      const draft = await apply(program, after.id, {}, { submit: false, now: program.closesAt - 5 * SECOND });
      expect(draft.ok).toBe(true);
      await expect(apply(program, after.id, {}, { now: program.closesAt + SECOND })).rejects.toThrow(
        /closed: the deadline has passed/,
      );
      const stillDraft = await applying.getApplication(program.id, program.roles[0]!.id, after.id);
      expect(stillDraft?.status).toBe("draft");
    });

    it(`refuses a submission one second before opening and accepts one a second after (${zone})`, async () => {
      const program = await makeProgram({ windowTimezone: zone });
      const user = await makeUser(`early-${zone.replace(/\W/g, "").toLowerCase()}`);
      await expect(apply(program, user.id, {}, { now: program.opensAt - SECOND })).rejects.toThrow(/not opened yet/);
      expect((await apply(program, user.id, {}, { now: program.opensAt + SECOND })).ok).toBe(true);
    });
  }

  it("answers a late submission through the route with a clear 403 and keeps the input", async () => {
    const { action } = await import("#app/routes/programs.$slug.apply.tsx");
    // A window that closed yesterday, in real time.
    const yesterday = new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10);
    const program = await makeProgram({ opensOn: "2020-01-01", closesOn: yesterday });
    const q = await questionModel.addQuestion(program.id, { kind: "short_text", label: "Why?", required: true }, null);
    const user = await makeUser("late-route");
    const body = new URLSearchParams({
      roleId: String(program.roles[0]!.id),
      intent: "submit",
      [`q-${q.id}`]: "Because",
    });
    const result = (await action({
      request: new Request(`${APP}/programs/${program.slug}/apply`, {
        method: "POST",
        body,
        headers: { Cookie: await cookieFor(user.id) },
      }),
      params: { slug: program.slug },
      context,
    })) as unknown as {
      data: { error: Record<string, string[]>; initialValue: Record<string, string> };
      init: { status: number };
    };
    expect(result.init.status).toBe(403);
    expect(result.data.error[""]).toEqual([expect.stringMatching(/closed/)]);
    expect(result.data.initialValue[`q-${q.id}`]).toBe("Because");
  });
});

describe("applying", () => {
  it("checks required answers, lengths and kinds on submit, saves drafts without them, and emails once", async () => {
    const program = await makeProgram();
    const name = await questionModel.addQuestion(
      program.id,
      { kind: "short_text", label: "Name", required: true, maxLength: 10 },
      null,
    );
    const site = await questionModel.addQuestion(program.id, { kind: "url", label: "Site", required: false }, null);
    const pick = await questionModel.addQuestion(
      program.id,
      { kind: "single_choice", label: "Track", required: true, options: ["ORM", "Admin"] },
      null,
    );
    const user = await makeUser("validator");
    const draft = await apply(program, user.id, { [name.id]: "Ada" }, { submit: false });
    expect(draft.ok).toBe(true);

    const bad = await apply(program, user.id, { [name.id]: "Ada Lovelace the first", [site.id]: "not a url" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems[String(name.id)]).toMatch(/10 characters/);
      expect(bad.problems[String(site.id)]).toMatch(/web address/);
      expect(bad.problems[String(pick.id)]).toMatch(/needs an answer/);
    }
    const good = await apply(program, user.id, {
      [name.id]: "Ada",
      [site.id]: "https://ada.example.org",
      [pick.id]: "ORM",
    });
    expect(good.ok && good.firstSubmission).toBe(true);
    // Editing before the deadline keeps it submitted and sends no second confirmation.
    const edit = await apply(program, user.id, { [name.id]: "Ada L", [pick.id]: "Admin" });
    expect(edit.ok && edit.firstSubmission).toBe(false);
    const confirmations = standIn.sent().filter((e) => e.to.includes("validator@example.org"));
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]!.subject).toBe(`Application received: ${program.name}`);
    expect(await answerModel.getAnswers(good.ok ? good.application.id : 0)).toMatchObject({
      [name.id]: "Ada L",
      [pick.id]: "Admin",
    });
  });

  it("allows one application per role per person and lists them with their status", async () => {
    const program = await makeProgram();
    const user = await makeUser("tworoles");
    await apply(program, user.id, {}, { role: 0 });
    await apply(program, user.id, {}, { role: 0 });
    await apply(program, user.id, {}, { role: 1, submit: false });
    const mine = await applying.listMyApplications(user.id);
    expect(mine.map((m) => [m.roleName, m.status]).sort()).toEqual([
      ["Djangonaut", "submitted"],
      ["Navigator", "draft"],
    ]);
  });
});

describe("questions changing after the window opened", () => {
  it("keeps answers when a question is reworded or removed, and refuses a change of kind", async () => {
    const program = await makeProgram();
    const organiser = await makeUser("q-organiser", { isAdmin: true });
    const why = await questionModel.addQuestion(
      program.id,
      { kind: "long_text", label: "Why?", required: true },
      organiser.id,
    );
    const gone = await questionModel.addQuestion(
      program.id,
      { kind: "short_text", label: "Pet's name", required: false },
      organiser.id,
    );
    const user = await makeUser("q-applicant");
    const result = await apply(program, user.id, { [why.id]: "To learn", [gone.id]: "Pixel" });
    expect(result.ok).toBe(true);
    const id = result.ok ? result.application.id : 0;

    const opened = { ...program, opensAt: inWindow - DAY };
    await questionModel.updateQuestion(
      opened,
      why.id,
      { kind: "long_text", label: "Why do you want to join?", required: true },
      organiser.id,
      inWindow,
    );
    await questionModel.archiveQuestion(opened, gone.id, organiser.id, inWindow);
    await expect(
      questionModel.updateQuestion(
        opened,
        why.id,
        { kind: "yes_no", label: "Why?", required: true },
        organiser.id,
        inWindow,
      ),
    ).rejects.toThrow(/cannot change/);

    expect((await questionModel.listQuestions(program.id)).map((q) => q.label)).toEqual(["Why do you want to join?"]);
    const seen = await review.getApplicationForReview(program, id, organiser.id);
    expect(seen!.answers).toMatchObject({ [why.id]: "To learn", [gone.id]: "Pixel" });
    expect(seen!.questions.map((q) => [q.label, q.archivedAt !== null])).toEqual([
      ["Why do you want to join?", false],
      ["Pet's name", true],
    ]);
  });
});

describe("the question form builder", () => {
  it("adds, checks, reorders and removes questions through the organisers' page", async () => {
    const route = await import("#app/routes/programs.$slug.questions.tsx");
    const organiser = await makeUser("qb-org");
    const program = await makeProgram({}, ["qb-org"]);
    const cookie = await cookieFor(organiser.id);
    const post = (fields: Record<string, string>) =>
      route.action({
        request: new Request(`${APP}/programs/${program.slug}/questions`, {
          method: "POST",
          body: new URLSearchParams(fields),
          headers: { Cookie: cookie },
        }),
        params: { slug: program.slug },
        context,
      });
    const bad = (await post({ kind: "single_choice", label: "Pick", options: "Only one" })) as unknown as {
      data: { error: Record<string, string[]> };
      init: { status: number };
    };
    expect(bad.init.status).toBe(400);
    expect(bad.data.error.options?.[0]).toMatch(/at least two options/);
    expect(
      ((await post({ kind: "long_text", label: "First question", required: "on", maxLength: "500" })) as Response)
        .status,
    ).toBe(302);
    expect(((await post({ kind: "yes_no", label: "Second question" })) as Response).status).toBe(302);
    let questions = await questionModel.listQuestions(program.id);
    expect(questions.map((q) => [q.label, q.required, q.maxLength])).toEqual([
      ["First question", true, 500],
      ["Second question", false, null],
    ]);
    await post({ intent: "up", questionId: String(questions[1]!.id) });
    await post({ intent: "remove", questionId: String(questions[0]!.id) });
    questions = await questionModel.listQuestions(program.id);
    expect(questions.map((q) => q.label)).toEqual(["Second question"]);
  });
});

describe("reviewing", () => {
  it("hides other reviewers' scores until the reviewer has given their own", async () => {
    const r1 = await makeUser("reviewer-one");
    const r2 = await makeUser("reviewer-two");
    const program = await makeProgram({}, ["reviewer-one", "reviewer-two"]);
    const applicant = await makeUser("scored");
    const result = await apply(program, applicant.id, {});
    const id = result.ok ? result.application.id : 0;
    const [motivation, availability] = program.rubric;

    expect((await review.scoreApplication(program, id, r1.id, { [motivation!.id]: 5, [availability!.id]: 2 })).ok).toBe(
      true,
    );
    const before = await review.getApplicationForReview(program, id, r2.id);
    expect(before!.otherScores).toBeNull();
    expect(before!.otherScoreCount).toBe(1);
    const listBefore = await review.listApplicationsForReview(program, r2.id);
    expect(listBefore.find((a) => a.id === id)!.meanTotal).toBeNull();
    // The score filter cannot be used to learn an unscored application's mean either.
    expect(await review.listApplicationsForReview(program, r2.id, { minScore: 1 })).toHaveLength(0);

    const bad = await review.scoreApplication(program, id, r2.id, { [motivation!.id]: 6, [availability!.id]: 3 });
    expect(bad.ok).toBe(false);
    await review.scoreApplication(program, id, r2.id, { [motivation!.id]: 3, [availability!.id]: 3 });
    const after = await review.getApplicationForReview(program, id, r2.id);
    expect(after!.otherScores).toEqual([
      { login: "reviewer-one", total: 4, scores: { [motivation!.id]: 5, [availability!.id]: 2 } },
    ]);
    const listAfter = await review.listApplicationsForReview(program, r2.id, { minScore: 3.5 });
    expect(listAfter.map((a) => [a.id, a.meanTotal])).toEqual([[id, 3.5]]);
  });

  it("exports applications with scores as CSV, guarding against spreadsheet formulas", async () => {
    const organiser = await makeUser("csv-organiser");
    const program = await makeProgram({}, ["csv-organiser"]);
    const q = await questionModel.addQuestion(
      program.id,
      { kind: "short_text", label: "Motto", required: false },
      organiser.id,
    );
    const applicant = await makeUser("csv-applicant");
    const result = await apply(program, applicant.id, { [q.id]: '=HYPERLINK("x")' });
    const [m, av] = program.rubric;
    await review.scoreApplication(program, result.ok ? result.application.id : 0, organiser.id, {
      [m!.id]: 4,
      [av!.id]: 4,
    });
    const csv = await exporting.exportApplicationsCsv(program, organiser.id);
    const [header, row] = csv.trim().split("\r\n");
    expect(header).toContain("mean_score");
    expect(header).toContain("Motto");
    expect(row).toContain("csv-applicant");
    expect(row).toContain(",4,");
    expect(row).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe("decisions", () => {
  async function decidedProgramme(prefix: string) {
    const organiser = await makeUser(`${prefix}-org`);
    const program = await makeProgram({}, [`${prefix}-org`]);
    const people = await Promise.all(["a", "b", "c"].map((x) => makeUser(`${prefix}-${x}`)));
    const ids: number[] = [];
    for (const person of people) {
      const r = await apply(program, person.id, {});
      ids.push(r.ok ? r.application.id : 0);
    }
    await decisions.setDecision(program.id, ids[0]!, "accepted", organiser.id);
    await decisions.setDecision(program.id, ids[1]!, "waitlisted", organiser.id);
    await decisions.setDecision(program.id, ids[2]!, "rejected", organiser.id);
    standIn.reset();
    return { organiser, program, people, ids };
  }

  const decisionEmails = () => standIn.sent().filter((e) => /place in|waitlist|Your application to/.test(e.subject));

  it("previews, then sends each decision email once even when pressed twice", async () => {
    const { organiser, program, people, ids } = await decidedProgramme("twice");
    const preview = await decisions.pendingDecisions(program.id, organiser.id);
    expect(preview.items.map((i) => i.decision)).toEqual(["accepted", "waitlisted", "rejected"]);
    // Before sending, applicants still see "submitted".
    expect((await applying.listMyApplications(people[0]!.id))[0]!.status).toBe("submitted");

    const [first, second] = await Promise.all([
      decisions.sendDecisions(program, organiser.id, preview.fingerprint),
      decisions.sendDecisions(program, organiser.id, preview.fingerprint),
    ]);
    expect(first.ok && second.ok).toBe(true);
    const third = await decisions.sendDecisions(program, organiser.id, preview.fingerprint);
    expect(third).toEqual({ ok: true, sent: 0, failed: 0 });
    expect(decisionEmails()).toHaveLength(3);
    expect(
      decisionEmails()
        .map((e) => e.to[0])
        .sort(),
    ).toEqual(people.map((p) => p.email).sort());
    expect((await applying.listMyApplications(people[0]!.id))[0]!.status).toBe("accepted");
    expect((await applying.listMyApplications(people[1]!.id))[0]!.status).toBe("waitlisted");
    // A sent decision can no longer change.
    expect((await decisions.setDecision(program.id, ids[2]!, "accepted", organiser.id)).ok).toBe(false);
  });

  it("refuses to send when the decisions changed since the preview", async () => {
    const { organiser, program, ids } = await decidedProgramme("changed");
    const preview = await decisions.pendingDecisions(program.id, organiser.id);
    await decisions.setDecision(program.id, ids[2]!, "waitlisted", organiser.id);
    const result = await decisions.sendDecisions(program, organiser.id, preview.fingerprint);
    expect(result.ok).toBe(false);
    expect(decisionEmails()).toHaveLength(0);
  });

  it("sends once through a provider error and retry", async () => {
    const { organiser, program } = await decidedProgramme("retry");
    standIn.failNext(500, 1);
    const result = await decisions.sendDecisions(
      program,
      organiser.id,
      (await decisions.pendingDecisions(program.id, organiser.id)).fingerprint,
    );
    expect(result).toMatchObject({ ok: true, sent: 3 });
    expect(decisionEmails()).toHaveLength(3);
  });

  it("sends nothing twice when a run crashed after sending and is run again", async () => {
    const { organiser, program } = await decidedProgramme("crash");
    const preview = await decisions.pendingDecisions(program.id, organiser.id);
    await decisions.sendDecisions(program, organiser.id, preview.fingerprint);
    expect(decisionEmails()).toHaveLength(3);
    // The crash: emails went out but the "sent" marks never landed.
    const { db, schema } = dbModule;
    const { eq } = await import("drizzle-orm");
    await db()
      .update(schema.applications)
      .set({ decisionSentAt: null })
      .where(eq(schema.applications.programId, program.id));
    const rerun = await decisions.sendDecisions(
      program,
      organiser.id,
      (await decisions.pendingDecisions(program.id, organiser.id)).fingerprint,
    );
    expect(rerun).toMatchObject({ ok: true, sent: 3 });
    expect(decisionEmails()).toHaveLength(3);
  });

  it("offers a declined place to the top of that role's waitlist, once", async () => {
    const organiser = await makeUser("wl-org");
    const program = await makeProgram({ roles: [{ name: "Djangonaut", capacity: 1 }] }, ["wl-org"]);
    const [a, b, c] = await Promise.all(["wl-a", "wl-b", "wl-c"].map((x) => makeUser(x)));
    const ids: number[] = [];
    for (const person of [a!, b!, c!]) {
      const r = await apply(program, person.id, {});
      ids.push(r.ok ? r.application.id : 0);
    }
    const [m, av] = program.rubric;
    await review.scoreApplication(program, ids[1]!, organiser.id, { [m!.id]: 2, [av!.id]: 2 });
    await review.scoreApplication(program, ids[2]!, organiser.id, { [m!.id]: 5, [av!.id]: 5 });
    await decisions.setDecision(program.id, ids[0]!, "accepted", organiser.id);
    await decisions.setDecision(program.id, ids[1]!, "waitlisted", organiser.id);
    await decisions.setDecision(program.id, ids[2]!, "waitlisted", organiser.id);
    await decisions.sendDecisions(
      program,
      organiser.id,
      (await decisions.pendingDecisions(program.id, organiser.id)).fingerprint,
    );
    standIn.reset();

    const outcome = await applying.withdrawApplication(ids[0]!, a!.id);
    expect(outcome.declined).toBe(true);
    expect((await applying.listMyApplications(a!.id))[0]!.status).toBe("declined");
    // wl-c scored higher than wl-b, so wl-c is offered the place.
    expect((await applying.listMyApplications(c!.id))[0]!.status).toBe("accepted");
    expect((await applying.listMyApplications(b!.id))[0]!.status).toBe("waitlisted");
    const offers = standIn.sent();
    expect(offers).toHaveLength(1);
    expect(offers[0]!.to).toEqual([c!.email]);
    expect(offers[0]!.html).toContain("A place has opened up");
    // Nothing left pending for the organisers to send.
    expect((await decisions.pendingDecisions(program.id, organiser.id)).items).toHaveLength(0);
  });
});

describe("group suggestions", () => {
  it("meets the size and overlap rules on a generated cohort of 40", () => {
    const zones = [
      "Europe/London",
      "Europe/Berlin",
      "America/New_York",
      "America/Sao_Paulo",
      "Asia/Kolkata",
      "Asia/Tokyo",
      "Africa/Nairobi",
      "Australia/Sydney",
    ];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const person = (i: number) => {
      const from = 6 + Math.floor(random() * 12);
      return {
        applicationId: i + 1,
        userId: i + 1,
        login: `p${i}`,
        timezone: zones[Math.floor(random() * zones.length)]!,
        availableFrom: from,
        availableTo: Math.min(24, from + 3 + Math.floor(random() * 8)),
        projectRanking: [1 + Math.floor(random() * 4)],
      };
    };
    const cohort = Array.from({ length: 40 }, (_, i) => person(i));
    const mentors = cohort.slice(0, 8);
    const mentees = cohort.slice(8);
    const rules = { mentorRoleId: 1, menteeRoleId: 2, maxPerMentor: 4, maxPerGroup: 8, minOverlapHours: 5 };
    const at = Date.UTC(2027, 1, 1);
    const { groups: suggested, unplaced } = groups.suggestGroups(mentors, mentees, rules, at);
    const slots = (m: (typeof cohort)[number]) => groups.weeklySlots(m, at);
    const placed = suggested.flatMap((g) => g.mentees);
    expect(placed.length + unplaced.length).toBe(32);
    expect(new Set(placed.map((m) => m.applicationId)).size).toBe(placed.length);
    expect(placed.length).toBeGreaterThan(16);
    for (const g of suggested) {
      expect(g.mentees.length).toBeLessThanOrEqual(8);
      expect(g.mentees.length).toBeLessThanOrEqual(4 * g.mentors.length);
      for (const x of g.mentees) {
        for (const y of [...g.mentees, ...g.mentors]) {
          if (x === y) continue;
          expect(groups.overlapHours(slots(x), slots(y))).toBeGreaterThanOrEqual(5);
        }
      }
    }
    // Unplaced people really had nowhere to go: no mentor with room overlaps them enough.
    for (const m of unplaced) {
      const possible = suggested.filter(
        (g) =>
          g.mentees.length < Math.min(8, 4 * g.mentors.length) &&
          g.mentors.some((mentor) => groups.overlapHours(slots(m), slots(mentor)) >= 5) &&
          g.mentees.every((o) => groups.overlapHours(slots(m), slots(o)) >= 5),
      );
      expect(possible.every((g) => g.mentees.length >= 4 * g.mentors.length)).toBe(true);
    }
  });

  it("counts weekly overlap across zones, including half-hour offsets", () => {
    const at = Date.UTC(2027, 0, 15);
    const london = groups.weeklySlots({ timezone: "Europe/London", availableFrom: 9, availableTo: 17 }, at);
    const kolkata = groups.weeklySlots({ timezone: "Asia/Kolkata", availableFrom: 9, availableTo: 17 }, at);
    // Kolkata is UTC+5:30 in January: 09-17 there is 03:30-11:30 UTC; London 09-17 UTC: 2.5 h a day.
    expect(groups.overlapHours(london, kolkata)).toBe(17.5);
  });
});

describe("groups and projects in a programme", () => {
  it("suggests groups from accepted people, saves the organisers' version and emails each member once", async () => {
    const organiser = await makeUser("grp-org");
    const program = await makeProgram(
      {
        roles: [
          { name: "Djangonaut", capacity: 8 },
          { name: "Navigator", capacity: 2 },
        ],
        groupRules: {
          mentorRole: "Navigator",
          menteeRole: "Djangonaut",
          maxPerMentor: 2,
          maxPerGroup: 8,
          minOverlapHours: 5,
        },
      },
      ["grp-org"],
    );
    const ids: Record<string, number> = {};
    for (const [login, role] of [
      ["grp-nav", 1],
      ["grp-a", 0],
      ["grp-b", 0],
      ["grp-c", 0],
    ] as const) {
      const person = await makeUser(login, { timezone: "Europe/Berlin" });
      const r = await apply(program, person.id, {}, { role });
      ids[login] = r.ok ? r.application.id : 0;
      await decisions.setDecision(program.id, ids[login]!, "accepted", organiser.id);
    }
    await decisions.sendDecisions(
      program,
      organiser.id,
      (await decisions.pendingDecisions(program.id, organiser.id)).fingerprint,
    );
    const fresh = (await programs.getProgramBySlug(program.slug))!;
    const suggestion = (await groups.suggestProgramGroups(fresh))!;
    expect(suggestion.groups).toHaveLength(1);
    expect(suggestion.groups[0]!.mentees).toHaveLength(2);
    expect(suggestion.unplaced).toHaveLength(1);

    // The organiser adds the third mentee by hand, then confirms.
    await groups.saveGroups(
      fresh,
      [{ name: "Group 1", mentorIds: [ids["grp-nav"]!], menteeIds: [ids["grp-a"]!, ids["grp-b"]!, ids["grp-c"]!] }],
      organiser.id,
    );
    standIn.reset();
    expect(await groups.confirmGroups(fresh, organiser.id)).toMatchObject({ ok: true, sent: 4 });
    await groups.confirmGroups(fresh, organiser.id);
    expect(standIn.sent().filter((e) => e.subject === `Your group in ${program.name}`)).toHaveLength(4);
    expect((await groups.saveGroups(fresh, [], organiser.id)).ok).toBe(false);
  });

  it("lets only verified maintainers offer projects on their packages", async () => {
    const { db, schema } = dbModule;
    const now = Date.now();
    const [pkg] = await db()
      .insert(schema.packages)
      .values({ name: "django-taggit", normalizedName: "django-taggit", createdAt: now, updatedAt: now })
      .returning();
    const maintainer = await makeUser("prj-maintainer");
    const stranger = await makeUser("prj-stranger");
    await db().insert(schema.packageMaintainers).values({
      packageId: pkg!.id,
      userId: maintainer.id,
      githubLogin: maintainer.login,
      verifiedAt: now,
      createdAt: now,
    });
    const program = await makeProgram();
    const input = {
      packageName: "Django_Taggit",
      title: "Type hints",
      description: "Add type hints everywhere.",
      skills: ["Typing"],
      size: "medium" as const,
      programId: program.id,
    };
    await expect(projectModel.createProject(stranger.id, input)).rejects.toThrow(/only on packages you maintain/);
    await projectModel.createProject(maintainer.id, input);
    expect((await projectModel.listProjects(program.id)).map((p) => [p.title, p.packageSlug, p.mentorLogin])).toEqual([
      ["Type hints", "django-taggit", "prj-maintainer"],
    ]);
  });
});

describe("alumni", () => {
  it("records completion for accepted people and exposes it to other areas", async () => {
    const organiser = await makeUser("alum-org");
    const program = await makeProgram({}, ["alum-org"]);
    const person = await makeUser("alum");
    const r = await apply(program, person.id, {});
    const id = r.ok ? r.application.id : 0;
    expect(await alumni.recordAlumni(program.id, [id], organiser.id)).toBe(0);
    await decisions.setDecision(program.id, id, "accepted", organiser.id);
    await decisions.sendDecisions(
      program,
      organiser.id,
      (await decisions.pendingDecisions(program.id, organiser.id)).fingerprint,
    );
    expect(await alumni.isAlumnus(person.id)).toBe(false);
    expect(await alumni.recordAlumni(program.id, [id], organiser.id)).toBe(1);
    expect(await alumni.isAlumnus(person.id)).toBe(true);
    expect(await alumni.listAlumniProgrammes(person.id)).toMatchObject([
      { slug: program.slug, roleName: "Djangonaut" },
    ]);
  });

  it("lists every programme deadline for the calendar", async () => {
    const program = await makeProgram();
    const deadlines = await programs.listProgrammeDeadlines();
    expect(deadlines).toContainEqual(expect.objectContaining({ slug: program.slug, closesAt: program.closesAt }));
  });
});

describe("creating and editing programmes", () => {
  it("creates a programme from the admin form, with messages next to wrong fields", async () => {
    const route = await import("#app/routes/programs.new.tsx");
    const admin = await makeUser("form-admin", { isAdmin: true });
    await makeUser("form-organiser");
    const cookie = await cookieFor(admin.id);
    const post = (fields: Record<string, string>) =>
      route.action({
        request: new Request(`${APP}/programs/new`, {
          method: "POST",
          body: new URLSearchParams(fields),
          headers: { Cookie: cookie },
        }),
        params: {},
        context,
      });
    const good = {
      name: "Djangonaut Space 2027 Session 1",
      slug: "ds-2027-1",
      organisation: "Djangonaut Space",
      seasonStart: "2027-02-01",
      seasonEnd: "2027-03-28",
      opensOn: "2027-01-04",
      closesOn: "2027-01-18",
      windowTimezone: "AoE",
      roles: "Djangonaut: 16\nNavigator: 4",
      rubric: "Motivation: 2",
      organisers: "@form-organiser",
      mentorRole: "Navigator",
      menteeRole: "Djangonaut",
    };
    const bad = (await post({
      ...good,
      closesOn: "2027-01-01",
      roles: "Djangonaut sixteen",
      organisers: "nobody-here",
    })) as unknown as {
      data: { error: Record<string, string[]> };
      init: { status: number };
    };
    expect(bad.init.status).toBe(400);
    expect(bad.data.error.closesOn?.[0]).toMatch(/close after they open/);
    expect(bad.data.error.roles?.[0]).toMatch(/Name: places/);
    const created = (await post(good)) as Response;
    expect(created.status).toBe(302);
    const program = (await programs.getProgramBySlug("ds-2027-1"))!;
    expect(new Date(program.closesAt).toISOString()).toBe("2027-01-19T11:59:59.999Z");
    expect((await programs.listOrganisers(program.id)).map((o) => o.login)).toEqual(["form-organiser"]);
    expect(program.groupRules).toMatchObject({ maxPerMentor: 4, maxPerGroup: 8, minOverlapHours: 5 });
    const again = (await post(good)) as unknown as { data: { error: Record<string, string[]> } };
    expect(again.data.error.slug?.[0]).toMatch(/already uses/);
  });

  it("lets organisers edit but not re-staff a programme, and never drops a role with applications", async () => {
    const organiser = await makeUser("edit-org");
    await makeUser("edit-newcomer");
    const program = await makeProgram({}, ["edit-org"]);
    const applicant = await makeUser("edit-applicant");
    await apply(program, applicant.id, {}, { role: 1 });
    const base = {
      slug: program.slug,
      name: "Renamed",
      organisation: program.organisation,
      description: "",
      seasonStart: program.seasonStart,
      seasonEnd: program.seasonEnd,
      opensOn: program.opensOn,
      closesOn: "2027-01-25",
      windowTimezone: "Europe/Paris",
      roles: [
        { name: "Djangonaut", capacity: 20 },
        { name: "Navigator", capacity: 1 },
      ],
      organiserLogins: ["edit-org"],
      rubric: [{ label: "Motivation", weight: 3 }],
    };
    const actor = { id: organiser.id, isAdmin: false };
    await expect(
      programs.updateProgram(program, { ...base, organiserLogins: ["edit-org", "edit-newcomer"] }, actor),
    ).rejects.toThrow(/Only working-group admins/);
    await expect(
      programs.updateProgram(program, { ...base, roles: [{ name: "Djangonaut", capacity: 2 }] }, actor),
    ).rejects.toThrow(/applied as Navigator/);
    await programs.updateProgram(program, base, actor);
    const saved = (await programs.getProgramBySlug(program.slug))!;
    expect(saved.name).toBe("Renamed");
    expect(new Date(saved.closesAt).toISOString()).toBe("2027-01-25T22:59:59.999Z");
    expect((await programs.listRoles(program.id)).map((r) => [r.name, r.capacity])).toEqual([
      ["Djangonaut", 20],
      ["Navigator", 1],
    ]);
    // The rubric keeps the criterion's id, so scores already given still line up.
    expect(saved.rubric).toEqual([{ id: "motivation", label: "Motivation", weight: 3 }]);
  });
});

describe("authorization of organiser routes", () => {
  type Route = { loader?: (args: never) => unknown; action?: (args: never) => unknown };
  const routes: Record<string, () => Promise<Route>> = {
    review: () => import("#app/routes/programs.$slug.review._index.tsx"),
    "review/:id": () => import("#app/routes/programs.$slug.review.$id.tsx"),
    "review.csv": () => import("#app/routes/programs.$slug.review[.]csv.ts"),
    decisions: () => import("#app/routes/programs.$slug.decisions.tsx"),
    questions: () => import("#app/routes/programs.$slug.questions.tsx"),
    groups: () => import("#app/routes/programs.$slug.groups.tsx"),
    alumni: () => import("#app/routes/programs.$slug.alumni.tsx"),
    edit: () => import("#app/routes/programs.$slug.edit.tsx"),
  };

  async function call(route: Route, kind: "loader" | "action", slug: string, id: string, cookie?: string) {
    const fn = route[kind] as unknown as (args: {
      request: Request;
      params: Record<string, string>;
      context: object;
    }) => Promise<unknown>;
    const request = new Request(`${APP}/programs/${slug}/x`, {
      method: kind === "action" ? "POST" : "GET",
      headers: cookie ? { Cookie: cookie } : {},
      ...(kind === "action" ? { body: new URLSearchParams({ intent: "comment", body: "hi" }) } : {}),
    });
    try {
      const result = await fn({ request, params: { slug, id }, context: {} });
      return result instanceof Response ? result.status : 200;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown.status;
      throw thrown;
    }
  }

  it("answers 404 to outsiders (and other programmes' organisers), sends anonymous visitors to sign in, and lets organisers in", async () => {
    const organiser = await makeUser("auth-org");
    const other = await makeUser("auth-other-org");
    const outsider = await makeUser("auth-outsider");
    const admin = await makeUser("auth-admin", { isAdmin: true });
    const program = await makeProgram({}, ["auth-org"]);
    await makeProgram({}, ["auth-other-org"]);
    const applicant = await makeUser("auth-applicant");
    const r = await apply(program, applicant.id, {});
    const id = String(r.ok ? r.application.id : 0);
    const cookies = {
      organiser: await cookieFor(organiser.id),
      other: await cookieFor(other.id),
      outsider: await cookieFor(outsider.id),
      admin: await cookieFor(admin.id),
      applicant: await cookieFor(applicant.id),
    };
    for (const [name, load] of Object.entries(routes)) {
      const route = await load();
      for (const kind of ["loader", "action"] as const) {
        if (!route[kind]) continue;
        const label = `${kind} of ${name}`;
        expect(await call(route, kind, program.slug, id), label).toBe(302);
        for (const who of ["outsider", "other", "applicant"] as const)
          expect(await call(route, kind, program.slug, id, cookies[who]), `${label} as ${who}`).toBe(404);
        expect(await call(route, kind, "no-such-programme", id, cookies.organiser), `${label}, unknown slug`).toBe(404);
        if (kind === "loader") {
          expect(await call(route, kind, program.slug, id, cookies.organiser), `${label} as organiser`).toBe(200);
          expect(await call(route, kind, program.slug, id, cookies.admin), `${label} as admin`).toBe(200);
        }
      }
    }
    // Unknown and malformed application ids are 404s, never 500s.
    const detail = await routes["review/:id"]!();
    for (const bad of ["999999", "abc", "-1"])
      expect(await call(detail, "loader", program.slug, bad, cookies.organiser)).toBe(404);
  });

  it("answers 404 for unknown programmes on public pages and withdrawals of other people's applications", async () => {
    const detail = await import("#app/routes/programs.$slug._index.tsx");
    const applyRoute = await import("#app/routes/programs.$slug.apply.tsx");
    const mine = await import("#app/routes/me.applications.tsx");
    const user = await makeUser("auth-404");
    const owner = await makeUser("auth-owner");
    const cookie = await cookieFor(user.id);
    const get = (path: string) => new Request(`${APP}${path}`, { headers: { Cookie: cookie } });
    await expect(
      detail.loader({ request: get("/programs/nope"), params: { slug: "nope" }, context }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      applyRoute.loader({ request: get("/programs/nope/apply"), params: { slug: "nope" }, context }),
    ).rejects.toMatchObject({
      status: 404,
    });
    const program = await makeProgram();
    const r = await apply(program, owner.id, {});
    for (const id of [String(r.ok ? r.application.id : 0), "abc", "0"]) {
      const request = new Request(`${APP}/me/applications`, {
        method: "POST",
        body: new URLSearchParams({ applicationId: id }),
        headers: { Cookie: cookie },
      });
      await expect(mine.action({ request, params: {}, context })).rejects.toMatchObject({ status: 404 });
    }
    expect((await applying.listMyApplications(owner.id))[0]!.status).toBe("submitted");
  });

  it("lets only working-group admins create programmes", async () => {
    const route = await import("#app/routes/programs.new.tsx");
    const plain = await makeUser("auth-plain");
    const request = new Request(`${APP}/programs/new`, { headers: { Cookie: await cookieFor(plain.id) } });
    await expect(route.loader({ request, params: {}, context })).rejects.toMatchObject({ status: 403 });
  });
});
