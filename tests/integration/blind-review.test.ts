// [trust] "Blind review that is blind everywhere": an organiser who has not scored an application sees
// no other reviewer's score or mean of it on the review page, the list, the CSV export or the
// decisions preview (one rule, canSeeOthersScores); anonymised review hides names, logins and links
// on the review page, the preview and the CSV until the decision is sent.
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { parse as parseCsv } from "csv-parse/sync";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { startResendStandIn, type ResendStandIn } from "#tests/fakes/resend.ts";

const API_KEY = "re_test_blind_review_0123456789";
const standIn: ResendStandIn = await startResendStandIn({ apiKey: API_KEY, rateLimitPerSecond: null });
process.env.RESEND_API_KEY = API_KEY;
process.env.RESEND_BASE_URL = standIn.url;
process.env.EMAIL_FROM = "Roadies <roadies@example.org>";
process.env.APP_URL = APP;
delete process.env.DEMO_MODE;

const { makeUser, cookieFor } = await import("#tests/support/factories.ts");
const programs = await import("#app/models/programs/programs.server.ts");
const questions = await import("#app/models/programs/questions.server.ts");
const applying = await import("#app/models/programs/applications.server.ts");
const review = await import("#app/models/programs/review.server.ts");
const decisions = await import("#app/models/programs/decisions.server.ts");
const reviewPage = await import("#app/routes/programs.$slug.review.$id.tsx");
const reviewList = await import("#app/routes/programs.$slug.review._index.tsx");
const reviewCsv = await import("#app/routes/programs.$slug.review[.]csv.ts");
const decisionsPage = await import("#app/routes/programs.$slug.decisions.tsx");
const editPage = await import("#app/routes/programs.$slug.edit.tsx");
const { emailRetryPolicy } = await import("#app/utils/email.server.ts");
emailRetryPolicy.baseDelayMs = 1;

afterAll(async () => {
  await standIn.close();
});
beforeEach(() => standIn.reset());

const inWindow = Date.UTC(2027, 0, 15);
let counter = 0;

/**
 * A programme with two organisers and one application: the first organiser scored it 5 and 4
 * (weighted mean 4.67, a number that appears nowhere else), the second has scored nothing.
 */
async function scoredApplication(prefix: string) {
  counter += 1;
  const scorer = await makeUser(`${prefix}-scorer`);
  const blind = await makeUser(`${prefix}-blind`);
  const applicant = await makeUser(`${prefix}-applicant`, { name: "Zelda Quimby" });
  const program = await programs.createProgram(
    {
      slug: `blind-${prefix}-${counter}`,
      name: `Blind ${prefix}`,
      organisation: "Djangonaut Space",
      description: "A test programme.",
      seasonStart: "2027-02-01",
      seasonEnd: "2027-03-31",
      opensOn: "2027-01-10",
      closesOn: "2027-01-20",
      windowTimezone: "AoE",
      roles: [{ name: "Djangonaut", capacity: 2 }],
      organiserLogins: [scorer.login, blind.login],
      rubric: [
        { label: "Motivation", weight: 2 },
        { label: "Availability", weight: 1 },
      ],
    },
    null,
  );
  const about = await questions.addQuestion(
    program.id,
    { kind: "long_text", label: "About you", required: false },
    scorer.id,
  );
  const link = await questions.addQuestion(program.id, { kind: "url", label: "Your work", required: false }, scorer.id);
  const saved = await applying.saveApplication(
    program,
    program.roles[0]!.id,
    applicant.id,
    {
      answers: {
        [about.id]: `I am Zelda Quimby (@${applicant.login}), see https://zelda.example.org/cv`,
        [link.id]: `https://github.com/${applicant.login}`,
      },
      projectRanking: [],
      timezone: null,
      availableFrom: null,
      availableTo: null,
    },
    { submit: true, now: inWindow },
  );
  await applying.flushApplicationEmails();
  if (!saved.ok) throw new Error("application not saved");
  const id = saved.application.id;
  const [motivation, availability] = program.rubric;
  await review.scoreApplication(program, id, scorer.id, { [motivation!.id]: 5, [availability!.id]: 4 });
  return { program, scorer, blind, applicant, id, criteria: program.rubric.map((c) => c.id) };
}

type Setup = Awaited<ReturnType<typeof scoredApplication>>;

async function reload(s: Setup) {
  return (await programs.getProgramBySlug(s.program.slug))!;
}

async function page(s: Setup, who: { id: number }) {
  const cookie = await cookieFor(who.id);
  const result = await run(() =>
    reviewPage.loader({
      request: request(`/programs/${s.program.slug}/review/${s.id}`, { cookie }),
      params: { slug: s.program.slug, id: String(s.id) },
      context,
    }),
  );
  expect(result.status).toBe(200);
  return result.value as Awaited<ReturnType<typeof reviewPage.loader>>;
}

async function list(s: Setup, who: { id: number }) {
  const cookie = await cookieFor(who.id);
  const result = await run(() =>
    reviewList.loader({
      request: request(`/programs/${s.program.slug}/review`, { cookie }),
      params: { slug: s.program.slug },
      context,
    }),
  );
  expect(result.status).toBe(200);
  return result.value as Awaited<ReturnType<typeof reviewList.loader>>;
}

async function csv(s: Setup, who: { id: number }) {
  const cookie = await cookieFor(who.id);
  const response = await reviewCsv.loader({
    request: request(`/programs/${s.program.slug}/review.csv`, { cookie }),
    params: { slug: s.program.slug },
    context,
  });
  const text = await response.text();
  const [header, ...rows] = parseCsv(text, { bom: true }) as string[][];
  const row = rows.find((r) => r[0] === String(s.id))!;
  return { text, cell: (name: string) => row[header!.indexOf(name)] };
}

async function preview(s: Setup, who: { id: number }) {
  const cookie = await cookieFor(who.id);
  const result = await run(() =>
    decisionsPage.loader({
      request: request(`/programs/${s.program.slug}/decisions`, { cookie }),
      params: { slug: s.program.slug },
      context,
    }),
  );
  expect(result.status).toBe(200);
  return result.value as Awaited<ReturnType<typeof decisionsPage.loader>>;
}

describe("blind review: an organiser who has not scored sees no other scores", () => {
  test("on the review page", async () => {
    const s = await scoredApplication("page");
    const seen = await page(s, s.blind);
    expect(seen.otherScores).toBeNull();
    expect(seen.otherScoreCount).toBe(1);
    expect(JSON.stringify(seen)).not.toContain("4.67");
    // The one who scored sees their own, and no one else's yet.
    expect((await page(s, s.scorer)).myScore?.total).toBe(4.67);
  });

  test("in the list (neither the mean nor the number of reviews)", async () => {
    const s = await scoredApplication("list");
    const row = (await list(s, s.blind)).applications.find((a) => a.id === s.id)!;
    expect(row.meanTotal).toBeNull();
    expect(row.reviewCount).toBeNull();
    expect(JSON.stringify(row)).not.toContain("4.67");
  });

  test("in the CSV export (no count, mean or per-criterion mean)", async () => {
    const s = await scoredApplication("csv");
    const blind = await csv(s, s.blind);
    expect(blind.text).not.toContain("4.67");
    expect(blind.cell("reviews")).toBe("hidden until you score");
    expect(blind.cell("mean_score")).toBe("hidden until you score");
    for (const c of s.criteria) expect(blind.cell(`score_${c}`)).toBe("hidden until you score");
    expect(blind.cell("your_score")).toBe("");
    // Once they score, the same export shows everyone's.
    await review.scoreApplication(s.program, s.id, s.blind.id, { [s.criteria[0]!]: 3, [s.criteria[1]!]: 3 });
    const scored = await csv(s, s.blind);
    expect(scored.cell("reviews")).toBe("2");
    expect(scored.cell("your_score")).toBe("3");
    expect(scored.cell("mean_score")).toBe("3.84"); // (4.67 + 3) / 2, rounded
    expect(scored.cell(`score_${s.criteria[0]}`)).toBe("4");
  });

  test("in the decisions preview", async () => {
    const s = await scoredApplication("preview");
    await decisions.setDecision(s.program.id, s.id, "accepted", s.blind.id);
    const shown = await preview(s, s.blind);
    expect(shown.items.map((i) => i.id)).toEqual([s.id]);
    expect(JSON.stringify(shown)).not.toMatch(/4\.67|score/i);
  });

  test("once the decision is sent the review is over: others' scores show to everyone", async () => {
    const s = await scoredApplication("closed");
    await decisions.setDecision(s.program.id, s.id, "accepted", s.blind.id);
    const { fingerprint } = await decisions.pendingDecisions(s.program.id, s.blind.id);
    expect((await decisions.sendDecisions(s.program, s.blind.id, fingerprint)).ok).toBe(true);
    expect((await page(s, s.blind)).otherScores?.map((x) => x.total)).toEqual([4.67]);
    expect((await csv(s, s.blind)).cell("mean_score")).toBe("4.67");
  });

  test("the rule itself", () => {
    expect(review.canSeeOthersScores({ hasScored: false }, { decisionSentAt: null })).toBe(false);
    expect(review.canSeeOthersScores({ hasScored: true }, { decisionSentAt: null })).toBe(true);
    expect(review.canSeeOthersScores({ hasScored: false }, { decisionSentAt: 1 })).toBe(true);
  });
});

describe("anonymised review", () => {
  test("an organiser turns it on; names, logins and links stay hidden on the page, the preview and the CSV until the decision is sent", async () => {
    const s = await scoredApplication("anon");
    const cookie = await cookieFor(s.scorer.id);
    const saved = await run(() =>
      editPage.action({
        request: request(`/programs/${s.program.slug}/edit`, {
          cookie,
          form: { intent: "review-settings", anonymisedReview: "on" },
        }),
        params: { slug: s.program.slug },
        context,
      }),
    );
    expect(saved.status).toBe(302);
    expect((await reload(s)).anonymisedReview).toBe(true);
    const secrets = [s.applicant.login, "Zelda", "Quimby", "zelda.example.org", "github.com/"];

    const shown = await page(s, s.blind);
    expect(shown.application.applicant).toEqual({ anonymised: true, name: `Applicant ${s.id}`, login: null });
    for (const secret of secrets) expect(JSON.stringify(shown)).not.toContain(secret);
    const answers = shown.questions.map((q) => q.answer);
    expect(answers).toContain("[link hidden]");
    expect(answers).toContain("I am [hidden] ([hidden]), see [link hidden]");

    const listed = (await list(s, s.blind)).applications.find((a) => a.id === s.id)!;
    expect(listed.applicant.name).toBe(`Applicant ${s.id}`);
    for (const secret of secrets) expect(JSON.stringify(listed)).not.toContain(secret);

    const exported = await csv(s, s.blind);
    for (const secret of secrets) expect(exported.text).not.toContain(secret);
    expect(exported.cell("name")).toBe(`Applicant ${s.id}`);
    expect(exported.cell("login")).toBe("");

    await decisions.setDecision(s.program.id, s.id, "accepted", s.blind.id);
    const before = await preview(s, s.blind);
    for (const secret of secrets) expect(JSON.stringify(before)).not.toContain(secret);

    // Decisions made and sent: names come back.
    const { fingerprint } = await decisions.pendingDecisions(s.program.id, s.blind.id);
    await decisions.sendDecisions(await reload(s), s.blind.id, fingerprint);
    expect((await page(s, s.blind)).application.applicant).toEqual({
      anonymised: false,
      name: "Zelda Quimby",
      login: s.applicant.login,
    });
    const after = await csv(s, s.blind);
    expect(after.cell("login")).toBe(s.applicant.login);
    expect(after.text).toContain("https://github.com/");
  });
});
