// A person's own answers to calls and where each one stands.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/models/people/auth.server.ts";
import { listMyInterests } from "#app/models/calls/interests.server.ts";
import { statusLabels } from "#app/models/calls/forms.ts";
import { isoDay } from "#app/utils/dates.ts";
import { threadLinkFor } from "#app/models/conversations/threads.server.ts";

export const meta: MetaFunction = () => [{ title: "My interests · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const interests = await listMyInterests(user.id);
  return {
    // Only what the page shows. An accepted interest (or one withdrawn after it was accepted) has its
    // conversation: read beside the interest when the person is in it, else looked up (and made).
    interests: await Promise.all(
      interests.map(async ({ threadId, ...i }) => ({
        ...i,
        threadHref: threadId
          ? `/threads/${threadId}`
          : i.status === "accepted" || i.status === "withdrawn"
            ? await threadLinkFor(user.id, "interest", i.id)
            : null,
      })),
    ),
  };
}

const interestWords = {
  pending: "Waiting for the maintainers",
  accepted: "Accepted",
  declined: "Declined",
  withdrawn: "Withdrawn",
} as const;

export default function MyInterests() {
  const { interests } = useLoaderData<typeof loader>();
  return (
    <section className="stack">
      <h1>My interests</h1>
      {interests.length === 0 ? (
        <p>
          You have not answered a call yet. <Link to="/calls">Find a call</Link> that fits your skills.
        </p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Call</th>
                <th scope="col">Package</th>
                <th scope="col">Your interest</th>
                <th scope="col">The call</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {interests.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`/calls/${i.callId}`}>{i.callTitle}</Link>
                  </td>
                  <td>{i.packageName}</td>
                  <td>
                    {interestWords[i.status]}
                    {i.decisionMessage ? <p className="muted">“{i.decisionMessage}”</p> : null}
                    {i.threadHref ? (
                      <p>
                        <Link to={i.threadHref}>
                          Conversation<span className="visually-hidden"> about “{i.callTitle}”</span>
                        </Link>
                      </p>
                    ) : null}
                  </td>
                  <td>{statusLabels[i.callStatus]}</td>
                  <td>{isoDay(i.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
