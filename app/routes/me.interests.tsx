// A person's own answers to calls and where each one stands.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { appLink, useLinkClicks } from "#app/components/link-clicks.tsx";
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
  const onLinkClick = useLinkClicks();
  // The page's links are plain <a href> routed by one handler (link-clicks.tsx), not a <Link> each.
  return (
    <section className="stack" onClick={onLinkClick}>
      <h1>My interests</h1>
      {interests.length === 0 ? (
        <p>
          You have not answered a call yet.{" "}
          <a {...appLink} href="/calls">
            Find a call
          </a>{" "}
          that fits your skills.
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
                    <a {...appLink} href={`/calls/${i.callId}`}>
                      {i.callTitle}
                    </a>
                  </td>
                  <td>{i.packageName}</td>
                  <td>
                    {interestWords[i.status]}
                    {i.decisionMessage ? <p className="muted">{`“${i.decisionMessage}”`}</p> : null}
                    {i.threadHref ? (
                      <p>
                        <a {...appLink} href={i.threadHref}>
                          Conversation<span className="visually-hidden">{` about “${i.callTitle}”`}</span>
                        </a>
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
