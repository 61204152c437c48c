// /guides/:slug/history: every revision of a guide (who wrote it, who published it, why), the
// difference between any two (?from=2&to=5), and, for reviewers (working-group members and
// roadies), the review tools: "reviewed, no change" and the guide's owner.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { getFormProps, getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, replyFor, useSchemaForm } from "#app/components/field.tsx";
import { TextDiff } from "#app/components/text-diff.tsx";
import { useNotices } from "#app/components/notices.ts";
import { getCurrentUser, requireUser } from "#app/models/people/auth.server.ts";
import {
  getGuide,
  getRevisionBody,
  isGuideReviewer,
  listRevisions,
  markReviewed,
  reviewerChoices,
  setOwner,
} from "#app/models/guides/guides.server.ts";
import { diffTexts } from "#app/models/guides/diff.ts";
import { ownerSchema, reviewedSchema } from "#app/models/guides/forms.ts";
import { guidePath } from "#app/models/guides/paths.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { formatDate, formatDateTime, formatShortDate, isoDay } from "#app/utils/dates.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `History of ${data.guide.title} · Roadies` : "Guide not found · Roadies" },
];

function revisionParam(value: string | null, fallback: number, max: number): number {
  const n = value === null ? NaN : Number(value);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const now = Date.now();
  // The guide and the viewer side by side (one round trip), then everything that needs either.
  const [guide, user] = await Promise.all([getGuide(params.slug ?? "", now), getCurrentUser(request)]);
  if (!guide) throw notFound();
  const url = new URL(request.url);
  const current = guide.currentRevision;
  const to = revisionParam(url.searchParams.get("to"), current, current);
  const from = revisionParam(url.searchParams.get("from"), Math.max(1, to - 1), current);
  const [revisions, fromBody, toBody, reviewer] = await Promise.all([
    listRevisions(guide.id),
    getRevisionBody(guide.id, from),
    getRevisionBody(guide.id, to),
    user ? isGuideReviewer(user.id, now) : false,
  ]);
  return {
    guide: {
      slug: guide.slug,
      title: guide.title,
      href: guidePath(guide.slug),
      currentRevision: current,
      ownerLogin: guide.ownerLogin,
      lastReviewed: formatDate(guide.lastReviewedAt),
      lastReviewedIso: isoDay(guide.lastReviewedAt),
      reviewerLogin: guide.reviewerLogin,
      reviewDue: formatDate(guide.reviewDueAt),
      due: guide.due,
    },
    revisions: revisions.map((r) => ({
      number: r.number,
      note: r.note,
      when: formatDateTime(r.createdAt),
      whenIso: new Date(r.createdAt).toISOString(),
      day: formatShortDate(r.createdAt),
      authorLogin: r.authorLogin,
      authorName: r.authorName,
      publisherLogin: r.publisherLogin,
      suggestionId: r.suggestionId,
    })),
    compare: { from, to, diff: diffTexts(fromBody ?? "", toBody ?? "") },
    reviewer,
    owners: reviewer ? await reviewerChoices(now) : [],
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const now = Date.now();
  if (!(await isGuideReviewer(user.id, now))) throw new Response("Forbidden", { status: 403 });
  const guide = await getGuide(params.slug ?? "", now);
  if (!guide) throw notFound();
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "reviewed":
      return reviewed(guide, user.id, formData, now);
    case "owner":
      return owner(guide, formData, now);
    default:
      throw data({ message: "Unknown action." }, { status: 400 });
  }
}

type GuideRow = NonNullable<Awaited<ReturnType<typeof getGuide>>>;

async function reviewed(guide: GuideRow, userId: number, formData: FormData, now: number) {
  const submission = parseWithZod(formData, { schema: reviewedSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await markReviewed(guide.id, userId, submission.value.currentRevision, now);
  if (!result.ok) {
    return data(
      submission.reply({
        formErrors: [
          "The guide changed since you opened this page: read the new revision below, then mark it reviewed.",
        ],
      }),
      { status: 409 },
    );
  }
  return redirect(`/guides/${guide.slug}/history?reviewed=1`);
}

async function owner(guide: GuideRow, formData: FormData, now: number) {
  const submission = parseWithZod(formData, { schema: ownerSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await setOwner(guide.id, submission.value.owner || null, now);
  if (!result.ok) {
    return data(
      submission.reply({ fieldErrors: { owner: ["Only a working-group member or roadie can own a guide."] } }),
      {
        status: 400,
      },
    );
  }
  return redirect(`/guides/${guide.slug}/history?owner=1`);
}

function ReviewTools() {
  const { guide, owners } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const [reviewedForm] = useSchemaForm(reviewedSchema, {
    id: "reviewed",
    lastResult: replyFor(reply, "reviewed"),
    defaultValue: { currentRevision: String(guide.currentRevision) },
  });
  const [ownerForm, ownerFields] = useSchemaForm(ownerSchema, {
    id: "owner",
    lastResult: replyFor(reply, "owner"),
    defaultValue: { owner: guide.ownerLogin ?? "" },
  });
  return (
    <section className="card stack" aria-labelledby="review-tools">
      <h2 id="review-tools">Review</h2>
      <p>
        Last reviewed <time dateTime={guide.lastReviewedIso}>{guide.lastReviewed}</time>
        {guide.reviewerLogin ? ` by ${guide.reviewerLogin}` : ""};{" "}
        {guide.due ? "due for review since" : "due for review on"} {guide.reviewDue}. Publishing a revision counts as a
        review. If you read the guide and it is still right, say so:
      </p>
      <Form method="post" {...getFormProps(reviewedForm)}>
        <FormErrors errors={reviewedForm.errors} />
        <input type="hidden" name="currentRevision" value={guide.currentRevision} />
        <button type="submit" name="intent" value="reviewed">
          Reviewed, no change needed
        </button>
      </Form>
      <Form method="post" {...getFormProps(ownerForm)} className="stack">
        <FormErrors errors={ownerForm.errors} />
        <Field
          field={ownerFields.owner}
          label="Kept by"
          hint="The person who watches this guide and reviews its suggestions first."
        >
          {(aria) => (
            <select {...getSelectProps(ownerFields.owner)} {...aria}>
              <option value="">The working group</option>
              {owners.map((o) => (
                <option key={o.login} value={o.login}>
                  {o.name ? `${o.name} (${o.login})` : o.login}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" name="intent" value="owner">
          Save owner
        </button>
      </Form>
    </section>
  );
}

export default function GuideHistory() {
  const { guide, revisions, compare, reviewer } = useLoaderData<typeof loader>();
  const [query] = useSearchParams();
  const notices = useNotices(query);
  const options = revisions.map((r) => (
    <option key={r.number} value={r.number}>
      Revision {r.number} ({r.day})
    </option>
  ));
  return (
    <div className="stack narrow guide-history">
      <p>
        <Link to={guide.href}>← {guide.title}</Link>
      </p>
      <h1>History of “{guide.title}”</h1>
      {notices.get("reviewed") ? (
        <p className="alert" role="status">
          Marked as reviewed today. Thank you.
        </p>
      ) : null}
      {notices.get("owner") ? (
        <p className="alert" role="status">
          Owner saved.
        </p>
      ) : null}
      {reviewer ? <ReviewTools /> : null}
      <section className="stack" aria-labelledby="revisions">
        <h2 id="revisions">Revisions</h2>
        <ol reversed className="revision-list">
          {revisions.map((r) => (
            <li key={r.number}>
              <strong>Revision {r.number}</strong>
              {r.number === guide.currentRevision ? " (current)" : ""}: {r.note}{" "}
              <span className="muted">
                — <time dateTime={r.whenIso}>{r.when}</time>, by{" "}
                {r.authorLogin ? (r.authorName ?? r.authorLogin) : "the Roadies project"}
                {r.publisherLogin && r.publisherLogin !== r.authorLogin ? `, published by ${r.publisherLogin}` : ""}
              </span>
              {r.number > 1 ? (
                <>
                  {" "}
                  <Link to={`?from=${r.number - 1}&to=${r.number}#compare`}>What changed</Link>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
      <section className="stack" aria-labelledby="compare">
        <h2 id="compare">Compare two revisions</h2>
        <Form method="get" className="compare-form" preventScrollReset>
          <label>
            From{" "}
            <select name="from" defaultValue={compare.from} key={`from-${compare.from}`}>
              {options}
            </select>
          </label>{" "}
          <label>
            to{" "}
            <select name="to" defaultValue={compare.to} key={`to-${compare.to}`}>
              {options}
            </select>
          </label>{" "}
          <button type="submit">Compare</button>
        </Form>
        <TextDiff diff={compare.diff} from={`revision ${compare.from}`} to={`revision ${compare.to}`} />
      </section>
    </div>
  );
}
