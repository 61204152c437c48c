// The maintainer survey: only verified maintainers answer, once per survey, and may change their
// answers until it closes; results are aggregate only (no figures for fewer than five people, free
// text for admins only), the CSV is for admins and names nobody, and the reminder goes once, only to
// maintainers who have not answered and have not switched it off.
import { describe, expect, test } from "vitest";
import { withResendStandIn } from "#tests/support/email.ts";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { useFreshDatabase } from "#tests/support/database.ts";

const resend = withResendStandIn("re_test_surveys_0123456789abcdef");
process.env.APP_URL = APP;

const { db, schema } = await import("#app/utils/db.server.ts");
const { and, eq } = await import("drizzle-orm");
const { makeAdmin, makePackage, makeUser, cookieFor } = await import("#tests/support/factories.ts");
const { createSurvey, closeSurveyNow, saveQuestion } = await import("#app/models/surveys/surveys.server.ts");
const { sendSurveyReminders } = await import("#app/models/surveys/reminders.server.ts");
const { saveSwitches } = await import("#app/utils/email-preferences.server.ts");
const { switchableEmailKinds } = await import("#db/schema/notifications.ts");
const answerRoute = await import("#app/routes/surveys.$id._index.tsx");
const resultsRoute = await import("#app/routes/surveys.$id.results.tsx");
const csvRoute = await import("#app/routes/surveys.$id.answers[.]csv.ts");
const newRoute = await import("#app/routes/surveys.new.tsx");
const editRoute = await import("#app/routes/surveys.$id.edit.tsx");

const DAY = 86_400_000;
let seq = 0;

/** A verified maintainer of a package of their own. */
async function maintainer(name: string) {
  const user = await makeUser(`${name}-${++seq}`);
  await makePackage(`django-${name}-${seq}`, [user]);
  return user;
}

/** An open survey with a single-choice, a scale and a free-text question. */
async function openSurvey(
  author: { id: number },
  { opensAt = Date.now() - DAY, closesAt = Date.now() + 10 * DAY } = {},
) {
  const survey = await createSurvey(
    { title: `Survey ${++seq}`, intro: "", opensAt, closesAt },
    author.id,
    opensAt - DAY,
  );
  const base = { help: "", options: [] as string[], scaleLow: "", scaleHigh: "" };
  await saveQuestion(
    survey,
    undefined,
    {
      ...base,
      kind: "single_choice",
      prompt: "Which Django versions?",
      required: true,
      options: ["Latest only", "All supported"],
    },
    author.id,
    opensAt - DAY,
  );
  await saveQuestion(
    survey,
    undefined,
    { ...base, kind: "scale", prompt: "How sustainable?", required: false, scaleLow: "Not at all", scaleHigh: "Very" },
    author.id,
    opensAt - DAY,
  );
  await saveQuestion(
    survey,
    undefined,
    { ...base, kind: "free_text", prompt: "Anything else?", required: false },
    author.id,
    opensAt - DAY,
  );
  const questions = await db()
    .select()
    .from(schema.surveyQuestions)
    .where(eq(schema.surveyQuestions.surveyId, survey.id))
    .orderBy(schema.surveyQuestions.position)
    .all();
  return { survey, q: questions };
}

async function answer(surveyId: number, cookie: string, form: Record<string, string | string[]>) {
  return run(() =>
    answerRoute.action({
      request: request(`/surveys/${surveyId}`, { cookie, form }),
      params: { id: String(surveyId) },
      context,
    }),
  );
}

async function close(survey: { id: number }, by: { id: number }) {
  const row = (await db().select().from(schema.surveys).where(eq(schema.surveys.id, survey.id)).get())!;
  await closeSurveyNow(row, by.id);
}

const results = async (surveyId: number, cookie?: string) =>
  (await run(() =>
    resultsRoute.loader({
      request: request(`/surveys/${surveyId}/results`, { cookie }),
      params: { id: String(surveyId) },
      context,
    }),
  )) as { status: number; value: Awaited<ReturnType<typeof resultsRoute.loader>> };

describe("who may answer, and how often", () => {
  useFreshDatabase();

  test("a person who is not a verified maintainer cannot answer, even with a claim not yet confirmed", async () => {
    const admin = await makeAdmin("wg-answers");
    const { survey, q } = await openSurvey(admin);
    const volunteer = await makeUser("just-a-volunteer");
    const claimer = await makeUser("unconfirmed-claimer");
    await makePackage("django-claimed-only", [claimer], { verified: false });
    for (const person of [volunteer, claimer]) {
      const outcome = await answer(survey.id, await cookieFor(person.id), { [`q-${q[0]!.id}`]: "Latest only" });
      expect(outcome.status).toBe(403);
    }
    expect(
      await db().select().from(schema.surveyResponses).where(eq(schema.surveyResponses.surveyId, survey.id)).all(),
    ).toEqual([]);
    // The page tells them why instead of showing a form.
    const page = await answerRoute.loader({
      request: request(`/surveys/${survey.id}`, { cookie: await cookieFor(volunteer.id) }),
      params: { id: String(survey.id) },
      context,
    });
    expect(page.eligible).toBe(false);
  });

  test("a maintainer answers once per survey: answering again changes the one response, until the survey closes", async () => {
    const admin = await makeAdmin("wg-once");
    const { survey, q } = await openSurvey(admin);
    const ada = await maintainer("ada");
    const cookie = await cookieFor(ada.id);
    expect(
      (await answer(survey.id, cookie, { [`q-${q[0]!.id}`]: "Latest only", [`q-${q[1]!.id}`]: "2" })).location,
    ).toBe(`/surveys/${survey.id}?saved=1`);
    expect((await answer(survey.id, cookie, { [`q-${q[0]!.id}`]: "All supported" })).status).toBe(302);
    const responses = await db()
      .select()
      .from(schema.surveyResponses)
      .where(and(eq(schema.surveyResponses.surveyId, survey.id), eq(schema.surveyResponses.userId, ada.id)))
      .all();
    expect(responses).toHaveLength(1);
    const page = await answerRoute.loader({
      request: request(`/surveys/${survey.id}`, { cookie }),
      params: { id: String(survey.id) },
      context,
    });
    // The second answer replaced the first: the choice changed and the scale left blank is gone.
    expect(page.answers).toEqual({ [q[0]!.id]: ["All supported"] });

    await close(survey, admin);
    const late = await answer(survey.id, cookie, { [`q-${q[0]!.id}`]: "Latest only" });
    expect(late.status).toBe(409);
    expect(
      (
        await answerRoute.loader({
          request: request(`/surveys/${survey.id}`, { cookie }),
          params: { id: String(survey.id) },
          context,
        })
      ).answers,
    ).toEqual({ [q[0]!.id]: ["All supported"] });
  });

  test("a refused answer is not saved and says which question needs fixing", async () => {
    const admin = await makeAdmin("wg-refused");
    const { survey, q } = await openSurvey(admin);
    const bo = await maintainer("bo");
    const outcome = await answer(survey.id, await cookieFor(bo.id), {
      [`q-${q[0]!.id}`]: "Not an option",
      [`q-${q[1]!.id}`]: "9",
    });
    expect(outcome.status).toBe(400);
    const errors = (outcome.value as { error: Record<string, string[]> }).error;
    expect(errors[`q-${q[0]!.id}`]).toEqual(["Choose from the options given."]);
    expect(errors[`q-${q[1]!.id}`]).toEqual(["Choose a point from 1 to 5."]);
    expect(
      await db().select().from(schema.surveyResponses).where(eq(schema.surveyResponses.surveyId, survey.id)).all(),
    ).toEqual([]);
  });

  test("only the working group writes surveys, and questions are fixed once someone has answered", async () => {
    const admin = await makeAdmin("wg-writer");
    const ada = await maintainer("not-wg");
    const adaCookie = await cookieFor(ada.id);
    const adminCookie = await cookieFor(admin.id);
    const refused = await run(() =>
      newRoute.action({
        request: request("/surveys/new", {
          cookie: adaCookie,
          form: { title: "Sneaky survey", opensOn: "2030-01-01", closesOn: "2030-01-10" },
        }),
        params: {},
        context,
      }),
    );
    expect(refused.status).toBe(403);
    const { survey, q } = await openSurvey(admin);
    await answer(survey.id, await cookieFor(ada.id), { [`q-${q[0]!.id}`]: "Latest only" });
    const edit = await run(() =>
      editRoute.action({
        request: request(`/surveys/${survey.id}/edit`, {
          cookie: adminCookie,
          form: { intent: "remove", questionId: String(q[0]!.id) },
        }),
        params: { id: String(survey.id) },
        context,
      }),
    );
    expect(edit.status).toBe(409);
    expect(
      await db().select().from(schema.surveyQuestions).where(eq(schema.surveyQuestions.surveyId, survey.id)).all(),
    ).toHaveLength(3);
  });
});

describe("results in aggregate only", () => {
  useFreshDatabase();

  test("no figures while open, none for a question fewer than five answered, figures once five did", async () => {
    const admin = await makeAdmin("wg-results");
    const { survey, q } = await openSurvey(admin);
    const people = await Promise.all(["a", "b", "c", "d", "e"].map((n) => maintainer(`res-${n}`)));
    // Five answer the choice question; only four the scale.
    for (const [i, person] of people.entries()) {
      const form: Record<string, string> = { [`q-${q[0]!.id}`]: i < 3 ? "All supported" : "Latest only" };
      if (i < 4) form[`q-${q[1]!.id}`] = String(i + 1);
      expect((await answer(survey.id, await cookieFor(person.id), form)).status).toBe(302);
    }
    const whileOpen = await results(survey.id);
    expect(whileOpen.value.results).toBeNull();
    expect(whileOpen.value.responses).toBe(5);

    await close(survey, admin);
    const closed = (await results(survey.id)).value.results!;
    const [choice, scale] = closed.questions;
    expect(choice!.figures).toEqual([
      { label: "Latest only", count: 2, share: 40 },
      { label: "All supported", count: 3, share: 60 },
    ]);
    expect(scale!.answered).toBe(4);
    expect(scale!.figures).toBeNull();
    expect(scale!.mean).toBeNull();
    expect(JSON.stringify(closed)).not.toContain("res-");
  });

  test("free text is shown to admins only; the CSV is for admins and names nobody", async () => {
    const admin = await makeAdmin("wg-texts");
    const { survey, q } = await openSurvey(admin);
    const people = await Promise.all(["f", "g"].map((n) => maintainer(`txt-${n}`)));
    for (const person of people)
      await answer(survey.id, await cookieFor(person.id), {
        [`q-${q[0]!.id}`]: "Latest only",
        [`q-${q[2]!.id}`]: `CI templates please, from ${person.login}`,
      });
    await close(survey, admin);

    const asAdmin = (await results(survey.id, await cookieFor(admin.id))).value.results!;
    expect(asAdmin.questions[2]!.texts).toHaveLength(2);
    for (const viewer of [undefined, await cookieFor(people[0]!.id)]) {
      const seen = (await results(survey.id, viewer)).value.results!;
      expect(seen.questions[2]!.texts).toBeNull();
      expect(JSON.stringify(seen)).not.toContain("CI templates please");
    }

    const csv = async (cookie?: string) =>
      run(() =>
        csvRoute.loader({
          request: request(`/surveys/${survey.id}/answers.csv`, { cookie }),
          params: { id: String(survey.id) },
          context,
        }),
      );
    const download = await csv(await cookieFor(admin.id));
    expect(download.status).toBe(200);
    const text = await (download.value as Response).text();
    expect(text.split("\r\n")[0]).toBe("response,Which Django versions?,How sustainable?,Anything else?");
    expect(text).toContain("CI templates please");
    for (const person of people) expect(text).not.toContain(`${person.login},`);
    expect((await csv(await cookieFor(people[0]!.id))).status).toBe(403);
    expect((await csv()).location).toMatch(/^\/login\?next=/);
  });
});

describe("reminders", () => {
  useFreshDatabase();

  test("the reminder goes once, to verified maintainers who have not answered and have not switched it off", async () => {
    const now = Date.now();
    const admin = await makeAdmin("wg-remind");
    const { survey, q } = await openSurvey(admin, { opensAt: now - 10 * DAY, closesAt: now + 2 * DAY });
    // Another survey, closing in two weeks: too early for its reminder.
    await openSurvey(admin, { opensAt: now - DAY, closesAt: now + 14 * DAY });
    const answered = await maintainer("answered");
    const quiet = await maintainer("switched-off");
    const waiting = await maintainer("waiting");
    await makeUser("no-package-here");
    await answer(survey.id, await cookieFor(answered.id), { [`q-${q[0]!.id}`]: "Latest only" });
    await saveSwitches(
      quiet.id,
      switchableEmailKinds.filter((k) => k !== "surveys-reminder"),
    );

    const before = resend.standIn.sent().length;
    await sendSurveyReminders(now);
    await sendSurveyReminders(now + 60 * 60 * 1000);
    const sent = resend.standIn.sent().slice(before);
    expect(sent.map((e) => e.to[0])).toEqual([`${waiting.login}@example.org`]);
    expect(sent[0]!.subject).toContain(survey.title);
    expect(sent[0]!.headers["List-Unsubscribe"]).toBeDefined();
  });
});
