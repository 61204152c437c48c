// Demo data for the maintainer survey: a closed survey (last month) answered by eleven demo
// maintainers, so its results show, with one optional question only three answered (held back);
// and an open survey with a few answers, which the other maintainers can try.
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { Database } from "../../app/utils/db.server.ts";
import {
  packageMaintainers,
  surveyAnswers,
  surveyQuestions,
  surveyResponses,
  surveys,
  users,
  type SurveyQuestionKind,
} from "../schema.ts";

const DAY = 24 * 60 * 60 * 1000;

type DemoQuestion = {
  kind: SurveyQuestionKind;
  prompt: string;
  help?: string;
  required?: boolean;
  options?: string[];
  scale?: [string, string];
  /** The answer of respondent i (undefined: left blank). */
  answer: (i: number) => string | string[] | number | undefined;
};

const pick = <T>(list: T[], i: number) => list[i % list.length]!;

const closedQuestions: DemoQuestion[] = [
  {
    kind: "single_choice",
    prompt: "Which Django versions does your main package support?",
    required: true,
    options: [
      "Only the latest release",
      "Every release Django still supports",
      "Supported releases and the previous LTS",
      "Whatever still works: no written policy",
    ],
    answer: (i) =>
      pick(
        [
          "Every release Django still supports",
          "Whatever still works: no written policy",
          "Every release Django still supports",
          "Supported releases and the previous LTS",
          "Every release Django still supports",
          "Only the latest release",
        ],
        i,
      ),
  },
  {
    kind: "multiple_choice",
    prompt: "Where do your tests run?",
    help: "Tick all that apply.",
    required: true,
    options: ["GitHub Actions", "GitLab CI", "Another hosted CI", "Only on my machine"],
    answer: (i) =>
      i % 5 === 4 ? ["Only on my machine"] : i % 3 === 0 ? ["GitHub Actions", "GitLab CI"] : ["GitHub Actions"],
  },
  {
    kind: "single_choice",
    prompt: "Is the work on your package funded?",
    required: true,
    options: [
      "Not at all",
      "Donations (GitHub Sponsors, Open Collective…)",
      "My employer gives me time",
      "A grant or contract",
    ],
    answer: (i) =>
      pick(
        [
          "Not at all",
          "Not at all",
          "My employer gives me time",
          "Not at all",
          "Donations (GitHub Sponsors, Open Collective…)",
        ],
        i,
      ),
  },
  {
    kind: "single_choice",
    prompt: "How many hours a month do you spend maintaining it?",
    required: true,
    options: ["Under 2", "2 to 5", "5 to 10", "More than 10"],
    answer: (i) => pick(["2 to 5", "Under 2", "5 to 10", "2 to 5", "More than 10", "2 to 5"], i),
  },
  {
    kind: "scale",
    prompt: "How sustainable does maintaining your package feel?",
    required: true,
    scale: ["I may have to stop", "Comfortably sustainable"],
    answer: (i) => pick([3, 2, 4, 3, 1, 4, 5, 2], i),
  },
  {
    kind: "multiple_choice",
    prompt: "What would help you most?",
    help: "Tick up to three.",
    options: [
      "A co-maintainer",
      "Help testing new Django releases",
      "Triage of issues and pull requests",
      "Funding",
      "Clear guidance on which Django versions to support",
    ],
    answer: (i) =>
      pick(
        [
          ["A co-maintainer", "Triage of issues and pull requests"],
          ["Help testing new Django releases"],
          ["Funding", "A co-maintainer"],
          ["Clear guidance on which Django versions to support", "Help testing new Django releases"],
        ],
        i,
      ),
  },
  {
    kind: "single_choice",
    prompt: "If you use a tool to run your test matrix, which one?",
    options: ["tox", "nox", "Something else"],
    // Only three answered: the results page holds these figures back.
    answer: (i) => (i < 3 ? pick(["tox", "nox", "tox"], i) : undefined),
  },
  {
    kind: "free_text",
    prompt: "Anything else the working group should know?",
    answer: (i) =>
      pick(
        [
          "A shared CI template for the supported Django and Python matrix would save me hours each release.",
          undefined,
          "I would hand over the package to a team if someone asked; I just do not have the time any more.",
          undefined,
          "Knowing the release dates early (alpha, beta) is what matters most to me.",
        ],
        i,
      ),
  },
];

const openQuestions: DemoQuestion[] = [
  {
    kind: "single_choice",
    prompt: "When do you expect to declare support for the next Django release?",
    required: true,
    options: ["Before the final release", "Within a month of it", "Later", "Not planned"],
    answer: (i) => pick(["Within a month of it", "Before the final release", "Later"], i),
  },
  {
    kind: "scale",
    prompt: "How easy is it to test your package against Django pre-releases?",
    required: true,
    scale: ["Very hard", "Very easy"],
    answer: (i) => pick([2, 4, 3], i),
  },
  {
    kind: "multiple_choice",
    prompt: "Which of these would help you test against pre-releases?",
    options: [
      "A CI template with Django's main branch",
      "Early alpha announcements",
      "A roadie to open the pull request",
    ],
    answer: (i) =>
      pick(
        [
          ["A CI template with Django's main branch"],
          ["Early alpha announcements", "A roadie to open the pull request"],
        ],
        i,
      ),
  },
  {
    kind: "free_text",
    prompt: "What gets in the way of supporting a new Django release quickly?",
    answer: (i) => (i === 0 ? "Third-party dependencies that lag behind." : undefined),
  },
];

function valueOf(question: DemoQuestion, answer: string | string[] | number) {
  if (question.kind === "scale") return { choices: [], scale: Number(answer), text: null };
  if (question.kind === "free_text") return { choices: [], scale: null, text: String(answer) };
  return { choices: Array.isArray(answer) ? answer : [String(answer)], scale: null, text: null };
}

async function seedSurvey(
  db: Database,
  survey: { title: string; intro: string; opensAt: number; closesAt: number; createdByUserId: number | null },
  questions: DemoQuestion[],
  respondents: number[],
  answeredAt: (i: number) => number,
) {
  const [row] = await db
    .insert(surveys)
    .values({ ...survey, createdAt: survey.opensAt - 3 * DAY, updatedAt: survey.opensAt - 3 * DAY })
    .returning();
  const questionRows = await db
    .insert(surveyQuestions)
    .values(
      questions.map((q, position) => ({
        surveyId: row!.id,
        position,
        kind: q.kind,
        prompt: q.prompt,
        help: q.help ?? "",
        required: q.required ?? false,
        options: q.options ?? [],
        scaleLow: q.scale?.[0] ?? "",
        scaleHigh: q.scale?.[1] ?? "",
      })),
    )
    .returning({ id: surveyQuestions.id });
  for (const [i, userId] of respondents.entries()) {
    const at = answeredAt(i);
    const [response] = await db
      .insert(surveyResponses)
      .values({ surveyId: row!.id, userId, submittedAt: at, updatedAt: at })
      .returning({ id: surveyResponses.id });
    const answers = questions.flatMap((q, k) => {
      const answer = q.answer(i);
      return answer === undefined
        ? []
        : [{ responseId: response!.id, questionId: questionRows[k]!.id, ...valueOf(q, answer) }];
    });
    if (answers.length) await db.insert(surveyAnswers).values(answers);
  }
}

export async function seedSurveys(db: Database, now: number): Promise<void> {
  const maintainers = await db
    .selectDistinct({ id: users.id, login: users.login })
    .from(users)
    .innerJoin(
      packageMaintainers,
      and(eq(packageMaintainers.userId, users.id), isNotNull(packageMaintainers.verifiedAt)),
    )
    .where(eq(users.isDemo, true))
    .orderBy(users.login)
    .all();
  const [ada] = await db
    .select({ id: users.id })
    .from(users)
    .where(inArray(users.login, ["ada-demo"]))
    .all();
  const d = new Date(now);
  // Closed on the 20th of last month (end of the day, UTC), after three weeks open.
  const closesAt = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 21);
  const ids = maintainers.map((m) => m.id);
  await seedSurvey(
    db,
    {
      title: "Maintaining Django packages: autumn survey",
      intro:
        "The working group would like to know how maintaining a Django package goes for you: which Django versions you support, where your tests run, whether the work is funded, and what would help. It takes about five minutes.\n\nAnswers are shown only in aggregate, for questions at least five people answered. What you write in your own words is read by the working group's admins only.",
      opensAt: closesAt - 21 * DAY,
      closesAt,
      createdByUserId: ada?.id ?? null,
    },
    closedQuestions,
    ids.slice(0, 11),
    (i) => closesAt - (20 - i) * DAY,
  );
  // Open since five days ago, closing at the end of the day ten days from now (UTC).
  const today = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  // Answered by three maintainers near the end of the list, so the others can try it.
  await seedSurvey(
    db,
    {
      title: "Getting ready for the next Django release",
      intro:
        "Django's next feature release is on its way. Tell the working group when you expect to support it and what would make testing against pre-releases easier.",
      opensAt: today - 5 * DAY,
      closesAt: today + 11 * DAY,
      createdByUserId: ada?.id ?? null,
    },
    openQuestions,
    ids.slice(-3),
    (i) => now - (4 - i) * DAY,
  );
}
