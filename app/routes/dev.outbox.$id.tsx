// Demo mode only: one email from the outbox, as HTML (in a sandboxed frame) and as plain text.
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
    },
  };
}

export default function OutboxEmail() {
  const { email } = useLoaderData<typeof loader>();
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
      <h3>As HTML</h3>
      {/* An empty sandbox: the email's markup can run no script and reach nothing of this page. */}
      <iframe
        className="outbox-html"
        title={`HTML version of “${email.subject}”`}
        sandbox=""
        src={`/dev/outbox/${email.id}/html`}
      />
      <h3>As plain text</h3>
      <pre className="outbox-text">{email.text}</pre>
    </article>
  );
}
