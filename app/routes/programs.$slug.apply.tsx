// /programs/:slug/apply: one application per role per person. Answers are saved as a draft (by
// the Save button, which works without JavaScript, and automatically while typing), checked in full
// on Submit, editable until the deadline, and withdrawable at any time. The server enforces the window.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useEffect, useRef, type FormEvent } from "react";
import { FormErrors } from "#app/components/field.tsx";
import { formatDate } from "#app/utils/dates.ts";
import { LocalTime } from "#app/components/programs-local-time.tsx";
import { QuestionField } from "#app/components/programs-question-field.tsx";
import { TimeZonePicker } from "#app/components/time-zone-picker.tsx";
import { requireProgramForUser } from "#app/models/programs/access.server.ts";
import { getAnswers, type AnswerValues } from "#app/models/programs/answers.server.ts";
import {
  getApplication,
  listOwnApplications,
  saveApplication,
  visibleStatus,
  WindowClosedError,
} from "#app/models/programs/applications.server.ts";
import { applicationErrors, applicationForm } from "#app/models/programs/application-forms.ts";
import { getRole, listRoles } from "#app/models/programs/programs.server.ts";
import { listProjects } from "#app/models/programs/projects.server.ts";
import { listQuestions } from "#app/models/programs/questions.server.ts";
import { formatInZone, windowState } from "#app/models/programs/window.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { canonicalTimeZone, timeZoneOptions } from "#app/utils/time.ts";
import { notFound, parseId } from "#app/utils/http.server.ts";
import type { Program } from "#db/schema.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Apply to ${data.program.name} · Roadies` : "Programme not found · Roadies" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgramForUser(request, params.slug);
  // Side by side (one round trip): the person's applications to every role, the role picked below.
  const [roles, applications, questions, projects] = await Promise.all([
    listRoles(program.id),
    listOwnApplications(program.id, user.id),
    listQuestions(program.id),
    listProjects(program.id),
  ]);
  const roleParam = Number(new URL(request.url).searchParams.get("role"));
  const role = roles.find((r) => r.id === roleParam) ?? roles[0];
  if (!role) throw notFound();
  const application = applications.find((a) => a.roleId === role.id);
  const answers: AnswerValues = application ? await getAnswers(application.id) : {};
  return {
    program: {
      slug: program.slug,
      name: program.name,
      closesAt: program.closesAt,
      opensAt: program.opensAt,
      closesInZone: formatInZone(program.closesAt, program.windowTimezone, -12),
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
      options: q.options,
    })),
    projects: projects.map((p) => ({ id: p.id, title: p.title, packageName: p.packageName })),
    application: application
      ? {
          id: application.id,
          status: visibleStatus(application),
          rawStatus: application.status,
          projectRanking: application.projectRanking,
          timezone: application.timezone,
          availableFrom: application.availableFrom,
          availableTo: application.availableTo,
          updatedAt: application.updatedAt,
          withdrawnAt: application.withdrawnAt,
        }
      : null,
    answers,
    // Deprecated names (Asia/Calcutta) show as the current one (Asia/Kolkata).
    zoneChoice: canonicalTimeZone(application?.timezone ?? user.timezone) ?? "",
    timeZones: timeZoneOptions(Date.now()),
    profileZone: user.timezone,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgramForUser(request, params.slug);
  const form = await readFormData(request);
  const role = await getRole(program.id, parseId(String(form.get("roleId"))));
  if (!role) throw notFound();
  switch (form.get("intent")) {
    case "withdraw":
      return withdraw(program, role.id, user.id);
    default:
      return save(form, program, role.id, user.id);
  }
}

/** Withdrawing cannot be undone: it is confirmed on /me/applications, never done in one click here. */
async function withdraw(program: Program, roleId: number, userId: number) {
  const application = await getApplication(program.id, roleId, userId);
  if (!application) throw notFound();
  return redirect(`/me/applications?withdraw=${application.id}#confirm-withdraw`);
}

/** Saves the draft (Save, or typing), or submits it; refused answers come back with the input kept. */
async function save(form: FormData, program: Program, roleId: number, userId: number) {
  const [questions, projects] = await Promise.all([listQuestions(program.id), listProjects(program.id)]);
  const schema = applicationForm(
    questions,
    projects.map((p) => p.id),
  );
  // Without coercion an emptied answer stays "" and so is saved empty, rather than left as it was.
  const submission = parseWithZod(form, { schema, disableAutoCoercion: true });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const { intent, draft } = submission.value;
  try {
    const result = await saveApplication(program, roleId, userId, draft, { submit: intent === "submit" });
    if (!result.ok) {
      const message =
        intent === "submit"
          ? "Your application was not submitted: please fix the answers marked below. Your other answers are kept."
          : "Some answers need fixing before they can be saved.";
      return data(submission.reply(applicationErrors(result.problems, message)), { status: 400 });
    }
    if (intent === "autosave") return submission.reply();
    if (result.firstSubmission) return redirect(`/me/applications?submitted=${result.application.id}`);
    return redirect(`/programs/${program.slug}/apply?role=${roleId}&saved=1`);
  } catch (error) {
    if (error instanceof WindowClosedError)
      return data(submission.reply({ formErrors: [error.message] }), { status: 403 });
    throw error;
  }
}

const HOURS = Array.from({ length: 25 }, (_, i) => i);

export default function Apply() {
  const { program, roles, role, questions, projects, application, answers, profileZone, zoneChoice, timeZones } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const autosave = useFetcher<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const open = program.state === "open";
  const status = application?.status ?? "not started";
  const editable = open && status !== "withdrawn" && application?.rawStatus !== "withdrawn";
  const [searchParams] = useSearchParams();
  // A refused save comes back as Conform's reply: the errors by field, and the input to show again.
  const refused = result?.status === "error" ? result : null;
  const problemOf = (name: string) => refused?.error?.[name]?.[0];
  const formErrors = refused?.error?.[""] ?? [];
  const kept = refused ? (refused.initialValue ?? {}) : null;
  const keptText = (name: string) => {
    const value = kept?.[name];
    return typeof value === "string" ? value : "";
  };
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

  const valueOf = (id: number) => (kept ? (kept[`q-${id}`] as string | string[] | undefined) : answers[id]);
  const autosaveMessage =
    autosave.state !== "idle"
      ? "Saving draft…"
      : autosave.data?.status === "success"
        ? "Draft saved automatically."
        : autosave.data
          ? (autosave.data.error?.[""]?.[0] ?? "The draft could not be saved automatically.")
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
        <span className="muted">{program.closesInZone}</span>
      </p>
      {!open ? (
        <div className="alert" role="status">
          {program.state === "closed"
            ? "Applications have closed. Your answers are shown below but can no longer be changed."
            : "Applications have not opened yet."}
        </div>
      ) : null}
      {application?.rawStatus === "withdrawn" ? (
        <div className="alert" role="status">
          <p>
            {application.status === "declined" ? "You declined your place" : "You withdrew this application"}
            {application.withdrawnAt ? ` on ${formatDate(application.withdrawnAt)}` : ""}, so it can no longer be
            changed or sent again. Your answers are shown below as you left them.{" "}
            {open && roles.length > 1
              ? `You can still apply in another role until ${formatDate(program.closesAt)}.`
              : "You can apply to a later session of the programme."}{" "}
            <Link to="/me/applications">Your applications</Link>
          </p>
        </div>
      ) : null}
      {searchParams.has("saved") && !result ? (
        <div className="alert" role="status">
          {application?.rawStatus === "submitted"
            ? "Your changes are saved."
            : "Draft saved. You can come back to it until the deadline."}
        </div>
      ) : null}
      <FormErrors errors={formErrors} />
      <Form method="post" ref={formRef} onChange={scheduleAutosave} className="stack" noValidate>
        <input type="hidden" name="roleId" value={role.id} />
        <fieldset disabled={!editable} className="stack application-fieldset">
          <legend className="visually-hidden">Your answers</legend>
          {questions.map((q) => (
            <QuestionField key={q.id} question={q} value={valueOf(q.id)} problem={problemOf(`q-${q.id}`)} />
          ))}
          {projects.length ? (
            <fieldset className="field" aria-describedby={problemOf("ranking") ? "ranking-error" : "ranking-hint"}>
              <legend>Project preferences (optional)</legend>
              <p id="ranking-hint" className="field-hint">
                Rank the mentoring projects you would like to work on: 1 is your first choice. Leave the others empty.
              </p>
              {projects.map((p) => {
                const saved = application?.projectRanking.indexOf(p.id) ?? -1;
                const current = kept ? keptText(`rank-${p.id}`) : saved >= 0 ? String(saved + 1) : "";
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
              {problemOf("ranking") ? (
                <p id="ranking-error" className="field-error">
                  {problemOf("ranking")}
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
              <TimeZonePicker
                select={{
                  id: "timezone",
                  name: "timezone",
                  defaultValue: kept ? keptText("timezone") : zoneChoice,
                  "aria-invalid": problemOf("timezone") ? true : undefined,
                  "aria-describedby": problemOf("timezone") ? "timezone-error" : undefined,
                }}
                options={timeZones}
                emptyLabel="Not given"
              />
              {problemOf("timezone") ? (
                <p id="timezone-error" className="field-error">
                  {problemOf("timezone")}
                </p>
              ) : null}
            </div>
            <div className="field field-inline">
              <label htmlFor="availableFrom">From</label>
              <select
                id="availableFrom"
                name="availableFrom"
                defaultValue={kept ? keptText("availableFrom") : (application?.availableFrom ?? "").toString()}
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
                defaultValue={kept ? keptText("availableTo") : (application?.availableTo ?? "").toString()}
                aria-describedby={problemOf("availability") ? "availability-error" : undefined}
              >
                <option value="">Not given</option>
                {HOURS.slice(1).map((h) => (
                  <option key={h} value={h}>{`${String(h).padStart(2, "0")}:00`}</option>
                ))}
              </select>
            </div>
            {problemOf("availability") ? (
              <p id="availability-error" className="field-error">
                {problemOf("availability")}
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
        <div className="stack">
          <p className="muted">Changed your mind? You can withdraw at any time; you will be asked to confirm.</p>
          <p>
            <Link
              to={`/me/applications?withdraw=${application.id}#confirm-withdraw`}
              className="button button-secondary"
            >
              {application.status === "accepted" ? "Decline my place" : "Withdraw application"}
            </Link>
          </p>
        </div>
      ) : null}
    </section>
  );
}
