// /admin/nominations/:id: one nomination. Roadies contact the maintainers, draft a call and ask a
// verified maintainer for their yes (nothing is published in anyone's name without it), or close it.
// Where no maintainer can answer, a working-group admin publishes it as a community nomination.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { Field, FormErrors, replyFor, useSchemaForm } from "#app/components/field.tsx";
import { requireRoadieOrWorkingGroup } from "#app/models/people/roadies.server.ts";
import {
  closeNomination,
  COMMUNITY_AFTER_MS,
  communityPublishAllowed,
  findNomination,
  markContacted,
  proposeToMaintainers,
  publishAsCommunityNomination,
} from "#app/models/calls/nominations.server.ts";
import { nominationReasonLabels, nominationStatusLabels } from "#app/models/calls/nominations-forms.ts";
import { callFormSchema, callKindLabels, callKinds, callUrgencies, urgencyLabels } from "#app/models/calls/forms.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";
import { skillTaxonomy } from "#db/reference/skills.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound, parseId } from "#app/utils/http.server.ts";
import { DAY_MS, formatShortDate } from "#app/utils/dates.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

/** A refusal because the object changed since the page was loaded (409) shows its current state. */
export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction = () => [{ title: "Nomination · Roadies" }];

/**
 * The roadie (or working-group member) asking, and the nomination, asked beside the session (one
 * round trip fewer); the check still answers first (sign in, 403), then a bad or missing id is 404.
 */
async function load(request: Request, rawId: string | undefined) {
  const finding = Promise.resolve().then(() => findNomination(parseId(rawId)));
  finding.catch(() => {}); // answered below, once the check has passed
  const user = await requireRoadieOrWorkingGroup(request);
  const nomination = await finding;
  if (!nomination) throw notFound();
  return { user, nomination };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, nomination } = await load(request, params.id);
  const now = Date.now();
  return {
    nomination: {
      ...nomination,
      detailsHtml: nomination.details ? renderMarkdown(nomination.details) : "",
      communityAllowed: communityPublishAllowed(nomination, now),
      communityFrom:
        nomination.status === "proposed" && nomination.proposedAt !== null
          ? nomination.proposedAt + COMMUNITY_AFTER_MS
          : null,
    },
    isAdmin: user.isAdmin,
    communityDays: COMMUNITY_AFTER_MS / DAY_MS,
  };
}

const closeSchema = z.object({
  reason: z
    .string({ error: "Say why you close it: the nominator reads this." })
    .trim()
    .min(5, "A few words at least.")
    .max(500),
});

type Nomination = Awaited<ReturnType<typeof load>>["nomination"];
type Roadie = Awaited<ReturnType<typeof load>>["user"];

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, nomination } = await load(request, params.id);
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "contacted":
      await markContacted(user.id, nomination.id);
      return redirect(`/admin/nominations/${nomination.id}`);
    case "close":
      return close(user, nomination, formData);
    case "propose":
      return propose(user, nomination, formData);
    case "community":
      return community(user, nomination, formData);
    default:
      throw data({ message: "Unknown action." }, { status: 400 });
  }
}

async function close(user: Roadie, nomination: Nomination, formData: FormData) {
  const submission = parseWithZod(formData, { schema: closeSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await closeNomination(user.id, nomination.id, submission.value.reason);
  return redirect(`/admin/nominations/${nomination.id}`);
}

const proposeProblems = {
  "not-open": "This nomination is already done or waiting for an answer.",
  "no-package": "This package is not on Roadies yet: a maintainer must add it first.",
  "no-maintainer":
    "This package has no verified maintainer to ask. A working-group admin can publish it as a community nomination.",
} as const;

async function propose(user: Roadie, nomination: Nomination, formData: FormData) {
  const submission = parseWithZod(formData, { schema: callFormSchema() });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await proposeToMaintainers(user.id, nomination.id, submission.value);
  if (!result.ok) return data(submission.reply({ formErrors: [proposeProblems[result.reason]] }), { status: 409 });
  return redirect(`/admin/nominations/${nomination.id}`);
}

const communityProblems = {
  "not-admin": "Only a working-group admin can publish a community nomination.",
  "not-open": "This nomination is already done.",
  "no-package": "This package is not on Roadies yet: a maintainer must add it first.",
  "maintainer-reachable":
    "A verified maintainer can still answer: ask them first, and wait for their answer (or until the waiting time is over).",
} as const;

async function community(user: Roadie, nomination: Nomination, formData: FormData) {
  const submission = parseWithZod(formData, { schema: callFormSchema() });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await publishAsCommunityNomination(user, nomination.id, submission.value);
  if (!result.ok) {
    const status = result.reason === "not-admin" ? 403 : 409;
    return data(submission.reply({ formErrors: [communityProblems[result.reason]] }), { status });
  }
  return redirect(`/calls/${result.callId}`);
}

type CallFields = {
  kind: FieldMetadata<string>;
  title: FieldMetadata<string>;
  description: FieldMetadata<string>;
  skills: FieldMetadata<string[]>;
  hoursPerWeek: FieldMetadata<string>;
  urgency: FieldMetadata<string>;
};

function CallFieldset({ f }: { f: CallFields }) {
  return (
    <>
      <Field field={f.kind} label="Kind of help">
        {(aria) => (
          <select {...getSelectProps(f.kind)} {...aria}>
            {callKinds.map((k) => (
              <option key={k} value={k}>
                {callKindLabels[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field field={f.title} label="Title">
        {(aria) => <input {...getInputProps(f.title, { type: "text" })} {...aria} />}
      </Field>
      <Field field={f.description} label="Description" hint="Markdown works.">
        {(aria) => <textarea {...getTextareaProps(f.description)} rows={6} {...aria} />}
      </Field>
      <Field field={f.skills} label="Skills needed" hint="Hold Ctrl or Cmd to choose several.">
        {(aria) => (
          <select
            name={f.skills.name}
            multiple
            size={8}
            defaultValue={(f.skills.initialValue as string[] | undefined) ?? []}
            {...aria}
          >
            {skillTaxonomy.map((s) => (
              <option key={s.id} value={`${s.id}:comfortable`}>
                {s.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field field={f.hoursPerWeek} label="Hours a week">
        {(aria) => <input {...getInputProps(f.hoursPerWeek, { type: "number" })} min={1} max={40} {...aria} />}
      </Field>
      <Field field={f.urgency} label="Urgency">
        {(aria) => (
          <select {...getSelectProps(f.urgency)} {...aria}>
            {callUrgencies.map((u) => (
              <option key={u} value={u}>
                {urgencyLabels[u]}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}

export default function NominationPage() {
  const { nomination: x, isAdmin, communityDays } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const draft = x.proposedCall;
  const defaults = {
    kind: draft?.kind ?? (x.reason === "new-home" ? "new-maintainer" : "co-maintainer"),
    urgency: draft?.urgency ?? (x.reason === "blocking-release" ? "high" : "normal"),
    hoursPerWeek: String(draft?.hoursPerWeek ?? 2),
    title: draft?.title ?? "",
    description: draft?.description ?? "",
    skills: draft?.skills.map((s) => `${s.skillId}:comfortable`) ?? [],
  };
  const [proposeForm, pf] = useSchemaForm(callFormSchema(), {
    id: "propose",
    lastResult: replyFor(result, "propose"),
    defaultValue: defaults,
  });
  const [communityForm, cmf] = useSchemaForm(callFormSchema(), {
    id: "community",
    lastResult: replyFor(result, "community"),
    defaultValue: defaults,
  });
  const [closeForm, cf] = useSchemaForm(closeSchema, {
    id: "close",
    lastResult: replyFor(result, "close"),
  });
  const active = x.status === "open" || x.status === "contacted" || x.status === "proposed";
  return (
    <section className="stack">
      <p>
        <Link to="/admin/nominations">← Nominations</Link>
      </p>
      <h1>Nomination: {x.packageName}</h1>
      <p>
        <span className="tag">{nominationReasonLabels[x.reason]}</span>{" "}
        <span className="tag">{nominationStatusLabels[x.status]}</span> · by @{x.nominator ?? "a former member"} on{" "}
        {formatShortDate(x.createdAt)}
      </p>
      <ul aria-label="Evidence">
        {x.evidence.map((e) => (
          <li key={e}>
            {/* Checked again here: stored links may predate or bypass the form's https:// rule. */}
            {/^https?:\/\//i.test(e) ? (
              <a href={e} rel="nofollow ugc noopener">
                {e}
              </a>
            ) : (
              e
            )}
          </li>
        ))}
      </ul>
      {x.detailsHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: x.detailsHtml }} /> : null}
      <p>
        {x.packageId ? (
          <>
            On Roadies: <Link to={`/packages/${x.normalizedName}`}>{x.packageName}</Link>
            {x.maintainers.length
              ? ` · verified maintainers: ${x.maintainers.map((m) => `@${m}`).join(", ")}`
              : " · no verified maintainer yet"}
          </>
        ) : (
          "This package is not on Roadies yet."
        )}
      </p>
      {x.status === "published" && x.callId ? (
        <p>
          Published{" "}
          {x.publishedAs === "community" ? "as a community nomination (in nobody's name)" : "by the maintainer"} as{" "}
          <Link to={`/calls/${x.callId}`}>call {x.callId}</Link>.
        </p>
      ) : null}
      {x.status === "declined" ? <p>A maintainer declined: {x.declineReason}</p> : null}
      {x.status === "closed" ? <p>Closed: {x.closeReason}</p> : null}
      {active ? (
        <>
          {x.status === "open" ? (
            <Form method="post">
              <button type="submit" name="intent" value="contacted" className="button button-secondary">
                Mark maintainers as contacted
              </button>
            </Form>
          ) : x.status === "contacted" ? (
            <p>Maintainers contacted.</p>
          ) : null}
          {x.status === "proposed" ? (
            <div className="card stack" role="status">
              <h2>Waiting for a maintainer&rsquo;s yes</h2>
              <p>
                The draft &ldquo;{draft?.title}&rdquo; was sent to the verified maintainers
                {x.proposedAt ? ` on ${formatShortDate(x.proposedAt)}` : ""}. It is published in a maintainer&rsquo;s
                name only when one of them accepts it.
              </p>
              {x.communityFrom && !x.communityAllowed ? (
                <p className="muted">
                  If no one answers by {formatShortDate(x.communityFrom)}, a working-group admin may publish it as a
                  community nomination.
                </p>
              ) : null}
            </div>
          ) : x.maintainers.length ? (
            <Form method="post" {...getFormProps(proposeForm)} className="card stack">
              <h2>Ask the maintainers to publish a call</h2>
              <p className="muted">
                Draft the call. Each verified maintainer gets it by email; it is published in their name only if one of
                them accepts. Nothing is published now.
              </p>
              <FormErrors errors={proposeForm.errors} />
              <CallFieldset f={pf as unknown as CallFields} />
              <button type="submit" name="intent" value="propose" className="button">
                Send the draft to the maintainers
              </button>
            </Form>
          ) : null}
          {x.communityAllowed ? (
            isAdmin ? (
              <Form method="post" {...getFormProps(communityForm)} className="card stack">
                <h2>Publish as a community nomination</h2>
                <p className="muted">
                  {x.maintainers.length
                    ? `No verified maintainer answered within ${communityDays} days.`
                    : "This package has no verified maintainer on Roadies."}{" "}
                  The call is labelled &ldquo;Community nomination&rdquo; and posted in nobody&rsquo;s name.
                </p>
                <FormErrors errors={communityForm.errors} />
                <CallFieldset f={cmf as unknown as CallFields} />
                <button type="submit" name="intent" value="community" className="button">
                  Publish as a community nomination
                </button>
              </Form>
            ) : (
              <p className="muted">
                No maintainer can answer this one: a working-group admin can publish it as a community nomination.
              </p>
            )
          ) : null}
          <Form method="post" {...getFormProps(closeForm)} className="card stack">
            <h2>Close without a call</h2>
            <Field field={cf.reason} label="Reason" hint="The nominator gets this by email.">
              {(aria) => <input {...getInputProps(cf.reason, { type: "text" })} {...aria} />}
            </Field>
            <button type="submit" name="intent" value="close" className="button button-secondary">
              Close nomination
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}
