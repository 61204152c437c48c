// /nominations/:id: a verified maintainer of the nominated package reads the call the roadies
// drafted and accepts it (it is posted in their name) or declines it with a reason. Anyone else
// gets a 404.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, replyFor, useSchemaForm } from "#app/components/field.tsx";
import { requireUser } from "#app/models/people/auth.server.ts";
import { acceptNomination, declineNomination, nominationForMaintainer } from "#app/models/calls/nominations.server.ts";
import { answerSchema, nominationReasonLabels } from "#app/models/calls/nominations-forms.ts";
import { callKindLabels, urgencyLabels } from "#app/models/calls/forms.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound, parseId } from "#app/utils/http.server.ts";
import { skillTaxonomy } from "#db/reference/skills.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

/** A refusal because the object changed since the page was loaded (409) shows its current state. */
export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Nomination of ${data.nomination.packageName} · Roadies` : "Not found · Roadies" },
];

async function load(request: Request, rawId: string | undefined) {
  const user = await requireUser(request);
  const nomination = await nominationForMaintainer(parseId(rawId), user);
  if (!nomination) throw notFound();
  return { user, nomination };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { nomination } = await load(request, params.id);
  const draft = nomination.draft;
  return {
    nomination: {
      ...nomination,
      draft: {
        ...draft,
        descriptionHtml: renderMarkdown(draft.description),
        skillNames: draft.skills.map((s) => skillTaxonomy.find((t) => t.id === s.skillId)?.name ?? s.skillId),
      },
      detailsHtml: nomination.details ? renderMarkdown(nomination.details) : "",
    },
  };
}

const problems = {
  "not-proposed": "This nomination was already answered.",
  "not-maintainer": "Only a verified maintainer of this package can answer.",
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, nomination } = await load(request, params.id);
  const submission = parseWithZod(await readFormData(request), { schema: answerSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result =
    submission.value.intent === "accept"
      ? await acceptNomination(user, nomination.id)
      : await declineNomination(user, nomination.id, submission.value.reason);
  if (!result.ok) return data(submission.reply({ formErrors: [problems[result.reason]] }), { status: 409 });
  return redirect(result.callId ? `/calls/${result.callId}?posted=1` : `/nominations/${nomination.id}`);
}

export default function MaintainerNomination() {
  const { nomination: x } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [declineForm, df] = useSchemaForm(answerSchema, {
    id: "decline",
    lastResult: replyFor(result, "decline"),
  });
  const d = x.draft;
  return (
    <article className="stack narrow">
      <p>
        <Link to={`/packages/${x.packageSlug}`}>← {x.packageName}</Link>
      </p>
      <h1>{x.packageName} was nominated for a call for help</h1>
      <p>
        <span className="tag">{nominationReasonLabels[x.reason]}</span> A Roadies member thinks {x.packageName} needs
        help, and the roadies drafted the call below. Nothing is published unless you accept it: then it is posted in
        your name, and you manage it like any call of yours.
      </p>
      {x.evidence.length ? (
        <>
          <h2>Why they think so</h2>
          <ul aria-label="Evidence">
            {x.evidence.map((e) => (
              <li key={e}>
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
        </>
      ) : null}
      <section aria-labelledby="draft-heading" className="card stack">
        <h2 id="draft-heading">The draft call: {d.title}</h2>
        <p className="muted">
          <span className="tag">{callKindLabels[d.kind]}</span>{" "}
          <span className="tag">Urgency: {urgencyLabels[d.urgency]}</span> · {d.hoursPerWeek} hours a week · skills:{" "}
          {d.skillNames.join(", ")}
        </p>
        <div className="prose" dangerouslySetInnerHTML={{ __html: d.descriptionHtml }} />
      </section>
      {x.status === "proposed" ? (
        <>
          <FormErrors errors={result?.error?.[""]} />
          <Form method="post">
            <button type="submit" name="intent" value="accept" className="button">
              Accept and publish in my name
            </button>
          </Form>
          <Form method="post" {...getFormProps(declineForm)} className="card stack">
            <h2>Decline</h2>
            <Field
              field={df.reason}
              label="Why not?"
              hint="The person who nominated the package and the roadies read this."
            >
              {(aria) => <textarea {...getTextareaProps(df.reason)} rows={3} {...aria} />}
            </Field>
            <button type="submit" name="intent" value="decline" className="button button-secondary">
              Decline the call
            </button>
          </Form>
        </>
      ) : x.status === "published" && x.callId ? (
        <p role="status">
          {x.publishedAs === "community" ? (
            <>
              Published as a community nomination, in nobody&rsquo;s name:{" "}
              <Link to={`/calls/${x.callId}`}>the call</Link>.
            </>
          ) : (
            <>
              Accepted by @{x.answeredBy ?? "a former maintainer"} and published:{" "}
              <Link to={`/calls/${x.callId}`}>the call</Link>.
            </>
          )}
        </p>
      ) : x.status === "declined" ? (
        <p role="status">
          Declined by @{x.answeredBy ?? "a former maintainer"}: {x.declineReason}
        </p>
      ) : (
        <p role="status">This nomination was closed by the roadies.</p>
      )}
    </article>
  );
}
