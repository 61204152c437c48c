// /requests/pools: the expert pools. Anyone signed in can apply with evidence and pause or resume
// their availability; working-group admins admit people and set the acknowledgement deadlines.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useNotices } from "#app/components/notices.ts";
import { getFormProps, getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, replyFor, useSchemaForm } from "#app/components/field.tsx";
import { requireUser } from "#app/models/people/auth.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { invariantResponse, notFound, parseId } from "#app/utils/http.server.ts";
import {
  applyToPool,
  decidePoolApplication,
  listMyPools,
  listPendingApplications,
  listPools,
  setPoolPaused,
} from "#app/models/requests/pools.server.ts";
import { getDeadlineDays, saveDeadlineDays } from "#app/models/requests/routing.server.ts";
import {
  deadlineKeys,
  deadlineSchema,
  kindDescriptions,
  kindLabels,
  poolApplicationSchema,
  requestKinds,
  severityLabels,
  type DeadlineKey,
} from "#app/models/requests/forms.ts";

export const meta: MetaFunction = () => [{ title: "Expert pools · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [pools, mine, pending, deadlines] = await Promise.all([
    listPools(),
    listMyPools(user.id),
    user.isAdmin ? listPendingApplications() : [],
    getDeadlineDays(),
  ]);
  return {
    isAdmin: user.isAdmin,
    pools: pools.map((p) => ({
      kind: p.kind,
      members: p.members.map((m) => ({
        id: m.id,
        login: m.login,
        name: m.name,
        paused: m.paused,
        open: Number(m.open),
      })),
    })),
    mine: mine.map((m) => ({ kind: m.kind, status: m.status, paused: m.paused })),
    pending,
    deadlines,
  };
}

type Viewer = Awaited<ReturnType<typeof requireUser>>;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  switch (intent) {
    case "apply":
      return apply(user, formData);
    case "pause":
    case "resume":
      return pause(user, formData, intent === "pause");
    case "approve":
    case "reject":
      return decide(requirePoolAdmin(user), formData, intent === "approve");
    case "deadlines":
      return saveDeadlines(requirePoolAdmin(user), formData);
    default:
      requirePoolAdmin(user);
      invariantResponse(false, "Unknown action.");
  }
}

/** Admitting people and setting deadlines are for admins; to everyone else those forms do not exist. */
function requirePoolAdmin(user: Viewer) {
  if (!user.isAdmin) throw notFound();
  return user;
}

async function apply(user: Viewer, formData: FormData) {
  const submission = parseWithZod(formData, { schema: poolApplicationSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await applyToPool(user.id, submission.value);
  if (!result.ok) return data(submission.reply({ formErrors: [result.problem] }), { status: 400 });
  return redirect(`/requests/pools?applied=${result.status}`);
}

async function pause(user: Viewer, formData: FormData, paused: boolean) {
  const kind = requestKinds.find((k) => k === formData.get("kind"));
  if (!kind || !(await setPoolPaused(user.id, kind, paused))) throw notFound();
  return redirect("/requests/pools");
}

async function decide(admin: Viewer, formData: FormData, approve: boolean) {
  const decided = await decidePoolApplication(parseId(String(formData.get("memberId") ?? "")), approve, admin.id);
  if (!decided) throw notFound();
  return redirect(`/requests/pools?${approve ? "admitted" : "declined"}=${decided.kind}`);
}

async function saveDeadlines(admin: Viewer, formData: FormData) {
  const submission = parseWithZod(formData, { schema: deadlineSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await saveDeadlineDays(submission.value as Record<DeadlineKey, number>, admin.id);
  return redirect("/requests/pools?deadlines=saved");
}

const deadlineLabel = (k: DeadlineKey) =>
  k === "other" ? "Every other kind" : `Security, ${severityLabels[k].toLowerCase()}`;

export default function Pools() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const params = useNotices(useSearchParams()[0]);
  const [applyForm, applyFields] = useSchemaForm<typeof poolApplicationSchema, { kind: string; evidence: string }>(
    poolApplicationSchema,
    {
      id: "pool-apply",
      lastResult: replyFor(actionData, "apply"),
    },
  );
  const [deadlineForm, deadlineFields] = useSchemaForm<typeof deadlineSchema, Record<DeadlineKey, string>>(
    deadlineSchema,
    {
      id: "deadlines",
      lastResult: replyFor(actionData, "deadlines"),
      defaultValue: Object.fromEntries(deadlineKeys.map((k) => [k, String(d.deadlines[k])])),
    },
  );
  const applied = params.get("applied");
  const admitted = requestKinds.find((k) => k === params.get("admitted"));
  const declined = requestKinds.find((k) => k === params.get("declined"));
  const decidedNotice = admitted
    ? `Admitted: the ${kindLabels[admitted].toLowerCase()} pool has a new member, who can now be assigned requests.`
    : declined
      ? `Declined: the application to the ${kindLabels[declined].toLowerCase()} pool is closed.`
      : null;
  return (
    <div className="stack">
      <p>
        <Link to="/requests">← Special requests</Link>
      </p>
      <h1>Expert pools</h1>
      <p>
        Each kind of special request has a pool of people who can help. A new request goes to the member with the fewest
        open requests, preferring people whose working day overlaps the maintainers&rsquo;, and never to a maintainer of
        the package itself.
      </p>
      {applied ? (
        <p className="alert" role="status">
          {applied === "active"
            ? "You are in the pool. Requests may now come to you by email."
            : "Thank you: a working-group admin will look at your application."}
        </p>
      ) : null}
      {decidedNotice ? (
        <p className="alert" role="status">
          {decidedNotice}
        </p>
      ) : null}
      {params.get("deadlines") ? (
        <p className="alert" role="status">
          The deadlines are saved. They apply to requests assigned from now on.
        </p>
      ) : null}

      <section className="stack" aria-labelledby="your-pools">
        <h2 id="your-pools">Your pools</h2>
        {d.mine.length ? (
          <ul>
            {d.mine.map((m) => (
              <li key={m.kind}>
                {kindLabels[m.kind]}:{" "}
                {m.status === "active"
                  ? m.paused
                    ? "member, paused"
                    : "member, available"
                  : m.status === "pending"
                    ? "application waiting"
                    : "application not accepted"}
                {m.status === "active" ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="kind" value={m.kind} />
                    <button
                      type="submit"
                      name="intent"
                      value={m.paused ? "resume" : "pause"}
                      className="button button-secondary button-small"
                    >
                      {m.paused
                        ? `Resume ${kindLabels[m.kind].toLowerCase()} requests`
                        : `Pause ${kindLabels[m.kind].toLowerCase()} requests`}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">You are not in any pool yet.</p>
        )}
      </section>

      <section className="stack narrow" aria-labelledby="apply">
        <h2 id="apply">Apply to a pool</h2>
        <p>
          Roadies and working-group members join every pool except security at once; everyone else, and everyone for
          security, joins after a working-group admin has looked at the evidence.
        </p>
        <Form method="post" {...getFormProps(applyForm)} className="stack">
          <FormErrors errors={applyForm.errors} />
          <Field field={applyFields.kind} label="Pool">
            {(aria) => (
              <select {...getSelectProps(applyFields.kind)} {...aria}>
                {requestKinds.map((k) => (
                  <option key={k} value={k}>
                    {kindLabels[k]}: {kindDescriptions[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            field={applyFields.evidence}
            label="Evidence"
            hint="What you have done in this area, with links: advisories handled, grants won, packages handed on …"
          >
            {(aria) => <textarea {...getTextareaProps(applyFields.evidence)} rows={5} {...aria} />}
          </Field>
          <p>
            <button type="submit" name="intent" value="apply" className="button">
              Apply
            </button>
          </p>
        </Form>
      </section>

      {d.isAdmin ? (
        <section className="stack" aria-labelledby="pending">
          <h2 id="pending">Applications waiting</h2>
          {d.pending.length ? (
            <ul className="stack">
              {d.pending.map((p) => (
                <li key={p.id} className="card">
                  <p>
                    <strong>{p.name ?? p.login}</strong> (@{p.login}) for {kindLabels[p.kind].toLowerCase()}
                  </p>
                  <p>{p.evidence}</p>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="memberId" value={p.id} />
                    <button type="submit" name="intent" value="approve" className="button button-small">
                      Admit @{p.login}
                    </button>{" "}
                    <button type="submit" name="intent" value="reject" className="button button-secondary button-small">
                      Decline @{p.login}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No applications waiting.</p>
          )}
        </section>
      ) : null}

      <section className="stack" aria-labelledby="members">
        <h2 id="members">Members</h2>
        {d.pools.map((p) => (
          <div key={p.kind}>
            <h3>{kindLabels[p.kind]}</h3>
            {p.members.length ? (
              <ul>
                {p.members.map((m) => (
                  <li key={m.id}>
                    {m.name ?? m.login} (@{m.login}){m.paused ? " · paused" : ""}
                    {d.isAdmin ? ` · ${m.open} open` : ""}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">Nobody yet.</p>
            )}
          </div>
        ))}
      </section>

      {d.isAdmin ? (
        <section className="stack narrow" aria-labelledby="deadlines">
          <h2 id="deadlines">Acknowledgement deadlines</h2>
          <p>Days an expert has to acknowledge a request before it moves to the next member and you are told.</p>
          <Form method="post" {...getFormProps(deadlineForm)} className="stack">
            <FormErrors errors={deadlineForm.errors} />
            {deadlineKeys.map((k) => (
              <Field key={k} field={deadlineFields[k]} label={`${deadlineLabel(k)} (days)`}>
                {(aria) => (
                  <input {...getInputProps(deadlineFields[k], { type: "number" })} min={1} max={365} {...aria} />
                )}
              </Field>
            ))}
            <p>
              <button type="submit" name="intent" value="deadlines" className="button">
                Save deadlines
              </button>
            </p>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
