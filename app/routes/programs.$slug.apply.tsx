// /programs/:slug/apply: one application per role per person. Answers are saved as a draft (by
// the Save button, which works without JavaScript, and automatically while typing), checked in full
// on Submit, editable until the deadline, and withdrawable at any time. The server enforces the window.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, type FormEvent } from "react";
import { FormErrors } from "#app/components/field.tsx";
import { LocalTime } from "#app/components/programs-local-time.tsx";
import {
  getAnswers,
  getApplication,
  getProgramBySlug,
  listProjects,
  listQuestions,
  listRoles,
  parseOptions,
  saveApplication,
  visibleStatus,
  withdrawApplication,
  WindowClosedError,
  type AnswerValues,
} from "#app/models/programs/programs.server.ts";
import { formatInZone, isValidTimeZone, windowState, zoneLabel } from "#app/models/programs/window.ts";
import { requireUser } from "#app/utils/auth.server.ts";
import { readFormData } from "#app/utils/form.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Apply to ${data.program.name} · Roadies` : "Programme not found · Roadies" },
];

async function load(request: Request, slug: string | undefined) {
  const user = await requireUser(request);
  const program = slug ? await getProgramBySlug(slug) : undefined;
  if (!program) throw new Response("Not found", { status: 404 });
  return { user, program };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await load(request, params.slug);
  const roles = await listRoles(program.id);
  const roleParam = Number(new URL(request.url).searchParams.get("role"));
  const role = roles.find((r) => r.id === roleParam) ?? roles[0];
  if (!role) throw new Response("Not found", { status: 404 });
  const application = await getApplication(program.id, role.id, user.id);
  const [questions, projects, answers] = await Promise.all([
    listQuestions(program.id),
    listProjects(program.id),
    application ? getAnswers(application.id) : Promise.resolve({} as AnswerValues),
  ]);
  return {
    program: {
      slug: program.slug,
      name: program.name,
      closesAt: program.closesAt,
      opensAt: program.opensAt,
      closesInZone: formatInZone(program.closesAt, program.windowTimezone, -12),
      zone: zoneLabel(program.windowTimezone),
      state: windowState(program, Date.now()),
    },
    roles: roles.map((r) => ({ id: r.id, name: r.name })),
    role: { id: role.id, name: role.name },
    questions: questions.map((q) => ({
      id: q.id,
      kind: q.kind,
      label: q.label,
      help: q.help,
      required: q.required,
      maxLength: q.maxLength,
      options: parseOptions(q),
    })),
    projects: projects.map((p) => ({ id: p.id, title: p.title, packageName: p.packageName })),
    application: application
      ? {
          id: application.id,
          status: visibleStatus(application),
          rawStatus: application.status,
          projectRanking: JSON.parse(application.projectRanking) as number[],
          timezone: application.timezone,
          availableFrom: application.availableFrom,
          availableTo: application.availableTo,
          updatedAt: application.updatedAt,
        }
      : null,
    answers,
    profileZone: user.timezone,
  };
}

type Values = {
  answers: AnswerValues;
  ranking: Record<number, string>;
  timezone: string;
  availableFrom: string;
  availableTo: string;
};

/** Reads the form: `q-<id>` answers (several values for multiple choice), `rank-<projectId>`, availability. */
function readForm(form: FormData, questions: { id: number; kind: string }[], projectIds: number[]): Values {
  const answers: AnswerValues = {};
  for (const q of questions) {
    if (q.kind === "multiple_choice") {
      // A hidden marker tells "all boxes unticked" apart from "question not on the form".
      if (form.has(`q-${q.id}-present`)) answers[q.id] = form.getAll(`q-${q.id}`).map(String);
    } else {
      const value = form.get(`q-${q.id}`);
      if (typeof value === "string") answers[q.id] = value;
    }
  }
  const ranking: Record<number, string> = {};
  for (const id of projectIds) ranking[id] = String(form.get(`rank-${id}`) ?? "");
  return {
    answers,
    ranking,
    timezone: String(form.get("timezone") ?? "").trim(),
    availableFrom: String(form.get("availableFrom") ?? ""),
    availableTo: String(form.get("availableTo") ?? ""),
  };
}

function hour(value: string): number | null {
  if (value === "") return null;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 24 ? n : null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await load(request, params.slug);
  const form = await readFormData(request);
  const intent = String(form.get("intent") ?? "save");
  const roles = await listRoles(program.id);
  const role = roles.find((r) => r.id === Number(form.get("roleId")));
  if (!role) throw new Response("Not found", { status: 404 });

  if (intent === "withdraw") {
    const application = await getApplication(program.id, role.id, user.id);
    if (!application) throw new Response("Not found", { status: 404 });
    await withdrawApplication(application.id, user.id);
    return redirect(`/me/applications?withdrawn=${application.id}`);
  }

  const [questions, projects] = await Promise.all([listQuestions(program.id), listProjects(program.id)]);
  const values = readForm(
    form,
    questions,
    projects.map((p) => p.id),
  );
  const problems: Record<string, string> = {};
  const ranks = Object.entries(values.ranking).filter(([, v]) => v !== "");
  const rankNumbers = ranks.map(([, v]) => v);
  if (new Set(rankNumbers).size !== rankNumbers.length) problems.ranking = "Give each project a different rank.";
  if (values.timezone && !isValidTimeZone(values.timezone))
    problems.timezone = "Use a time zone name such as Europe/Paris or America/New_York.";
  const from = hour(values.availableFrom);
  const to = hour(values.availableTo);
  if ((from === null) !== (to === null))
    problems.availability = "Give both the start and the end of your usual free hours.";
  if (Object.keys(problems).length)
    return data({ ok: false as const, problems, message: null, values }, { status: 400 });

  const projectRanking = ranks.sort((x, y) => Number(x[1]) - Number(y[1])).map(([id]) => Number(id));
  try {
    const result = await saveApplication(
      program,
      role.id,
      user.id,
      {
        answers: values.answers,
        projectRanking,
        timezone: values.timezone || null,
        availableFrom: from,
        availableTo: to,
      },
      { submit: intent === "submit" },
    );
    if (!result.ok) {
      return data(
        {
          ok: false as const,
          problems: result.problems,
          message:
            intent === "submit"
              ? "Your application was not submitted: please fix the answers marked below. Your other answers are kept."
              : "Some answers need fixing before they can be saved.",
          values,
        },
        { status: 400 },
      );
    }
    if (intent === "autosave")
      return { ok: true as const, savedAt: result.application.updatedAt, problems: {}, message: null, values: null };
    if (result.firstSubmission) return redirect(`/me/applications?submitted=${result.application.id}`);
    return {
      ok: true as const,
      savedAt: result.application.updatedAt,
      problems: {},
      message:
        result.application.status === "submitted"
          ? "Your changes are saved."
          : "Draft saved. You can come back to it until the deadline.",
      values: null,
    };
  } catch (error) {
    if (error instanceof WindowClosedError)
      return data({ ok: false as const, problems: {}, message: error.message, values }, { status: 403 });
    throw error;
  }
}

const HOURS = Array.from({ length: 25 }, (_, i) => i);

export default function Apply() {
  const { program, roles, role, questions, projects, application, answers, profileZone } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const autosave = useFetcher<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const open = program.state === "open";
  const status = application?.status ?? "not started";
  const editable = open && status !== "withdrawn" && application?.rawStatus !== "withdrawn";
  const problems: Record<string, string> = result && !result.ok ? result.problems : {};
  const kept = result && !result.ok ? result.values : null;
  const canAutosave = editable && application?.rawStatus !== "submitted";

  useEffect(() => () => clearTimeout(timer.current), []);

  function scheduleAutosave(event: FormEvent<HTMLFormElement>) {
    if (!canAutosave) return;
    const form = event.currentTarget;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const body = new FormData(form);
      body.set("intent", "autosave");
      autosave.submit(body, { method: "post" });
    }, 3000);
  }

  const valueOf = (id: number) => (kept ? kept.answers[id] : answers[id]);
  const autosaveMessage =
    autosave.state !== "idle"
      ? "Saving draft…"
      : autosave.data?.ok
        ? "Draft saved automatically."
        : autosave.data && !autosave.data.ok
          ? (autosave.data.message ?? "The draft could not be saved automatically.")
          : "";

  return (
    <section className="stack narrow">
      <p>
        <Link to={`/programs/${program.slug}`}>← {program.name}</Link>
      </p>
      <h1>
        Apply to {program.name} as a {role.name}
      </h1>
      {roles.length > 1 ? (
        <nav aria-label="Roles">
          <p>
            Apply as:{" "}
            {roles.map((r, i) => (
              <span key={r.id}>
                {i ? " · " : ""}
                {r.id === role.id ? (
                  <strong aria-current="page">{r.name}</strong>
                ) : (
                  <Link to={`?role=${r.id}`}>{r.name}</Link>
                )}
              </span>
            ))}
          </p>
        </nav>
      ) : null}
      <p>
        Status: <span className="tag">{status}</span>
      </p>
      <p>
        Deadline: <LocalTime ms={program.closesAt} zone={profileZone} />
        <br />
        <span className="muted">
          {program.closesInZone} · the deadline is set in {program.zone}
        </span>
      </p>
      {!open ? (
        <div className="alert" role="status">
          {program.state === "closed"
            ? "Applications have closed. Your answers are shown below but can no longer be changed."
            : "Applications have not opened yet."}
        </div>
      ) : null}
      {result?.message ? (
        result.ok ? (
          <div className="alert" role="status">
            {result.message}
          </div>
        ) : (
          <FormErrors errors={[result.message]} />
        )
      ) : null}
      {problems.form ? <FormErrors errors={[problems.form]} /> : null}
      <Form method="post" ref={formRef} onChange={scheduleAutosave} className="stack" noValidate>
        <input type="hidden" name="roleId" value={role.id} />
        <fieldset disabled={!editable} className="stack application-fieldset">
          <legend className="visually-hidden">Your answers</legend>
          {questions.map((q) => {
            const id = `q-${q.id}`;
            const problem = problems[String(q.id)];
            const value = valueOf(q.id);
            const hintId = q.help || q.maxLength ? `${id}-hint` : undefined;
            const errorId = problem ? `${id}-error` : undefined;
            const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
            const label = (
              <>
                {q.label}
                {q.required ? <span className="muted"> (required)</span> : <span className="muted"> (optional)</span>}
              </>
            );
            const hint = hintId ? (
              <p id={hintId} className="field-hint">
                {q.help}
                {q.help && q.maxLength ? " " : ""}
                {q.maxLength ? `At most ${q.maxLength} characters.` : ""}
              </p>
            ) : null;
            const error = problem ? (
              <p id={errorId} className="field-error">
                {problem}
              </p>
            ) : null;
            if (q.kind === "single_choice" || q.kind === "multiple_choice" || q.kind === "yes_no") {
              const options = q.kind === "yes_no" ? ["yes", "no"] : q.options;
              const chosen = Array.isArray(value) ? value : value ? [value] : [];
              return (
                <fieldset
                  key={q.id}
                  className="field"
                  aria-describedby={describedBy}
                  aria-invalid={problem ? true : undefined}
                >
                  <legend>{label}</legend>
                  {hint}
                  {q.kind === "multiple_choice" ? <input type="hidden" name={`${id}-present`} value="1" /> : null}
                  {options.map((option, i) => (
                    <div key={option} className="field-checkbox">
                      <input
                        type={q.kind === "multiple_choice" ? "checkbox" : "radio"}
                        id={`${id}-${i}`}
                        name={id}
                        value={option}
                        defaultChecked={chosen.includes(option)}
                      />
                      <label htmlFor={`${id}-${i}`}>
                        {q.kind === "yes_no" ? (option === "yes" ? "Yes" : "No") : option}
                      </label>
                    </div>
                  ))}
                  {error}
                </fieldset>
              );
            }
            const text = typeof value === "string" ? value : "";
            return (
              <div key={q.id} className="field">
                <label htmlFor={id}>{label}</label>
                {hint}
                {q.kind === "long_text" ? (
                  <textarea
                    id={id}
                    name={id}
                    rows={6}
                    defaultValue={text}
                    aria-describedby={describedBy}
                    aria-invalid={problem ? true : undefined}
                  />
                ) : (
                  <input
                    id={id}
                    name={id}
                    type={q.kind === "url" ? "url" : "text"}
                    defaultValue={text}
                    aria-describedby={describedBy}
                    aria-invalid={problem ? true : undefined}
                  />
                )}
                {error}
              </div>
            );
          })}
          {projects.length ? (
            <fieldset className="field" aria-describedby={problems.ranking ? "ranking-error" : "ranking-hint"}>
              <legend>Project preferences (optional)</legend>
              <p id="ranking-hint" className="field-hint">
                Rank the mentoring projects you would like to work on: 1 is your first choice. Leave the others empty.
              </p>
              {projects.map((p) => {
                const saved = application?.projectRanking.indexOf(p.id) ?? -1;
                const current = kept ? kept.ranking[p.id] : saved >= 0 ? String(saved + 1) : "";
                return (
                  <div key={p.id} className="field field-inline">
                    <label htmlFor={`rank-${p.id}`}>
                      {p.title} <span className="muted">({p.packageName})</span>
                    </label>
                    <select id={`rank-${p.id}`} name={`rank-${p.id}`} defaultValue={current}>
                      <option value="">No preference</option>
                      {projects.map((_, i) => (
                        <option key={i} value={String(i + 1)}>
                          {i + 1}
                        </option>
                      ))}
                    </select>
                  </div>
                );
              })}
              {problems.ranking ? (
                <p id="ranking-error" className="field-error">
                  {problems.ranking}
                </p>
              ) : null}
            </fieldset>
          ) : null}
          <fieldset className="field" aria-describedby="availability-hint">
            <legend>When are you usually free? (optional)</legend>
            <p id="availability-hint" className="field-hint">
              Organisers use this to put you in a group whose hours overlap with yours. Times are in your own time zone.
            </p>
            <div className="field">
              <label htmlFor="timezone">Your time zone</label>
              <input
                id="timezone"
                name="timezone"
                type="text"
                defaultValue={kept?.timezone ?? application?.timezone ?? profileZone ?? ""}
                aria-invalid={problems.timezone ? true : undefined}
                aria-describedby={problems.timezone ? "timezone-error" : undefined}
              />
              {problems.timezone ? (
                <p id="timezone-error" className="field-error">
                  {problems.timezone}
                </p>
              ) : null}
            </div>
            <div className="field field-inline">
              <label htmlFor="availableFrom">From</label>
              <select
                id="availableFrom"
                name="availableFrom"
                defaultValue={kept?.availableFrom ?? (application?.availableFrom ?? "").toString()}
              >
                <option value="">Not given</option>
                {HOURS.slice(0, 24).map((h) => (
                  <option key={h} value={h}>{`${String(h).padStart(2, "0")}:00`}</option>
                ))}
              </select>
              <label htmlFor="availableTo">to</label>
              <select
                id="availableTo"
                name="availableTo"
                defaultValue={kept?.availableTo ?? (application?.availableTo ?? "").toString()}
                aria-describedby={problems.availability ? "availability-error" : undefined}
              >
                <option value="">Not given</option>
                {HOURS.slice(1).map((h) => (
                  <option key={h} value={h}>{`${String(h).padStart(2, "0")}:00`}</option>
                ))}
              </select>
            </div>
            {problems.availability ? (
              <p id="availability-error" className="field-error">
                {problems.availability}
              </p>
            ) : null}
          </fieldset>
        </fieldset>
        {editable ? (
          <div className="actions">
            {application?.rawStatus === "submitted" ? (
              <button type="submit" name="intent" value="save" className="button">
                Save changes
              </button>
            ) : (
              <>
                <button type="submit" name="intent" value="save" className="button button-secondary">
                  Save draft
                </button>
                <button type="submit" name="intent" value="submit" className="button">
                  Submit application
                </button>
              </>
            )}
          </div>
        ) : null}
        <p className="muted" role="status" aria-live="polite">
          {navigation.state === "submitting" ? "Saving…" : autosaveMessage}
        </p>
      </Form>
      {application && application.rawStatus !== "withdrawn" ? (
        <Form method="post" className="stack">
          <input type="hidden" name="roleId" value={role.id} />
          <p className="muted">Changed your mind? You can withdraw at any time; this cannot be undone.</p>
          <p>
            <button type="submit" name="intent" value="withdraw" className="button button-secondary">
              {application.status === "accepted" ? "Decline my place" : "Withdraw application"}
            </button>
          </p>
        </Form>
      ) : null}
    </section>
  );
}
