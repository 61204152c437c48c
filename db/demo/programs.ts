// Demo mode's mentoring programmes: a Djangonaut Space session taking applications now, a Google
// Summer of Code round whose window has closed (decisions sent, alumni recorded), mentoring projects
// on real demo packages, and applications in every state. Programme facts (roles, group rules,
// selection criteria, format) come from /work/shared/data/programs.json; the dates are demo dates
// placed around "now" so the windows are open and closed whenever the demo runs.
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../app/utils/db.server.ts";
import { windowInstants } from "../../app/models/programs/window.ts";
import {
  applicationAnswers,
  applicationComments,
  applications,
  applicationScores,
  mentoringProjects,
  packages,
  programAlumni,
  programOrganisers,
  programQuestions,
  programRoles,
  programs,
  users,
} from "../schema.ts";

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const djangonautDescription = `Djangonaut Space is a free, 8-week group mentoring program where individuals work self-paced in a semi-structured learning environment.

- No more than 4 Djangonauts per Navigator and no more than 8 Djangonauts in a group.
- Every Djangonaut in a group has the same goal and a relatively similar level.
- Each week there are stand-ups facilitated by the Navigators, where cohort members check in with a status update, ask questions and receive feedback.
- Groups receive support from Captains.

*This is a demo session on Roadies: its dates are placed around today so that its window is open.*`;

const gsocDescription = `The Django Software Foundation takes part in Google Summer of Code as a mentoring organisation. Contributors propose a project from the ideas page (https://code.djangoproject.com/wiki/SummerOfCodeYYYY) and work on it over the summer with a mentor.

*This is a demo round on Roadies: its dates are placed around today so that its window has closed.*`;

/** Rubric from Djangonaut Space's published selection criteria. */
const djangonautRubric = ["Resiliency", "Personality", "Availability", "Knowledge", "Motivation"].map((label) => ({
  id: label.toLowerCase(),
  label,
  weight: label === "Motivation" || label === "Availability" ? 2 : 1,
}));

/** Who organises each demo programme (besides the admins); the sign-in picker names them too. */
export const demoOrganisers = { djangonaut: "kofi-demo", gsoc: "chiara-demo" } as const;

export async function seedPrograms(db: Database, now: number): Promise<void> {
  const people = await db.select({ id: users.id, login: users.login }).from(users).where(eq(users.isDemo, true));
  const user = (login: string) => people.find((p) => p.login === login)?.id;
  if (!user("ada-demo") || !user("kofi-demo")) return;

  // --- Djangonaut Space: open now (opened 10 days ago, closes in 14 days, Anywhere on Earth).
  const dsOpens = isoDay(now - 10 * DAY);
  const dsCloses = isoDay(now + 14 * DAY);
  const ds = windowInstants(dsOpens, dsCloses, "AoE");
  const [djangonaut] = await db
    .insert(programs)
    .values({
      slug: "djangonaut-space-demo-session",
      name: "Djangonaut Space: demo session",
      organisation: "Djangonaut Space",
      description: djangonautDescription,
      website: "https://djangonaut.space",
      seasonStart: isoDay(now + 35 * DAY),
      seasonEnd: isoDay(now + 35 * DAY + 8 * 7 * DAY),
      opensOn: dsOpens,
      closesOn: dsCloses,
      windowTimezone: "AoE",
      opensAt: ds.opensAt,
      closesAt: ds.closesAt,
      rubric: djangonautRubric,
      createdByUserId: user("ada-demo"),
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!djangonaut) return;

  // --- Google Summer of Code: window closed 60 days ago, season over 5 days ago.
  const gsocOpens = isoDay(now - 75 * DAY);
  const gsocCloses = isoDay(now - 60 * DAY);
  const gw = windowInstants(gsocOpens, gsocCloses, "AoE");
  const [gsoc] = await db
    .insert(programs)
    .values({
      slug: "gsoc-django-demo-round",
      name: "Google Summer of Code with Django: demo round",
      organisation: "Django Software Foundation",
      description: gsocDescription,
      website: "https://code.djangoproject.com/wiki/SummerOfCode2025",
      seasonStart: isoDay(now - 50 * DAY),
      seasonEnd: isoDay(now - 5 * DAY),
      opensOn: gsocOpens,
      closesOn: gsocCloses,
      windowTimezone: "AoE",
      opensAt: gw.opensAt,
      closesAt: gw.closesAt,
      rubric: [
        { id: "proposal", label: "Proposal quality", weight: 2 },
        { id: "prior-contributions", label: "Prior contributions", weight: 1 },
      ],
      createdByUserId: user("ada-demo"),
      createdAt: now,
      updatedAt: now,
    })
    .returning();

  const roles = await db
    .insert(programRoles)
    .values([
      {
        programId: djangonaut.id,
        name: "Djangonaut",
        capacity: 16,
        position: 0,
        description: "Learn to contribute, in a group.",
      },
      {
        programId: djangonaut.id,
        name: "Navigator",
        capacity: 4,
        position: 1,
        description: "Guide a group of up to 4 Djangonauts.",
      },
      { programId: djangonaut.id, name: "Captain", capacity: 2, position: 2, description: "Support the Navigators." },
      { programId: gsoc!.id, name: "Contributor", capacity: 2, position: 0 },
      { programId: gsoc!.id, name: "Mentor", capacity: 3, position: 1 },
    ])
    .returning();
  const role = (programId: number, name: string) => roles.find((r) => r.programId === programId && r.name === name)!.id;

  await db
    .update(programs)
    .set({
      groupRules: {
        mentorRoleId: role(djangonaut.id, "Navigator"),
        menteeRoleId: role(djangonaut.id, "Djangonaut"),
        maxPerMentor: 4,
        maxPerGroup: 8,
        minOverlapHours: 5,
      },
    })
    .where(eq(programs.id, djangonaut.id));

  await db.insert(programOrganisers).values([
    { programId: djangonaut.id, userId: user(demoOrganisers.djangonaut)!, createdAt: now },
    { programId: gsoc!.id, userId: user(demoOrganisers.gsoc) ?? user(demoOrganisers.djangonaut)!, createdAt: now },
  ]);

  const questions = await db
    .insert(programQuestions)
    .values([
      {
        programId: djangonaut.id,
        kind: "long_text",
        label: "Why do you want to join Djangonaut Space?",
        required: true,
        maxLength: 2000,
        position: 0,
        createdAt: now,
        updatedAt: now,
      },
      {
        programId: djangonaut.id,
        kind: "single_choice",
        label: "How much Django have you written?",
        required: true,
        options: ["None yet", "A personal project", "At work", "Many years"],
        position: 1,
        createdAt: now,
        updatedAt: now,
      },
      {
        programId: djangonaut.id,
        kind: "multiple_choice",
        label: "Which areas interest you?",
        required: false,
        options: ["ORM", "Admin", "Documentation", "Testing", "Accessibility"],
        position: 2,
        createdAt: now,
        updatedAt: now,
      },
      {
        programId: djangonaut.id,
        kind: "url",
        label: "A link to some of your code (GitHub profile is fine)",
        required: false,
        position: 3,
        createdAt: now,
        updatedAt: now,
      },
      {
        programId: djangonaut.id,
        kind: "yes_no",
        label: "Can you give 5 to 8 hours a week for 8 weeks?",
        required: true,
        position: 4,
        createdAt: now,
        updatedAt: now,
      },
      {
        programId: gsoc!.id,
        kind: "long_text",
        label: "Your proposal",
        required: true,
        position: 0,
        createdAt: now,
        updatedAt: now,
      },
      {
        programId: gsoc!.id,
        kind: "url",
        label: "Link to your proposal document",
        required: true,
        position: 1,
        createdAt: now,
        updatedAt: now,
      },
    ])
    .returning();
  const [why, experience, areas, link, hours] = questions.filter((q) => q.programId === djangonaut.id);
  const [proposal, proposalLink] = questions.filter((q) => q.programId === gsoc!.id);

  const demoPackages = await db
    .select({ id: packages.id, name: packages.normalizedName })
    .from(packages)
    .where(
      inArray(packages.normalizedName, [
        "django-taggit",
        "django-debug-toolbar",
        "django-filter",
        "django-simple-history",
      ]),
    );
  const pkg = (name: string) => demoPackages.find((p) => p.name === name)?.id;
  const projectRows = [
    {
      name: "django-taggit",
      title: "Type hints for django-taggit's managers",
      description: "Add type annotations to the tag managers and check them in CI.",
      skills: ["Python", "Typing"],
      size: "medium" as const,
      mentor: "kofi-demo",
    },
    {
      name: "django-debug-toolbar",
      title: "Keyboard navigation for the toolbar panels",
      description: "Make every panel reachable and usable with the keyboard alone, and test it.",
      skills: ["JavaScript", "Accessibility"],
      size: "medium" as const,
      mentor: "hana-demo",
    },
    {
      name: "django-filter",
      title: "Documentation examples for every filter",
      description: "Write a short, tested example for each built-in filter.",
      skills: ["Documentation", "Python"],
      size: "small" as const,
      mentor: "bruno-demo",
    },
    {
      name: "django-simple-history",
      title: "Faster history queries on large tables",
      description: "Profile the history admin on a million rows and add the missing indexes.",
      skills: ["ORM", "Databases"],
      size: "large" as const,
      mentor: "dev-demo",
    },
  ].filter((p) => pkg(p.name));
  const projects = projectRows.length
    ? await db
        .insert(mentoringProjects)
        .values(
          projectRows.map((p) => ({
            packageId: pkg(p.name)!,
            programId: p.name === "django-simple-history" ? gsoc!.id : djangonaut.id,
            title: p.title,
            description: p.description,
            skills: p.skills,
            size: p.size,
            mentorUserId: user(p.mentor) ?? null,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .returning()
    : [];
  const dsProjects = projects.filter((p) => p.programId === djangonaut.id).map((p) => p.id);

  type Seed = {
    login: string;
    programId: number;
    role: string;
    status: "draft" | "submitted" | "withdrawn";
    decision?: "accepted" | "waitlisted" | "rejected";
    sent?: boolean;
    declined?: boolean;
    from?: number;
    to?: number;
  };
  const all: Seed[] = [
    // Djangonaut Space, open now: drafts, submissions (some scored), a withdrawal.
    { login: "bruno-demo", programId: djangonaut.id, role: "Djangonaut", status: "submitted", from: 18, to: 22 },
    { login: "dev-demo", programId: djangonaut.id, role: "Djangonaut", status: "submitted", from: 19, to: 23 },
    { login: "emi-demo", programId: djangonaut.id, role: "Djangonaut", status: "draft" },
    { login: "farah-demo", programId: djangonaut.id, role: "Djangonaut", status: "submitted", from: 17, to: 21 },
    { login: "gus-demo", programId: djangonaut.id, role: "Djangonaut", status: "withdrawn" },
    { login: "iker-demo", programId: djangonaut.id, role: "Navigator", status: "submitted", from: 9, to: 17 },
    { login: "mateo-demo", programId: djangonaut.id, role: "Djangonaut", status: "submitted", from: 16, to: 20 },
    // Google Summer of Code, closed: decisions sent, one place declined, one decision still to send.
    {
      login: "hana-demo",
      programId: gsoc!.id,
      role: "Contributor",
      status: "submitted",
      decision: "accepted",
      sent: true,
    },
    {
      login: "jo-demo",
      programId: gsoc!.id,
      role: "Contributor",
      status: "withdrawn",
      decision: "accepted",
      sent: true,
      declined: true,
    },
    {
      login: "nia-demo",
      programId: gsoc!.id,
      role: "Contributor",
      status: "submitted",
      decision: "accepted",
      sent: true,
    },
    {
      login: "emi-demo",
      programId: gsoc!.id,
      role: "Contributor",
      status: "submitted",
      decision: "waitlisted",
      sent: true,
    },
    {
      login: "farah-demo",
      programId: gsoc!.id,
      role: "Contributor",
      status: "submitted",
      decision: "rejected",
      sent: true,
    },
    {
      login: "bruno-demo",
      programId: gsoc!.id,
      role: "Contributor",
      status: "submitted",
      decision: "rejected",
      sent: false,
    },
    { login: "dev-demo", programId: gsoc!.id, role: "Mentor", status: "submitted", decision: "accepted", sent: true },
    { login: "mateo-demo", programId: gsoc!.id, role: "Contributor", status: "draft" },
  ];
  const seeds = all.filter((s) => user(s.login));

  const inserted = await db
    .insert(applications)
    .values(
      seeds.map((s, i) => {
        const open = s.programId === djangonaut.id;
        const submittedAt = s.status === "draft" ? null : open ? now - (9 - (i % 5)) * DAY : now - 62 * DAY;
        return {
          programId: s.programId,
          roleId: role(s.programId, s.role),
          userId: user(s.login)!,
          status: s.status,
          projectRanking: open ? [dsProjects[i % Math.max(1, dsProjects.length)]].filter((id) => id !== undefined) : [],
          availableFrom: s.from ?? null,
          availableTo: s.to ?? null,
          decision: s.decision ?? null,
          decidedByUserId: s.decision ? user("kofi-demo")! : null,
          decisionSentAt: s.sent ? now - 55 * DAY : null,
          declinedAt: s.declined ? now - 52 * DAY : null,
          submittedAt,
          withdrawnAt: s.status === "withdrawn" ? (s.declined ? now - 52 * DAY : now - 2 * DAY) : null,
          createdAt: now - 12 * DAY,
          updatedAt: now - 2 * DAY,
        };
      }),
    )
    .returning();

  const answerRows = inserted.flatMap((a) => {
    const login = people.find((p) => p.id === a.userId)!.login;
    if (a.programId === djangonaut.id)
      return [
        {
          applicationId: a.id,
          questionId: why!.id,
          value: `I (${login}) use Django every day and want to give back by learning how to contribute to its ecosystem.`,
          updatedAt: now,
        },
        { applicationId: a.id, questionId: experience!.id, value: "At work", updatedAt: now },
        { applicationId: a.id, questionId: areas!.id, value: JSON.stringify(["ORM", "Documentation"]), updatedAt: now },
        { applicationId: a.id, questionId: link!.id, value: `https://github.com/${login}`, updatedAt: now },
        { applicationId: a.id, questionId: hours!.id, value: "yes", updatedAt: now },
      ];
    return [
      {
        applicationId: a.id,
        questionId: proposal!.id,
        value: "Faster history queries on large tables: profile, index, measure.",
        updatedAt: now,
      },
      {
        applicationId: a.id,
        questionId: proposalLink!.id,
        value: `https://example.org/${login}/proposal`,
        updatedAt: now,
      },
    ];
  });
  if (answerRows.length) await db.insert(applicationAnswers).values(answerRows);

  // Kofi scored two Djangonaut applications; Ada has not scored yet, so she sees "hidden until you score".
  const scored = inserted.filter((a) => a.programId === djangonaut.id && a.status === "submitted").slice(0, 2);
  const scores = (v: number) => Object.fromEntries(djangonautRubric.map((c) => [c.id, v]));
  if (scored.length)
    await db.insert(applicationScores).values(
      scored.map((a, i) => ({
        applicationId: a.id,
        reviewerUserId: user("kofi-demo")!,
        scores: scores(4 - i),
        total: 4 - i,
        createdAt: now,
        updatedAt: now,
      })),
    );
  if (scored[0])
    await db.insert(applicationComments).values({
      applicationId: scored[0].id,
      authorUserId: user("kofi-demo")!,
      body: "Strong motivation; would fit the ORM group.",
      createdAt: now - DAY,
    });

  // The GSoC round is over: those who took part are alumni.
  const completed = await db
    .select({ userId: applications.userId, roleId: applications.roleId })
    .from(applications)
    .where(
      and(
        eq(applications.programId, gsoc!.id),
        eq(applications.decision, "accepted"),
        eq(applications.status, "submitted"),
      ),
    );
  if (completed.length)
    await db.insert(programAlumni).values(
      completed.map((c) => ({
        programId: gsoc!.id,
        userId: c.userId,
        roleName: roles.find((r) => r.id === c.roleId)!.name,
        completedAt: now - 5 * DAY,
        recordedByUserId: user("kofi-demo")!,
      })),
    );
}
