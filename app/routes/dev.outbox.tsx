// Demo mode only: the emails the app "sent", listed newest first, with the chosen one below.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { listOutbox } from "#app/models/digest/outbox.server.ts";
import { env } from "#app/utils/env.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { notFound } from "#app/utils/http.server.ts";

export const meta: MetaFunction = () => [{ title: "Demo outbox · Roadies" }];

export async function loader(_: LoaderFunctionArgs) {
  if (!env().demo) throw notFound();
  const emails = await listOutbox();
  return {
    emails: emails.map((e) => ({
      id: e.id,
      to: e.to,
      subject: e.subject,
      sentAt: new Date(e.createdAt).toISOString(),
      sentAtLabel: formatDateTime(e.createdAt),
    })),
  };
}

export default function Outbox() {
  const { emails } = useLoaderData<typeof loader>();
  return (
    <div className="outbox">
      <h1>Demo outbox</h1>
      <p>In demo mode nothing leaves this machine: every email the app would have sent lands here instead.</p>
      {emails.length === 0 ? (
        <p>No emails yet. Sign in for the first time to get a welcome email.</p>
      ) : (
        <table className="outbox-list">
          <caption>Sent emails, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">To</th>
              <th scope="col">Sent</th>
            </tr>
          </thead>
          <tbody>
            {emails.map((email) => (
              <tr key={email.id}>
                <th scope="row">
                  <Link to={`/dev/outbox/${email.id}`}>{email.subject}</Link>
                </th>
                <td>{email.to}</td>
                <td>
                  <time dateTime={email.sentAt}>{email.sentAtLabel}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Outlet />
    </div>
  );
}
