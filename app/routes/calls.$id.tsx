// The page people share: the call, its package and maintainers, and "I'm interested".
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { ReportLink } from "#app/components/report-link.tsx";
import { appLink, useLinkClicks } from "#app/components/link-clicks.tsx";
import { Field, FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { getCurrentUser, requireUser } from "#app/models/people/auth.server.ts";
import { env } from "#app/utils/env.server.ts";
import { renderMarkdown, markdownToText } from "#app/utils/markdown.server.ts";
import { hitRateLimit } from "#app/utils/rate-limit.server.ts";
import { callKindLabels, InterestForm, statusLabels, urgencyLabels } from "#app/models/calls/forms.ts";
import { canManageCall, getVisibleCall } from "#app/models/calls/calls.server.ts";
import { levelLabels } from "#app/models/people/profile.ts";
import {
  expressInterest,
  getMyInterest,
  interestProblemMessages,
  interestRule,
  withdrawInterest,
} from "#app/models/calls/interests.server.ts";
import { similarCalls } from "#app/models/calls/listing.server.ts";
import { isVerifiedMaintainer, listMaintainers } from "#app/models/packages/maintainers.server.ts";
import { isCallDismissed } from "#app/models/calls/dismissals.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { isoDay } from "#app/utils/dates.ts";
import { notFound } from "#app/utils/http.server.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

/** A refusal because the object changed since the page was loaded (409) shows its current state. */
export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Call not found · Roadies" }];
  const title = `${data.call.title} · ${data.call.packageName} · Roadies`;
  return [
    { title },
    { name: "description", content: data.summary },
    { tagName: "link", rel: "canonical", href: data.canonicalUrl },
    { property: "og:type", content: "article" },
    { property: "og:site_name", content: "Roadies" },
    { property: "og:title", content: `${data.call.packageName}: ${data.call.title}` },
    { property: "og:description", content: data.summary },
    { property: "og:url", content: data.canonicalUrl },
    { name: "twitter:card", content: "summary" },
    { name: "twitter:title", content: `${data.call.packageName}: ${data.call.title}` },
    { name: "twitter:description", content: data.summary },
  ];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  // The session and the call are read side by side (one round trip); the call is shown only after both.
  const viewerPending = getCurrentUser(request);
  const [viewer, call] = await Promise.all([viewerPending, getVisibleCall(params.id, viewerPending)]);
  if (!call) throw notFound();
  const [maintainers, similar, canManage, myInterest, isMaintainer, dismissed] = await Promise.all([
    listMaintainers(call.packageId),
    similarCalls(call),
    canManageCall(viewer, call),
    viewer ? getMyInterest(call.id, viewer.id) : null,
    viewer ? isVerifiedMaintainer(viewer.id, call.packageId) : false,
    viewer ? isCallDismissed(viewer.id, call.id) : false,
  ]);
  return {
    call: {
      id: call.id,
      title: call.title,
      kind: call.kind,
      urgency: call.urgency,
      mentoring: call.mentoring,
      status: call.status,
      hoursPerWeek: call.hoursPerWeek,
      djangoVersions: call.djangoVersions,
      expiresOn: call.expiresOn,
      createdAt: call.createdAt,
      outcomeNote: call.outcomeNote,
      packageName: call.packageName,
      packageSlug: call.packageSlug,
      repository: call.repository,
      skills: call.skills,
      hidden: call.hidden,
      communityNomination: call.communityNomination,
    },
    descriptionHtml: renderMarkdown(call.description),
    summary: markdownToText(call.description, 200),
    canonicalUrl: `${env().appUrl}/calls/${call.id}`,
    // Only what the page shows: the verified maintainers' logins, and each similar call's link.
    maintainers: maintainers.filter((m) => m.verified).map((m) => m.login),
    similar: similar.map((s) => ({ id: s.id, title: s.title, packageName: s.packageName })),
    canManage,
    signedIn: Boolean(viewer),
    isMaintainer,
    hasEmail: Boolean(viewer?.email),
    myInterest: myInterest ? { status: myInterest.status } : null,
    dismissed,
    posted: new URL(request.url).searchParams.has("posted"),
  };
}

type Viewer = Awaited<ReturnType<typeof requireUser>>;
type Call = NonNullable<Awaited<ReturnType<typeof getVisibleCall>>>;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const call = await getVisibleCall(params.id, user);
  if (!call) throw notFound();
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "withdraw":
      await withdrawInterest(user.id, call.id);
      return redirect(`/calls/${call.id}`);
    default:
      // The interest form sends no intent.
      return answer(user, call, formData);
  }
}

async function answer(user: Viewer, call: Call, formData: FormData) {
  const submission = parseWithZod(formData, { schema: InterestForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const limit = await hitRateLimit(interestRule, String(user.id));
  if (!limit.allowed) {
    return data(submission.reply({ formErrors: ["You have answered many calls today. Please try again tomorrow."] }), {
      status: 429,
    });
  }
  const result = await expressInterest(user, call, submission.value);
  if (!result.ok)
    return data(submission.reply({ formErrors: [interestProblemMessages[result.problem]] }), { status: 409 });
  return redirect(`/calls/${call.id}?interested=1`);
}

/** A refusal because the call changed (closed, already answered), shown above its current state. */
function InterestRefusal() {
  const lastResult = useActionData<typeof action>();
  const [form] = useSchemaForm(InterestForm, { id: "interest", lastResult });
  return <FormErrors errors={form.errors} />;
}

function InterestSection() {
  const d = useLoaderData<typeof loader>();
  // Conform's form state is set up only where it is shown: the form, or a refusal to show.
  const refusal = useActionData<typeof action>() ? <InterestRefusal /> : null;
  const open = d.call.status === "open" || d.call.status === "in_conversation";
  if (!open) return refusal;
  if (!d.signedIn) {
    return (
      <p>
        <a className="button" {...appLink} href={`/login?next=${encodeURIComponent(`/calls/${d.call.id}`)}`}>
          Sign in to answer this call
        </a>
      </p>
    );
  }
  if (d.isMaintainer) return <p className="muted">You maintain this package.</p>;
  if (d.myInterest && d.myInterest.status !== "withdrawn") {
    const words = {
      pending: "waiting for the maintainers",
      accepted: "accepted: expect a message from the maintainers",
      declined: "declined",
    } as const;
    return (
      <div className="card stack">
        {refusal}
        <p role="status">
          You expressed interest in this call ({words[d.myInterest.status]}).{" "}
          <a {...appLink} href="/me/interests">
            All your interests
          </a>
        </p>
        {d.myInterest.status !== "declined" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="withdraw" />
            <button type="submit" className="button button-secondary">
              Withdraw my interest
            </button>
          </Form>
        ) : null}
      </div>
    );
  }
  return <InterestFormCard hasEmail={d.hasEmail} />;
}

function InterestFormCard({ hasEmail }: { hasEmail: boolean }) {
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(InterestForm, { id: "interest", lastResult });
  return (
    <section className="card stack" aria-labelledby="interest-heading">
      <h2 id="interest-heading">I&rsquo;m interested</h2>
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="intent" value="interest" />
        <FormErrors errors={form.errors} />
        <Field
          field={fields.message}
          label="Message to the maintainers"
          hint="Who you are, what you have done with Django or this package, and the time you can give."
        >
          {(aria) => <textarea {...getTextareaProps(fields.message)} {...aria} rows={6} />}
        </Field>
        {hasEmail ? (
          <div className="field field-checkbox">
            <input {...getInputProps(fields.shareEmail, { type: "checkbox" })} />
            <label htmlFor={fields.shareEmail.id}>Share my email address with the maintainers</label>
          </div>
        ) : null}
        <p>
          <button type="submit" className="button">
            Send my interest
          </button>
        </p>
      </Form>
    </section>
  );
}

/** "Not for me": keeps the call out of this person's match digest, with an undo. */
function NotForMeSection() {
  const d = useLoaderData<typeof loader>();
  const action = `/calls/${d.call.id}/not-for-me`;
  if (d.dismissed && !d.isMaintainer && !d.call.hidden) {
    return (
      <div className="card stack not-for-me">
        <p role="status">
          You marked this call <strong>not for me</strong>: it will not appear in your match digest.{" "}
          <a {...appLink} href="/settings/notifications#not-for-me">
            Calls you marked not for me
          </a>
        </p>
        <Form method="post" action={action}>
          <input type="hidden" name="intent" value="undo" />
          <button type="submit" className="button button-secondary">
            Undo
          </button>
        </Form>
      </div>
    );
  }
  const open = d.call.status === "open" || d.call.status === "in_conversation";
  const answered = d.myInterest && d.myInterest.status !== "withdrawn";
  if (!d.signedIn || d.isMaintainer || d.call.hidden || !open || answered) return null;
  return (
    <Form method="post" action={action} className="not-for-me">
      <input type="hidden" name="intent" value="dismiss" />
      <p>
        <button type="submit" className="button button-secondary" aria-describedby="not-for-me-hint">
          Not for me
        </button>{" "}
        <span id="not-for-me-hint" className="muted">
          Your match digest will not suggest this call again.
        </span>
      </p>
    </Form>
  );
}

export default function CallPage() {
  const d = useLoaderData<typeof loader>();
  const c = d.call;
  const onLinkClick = useLinkClicks();
  // The page's links are plain <a href> routed by one handler (link-clicks.tsx), not a <Link> each.
  return (
    <article className="stack call-page" onClick={onLinkClick}>
      <p>
        <a {...appLink} href="/calls">
          ← All calls
        </a>
      </p>
      {d.posted ? (
        <p className="alert" role="status">
          Your call is posted. Share this page: it is the call&rsquo;s permanent address.
        </p>
      ) : null}
      {c.hidden ? (
        <p className="alert alert-error">This call is hidden by the working group; only its maintainers see it.</p>
      ) : null}
      <p className="muted">
        <span className="tag">{callKindLabels[c.kind]}</span>{" "}
        <span className="tag">{`Urgency: ${urgencyLabels[c.urgency]}`}</span>{" "}
        {c.mentoring ? <span className="tag">Mentoring offered</span> : null}{" "}
        <span className={`tag call-status call-status-${c.status}`}>{statusLabels[c.status]}</span>
      </p>
      <h1>{c.title}</h1>
      {c.communityNomination ? (
        <p className="alert" role="note">
          <span className="tag">Community nomination</span> The Roadies community nominated this package as needing
          help, and no maintainer could answer. This call is posted in nobody&rsquo;s name: its maintainers did not post
          or confirm it.
        </p>
      ) : null}
      <p>
        For{" "}
        <a {...appLink} href={`/packages/${c.packageSlug}`}>
          {c.packageName}
        </a>
        {c.repository ? (
          <>
            {" "}
            · <a href={`https://github.com/${c.repository}`}>github.com/{c.repository}</a>
          </>
        ) : null}
      </p>
      {d.canManage ? (
        <p>
          <a className="button" {...appLink} href={`/calls/${c.id}/manage`}>
            Manage the call and its interests
          </a>{" "}
          <a className="button button-secondary" {...appLink} href={`/calls/${c.id}/edit`}>
            Edit
          </a>
        </p>
      ) : null}
      <dl className="call-facts">
        <dt>Time commitment</dt>
        <dd>{`${c.hoursPerWeek} hours per week`}</dd>
        <dt>Django versions</dt>
        <dd>{c.djangoVersions.length ? c.djangoVersions.join(", ") : "Not specified"}</dd>
        <dt>Open until</dt>
        <dd>{c.expiresOn}</dd>
        <dt>Posted</dt>
        <dd>
          {isoDay(c.createdAt)}
          {c.communityNomination ? " · Community nomination, by no maintainer" : ""}
        </dd>
        <dt>Maintainers</dt>
        <dd>{d.maintainers.length ? d.maintainers.map((login) => `@${login}`).join(", ") : "—"}</dd>
      </dl>
      <h2>Skills wanted</h2>
      <ul className="call-skill-list">
        {c.skills.map((s) => (
          <li key={s.skillId}>
            <a {...appLink} href={`/calls?skill=${s.skillId}`}>
              {s.name}
            </a>{" "}
            <span className="muted">({levelLabels[s.level].toLowerCase()})</span>
          </li>
        ))}
      </ul>
      <h2>About this call</h2>
      <div className="prose" dangerouslySetInnerHTML={{ __html: d.descriptionHtml }} />
      {c.outcomeNote && (c.status === "filled" || c.status === "closed") ? (
        <>
          <h2>Outcome</h2>
          <p>{c.outcomeNote}</p>
        </>
      ) : null}
      <InterestSection />
      <NotForMeSection />
      {d.signedIn && !d.isMaintainer && !c.hidden ? (
        <p>
          <ReportLink type="call" id={c.id} what="this call" />
        </p>
      ) : null}
      {d.similar.length ? (
        <section aria-labelledby="similar-heading">
          <h2 id="similar-heading">Similar calls</h2>
          <ul>
            {d.similar.map((s) => (
              <li key={s.id}>
                <a {...appLink} href={`/calls/${s.id}`}>
                  {s.title}
                </a>{" "}
                <span className="muted">{`(${s.packageName})`}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}
