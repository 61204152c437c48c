// Demo mode only: one email from the outbox, as HTML (in a sandboxed frame, full width and tall
// enough to read, or in a tab of its own) and as plain text (wrapped, its links clickable). Links to
// a local server are shown pointing at this one (relinkLocalOrigins), whatever port wrote them.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getOutboxEmail } from "#app/models/digest/outbox.server.ts";
import { env } from "#app/utils/env.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { notFound } from "#app/utils/http.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.email.subject} · Demo outbox · Roadies` : "Demo outbox · Roadies" },
];

const Params = z.object({ id: z.coerce.number().int().positive() });

export async function loader({ params }: LoaderFunctionArgs) {
  if (!env().demo) throw notFound();
  const parsed = Params.safeParse(params);
  if (!parsed.success) throw notFound();
  const email = await getOutboxEmail(parsed.data.id);
  if (!email) throw notFound();
  return {
    email: {
      id: email.id,
      to: email.to,
      from: email.from,
      subject: email.subject,
      text: email.text,
      headers: email.headerList,
      idempotencyKey: email.idempotencyKey,
      template: email.template,
      sentAt: new Date(email.createdAt).toISOString(),
      sentAtLabel: formatDateTime(email.createdAt),
      relinkedFrom: email.relinkedFrom,
    },
    here: new URL(env().appUrl).origin,
  };
}

// A web address in the plain-text version, up to whitespace or closing punctuation.
const URL_IN_TEXT = /(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'])/;

/** The plain text with its web addresses as links (split keeps the addresses at odd indexes). */
function TextWithLinks({ text }: { text: string }) {
  return (
    <>
      {text.split(URL_IN_TEXT).map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

export default function OutboxEmail() {
  const { email, here } = useLoaderData<typeof loader>();
  return (
    <article className="outbox-email" aria-labelledby="outbox-email-subject">
      <h2 id="outbox-email-subject">{email.subject}</h2>
      <dl>
        <dt>From</dt>
        <dd>{email.from}</dd>
        <dt>To</dt>
        <dd>{email.to}</dd>
        <dt>Sent</dt>
        <dd>
          <time dateTime={email.sentAt}>{email.sentAtLabel}</time>
        </dd>
        {email.template ? (
          <>
            <dt>Template</dt>
            <dd>{email.template}</dd>
          </>
        ) : null}
        <dt>Idempotency key</dt>
        <dd>{email.idempotencyKey ? <code>{email.idempotencyKey}</code> : "Not recorded"}</dd>
      </dl>
      <h3>Headers</h3>
      {email.headers.length ? (
        <dl className="outbox-headers">
          {email.headers.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>
                <code>{value}</code>
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted">No extra headers (no List-Unsubscribe, List-Unsubscribe-Post or Reply-To).</p>
      )}
      {email.relinkedFrom.length ? (
        <p className="muted outbox-relinked">
          This email was written with links to {email.relinkedFrom.join(" and ")}; they are shown here pointing at{" "}
          {here}, where the demo runs now.
        </p>
      ) : null}
      <h3>As HTML</h3>
      <p>
        <a href={`/dev/outbox/${email.id}/html`} target="_blank" rel="noreferrer">
          Open the HTML version on its own
        </a>
      </p>
      {/* An empty sandbox: the email's markup can run no script and reach nothing of this page. */}
      <iframe
        className="outbox-html"
        title={`HTML version of “${email.subject}”`}
        sandbox=""
        src={`/dev/outbox/${email.id}/html`}
      />
      <h3>As plain text</h3>
      <pre className="outbox-text">
        <TextWithLinks text={email.text} />
      </pre>
    </article>
  );
}
