// /me/applications: each of the signed-in person's programme applications and where it stands.
// Withdrawing (or declining a place) cannot be undone, so it takes two steps that work without
// JavaScript: "Withdraw" opens a confirmation (?withdraw=<id>) that says what will happen, and only
// its own button, which sends confirm=yes, withdraws.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { LocalTime } from "#app/components/programs-local-time.tsx";
import { listMyApplications, withdrawApplication } from "#app/models/programs/applications.server.ts";
import { requireUser } from "#app/models/people/auth.server.ts";
import { formatDate } from "#app/utils/dates.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound, parseId } from "#app/utils/http.server.ts";
import { threadLinkFor } from "#app/models/conversations/threads.server.ts";

export const meta: MetaFunction = () => [{ title: "Your applications · Roadies" }];

const finished = new Set(["withdrawn", "declined", "rejected"]);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // A submitted application has a conversation with the programme's organisers.
  const applications = await Promise.all(
    (await listMyApplications(user.id)).map(async (a) => ({
      ...a,
      threadHref: a.status === "draft" ? null : await threadLinkFor(user.id, "application", a.id),
    })),
  );
  const asked = new URL(request.url).searchParams.get("withdraw");
  // Only an application of this person that can still be withdrawn gets a confirmation.
  const confirming = applications.find((a) => String(a.id) === asked && !finished.has(a.status)) ?? null;
  return { applications, confirming, zone: user.timezone, now: Date.now() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readFormData(request);
  const id = parseId(form.get("applicationId"));
  const mine = (await listMyApplications(user.id)).find((a) => a.id === id && !finished.has(a.status));
  if (!mine) throw notFound();
  // Anything but the confirmation's own button (an old page, a replayed form) asks first.
  if (form.get("confirm") !== "yes") return redirect(`/me/applications?withdraw=${id}#confirm-withdraw`);
  const { declined } = await withdrawApplication(id, user.id);
  return redirect(`/me/applications?${declined ? "declined" : "withdrawn"}=${id}`);
}

const statusLabels: Record<string, string> = {
  draft: "Draft (not submitted)",
  submitted: "Submitted",
  withdrawn: "Withdrawn",
  accepted: "Accepted",
  waitlisted: "Waitlisted",
  rejected: "Not selected",
  declined: "Declined",
};

type Application = ReturnType<typeof useLoaderData<typeof loader>>["applications"][number];

/** What withdrawing means, said before and after: it is final for this programme and role. */
function afterWithdrawal(a: Application, now: number) {
  const otherRoles =
    a.closesAt > now
      ? ` You can still apply to ${a.programName} in another role until ${formatDate(a.closesAt)}, or to a later session.`
      : " You can apply to a later session of the programme.";
  return `A withdrawn application cannot be reopened or sent again.${otherRoles}`;
}

function ConfirmWithdrawal({ a, now }: { a: Application; now: number }) {
  const declining = a.status === "accepted";
  return (
    <section id="confirm-withdraw" className="card stack" aria-labelledby="confirm-withdraw-heading">
      <h2 id="confirm-withdraw-heading">
        {declining
          ? `Decline your place in ${a.programName} (${a.roleName})?`
          : `Withdraw your application to ${a.programName} (${a.roleName})?`}
      </h2>
      <ul>
        {declining ? (
          <li>Your place goes to the next person on the waitlist, and the organisers are told.</li>
        ) : (
          <li>The organisers will no longer see or consider it.</li>
        )}
        <li>This cannot be undone. {afterWithdrawal(a, now)}</li>
      </ul>
      <Form method="post">
        <input type="hidden" name="applicationId" value={a.id} />
        <input type="hidden" name="confirm" value="yes" />
        <p>
          <button type="submit" className="button button-danger">
            {declining ? "Yes, decline my place" : "Yes, withdraw my application"}
          </button>{" "}
          <Link to="/me/applications" className="button button-secondary">
            {declining ? "Keep my place" : "Keep my application"}
          </Link>
        </p>
      </Form>
    </section>
  );
}

export default function MyApplications() {
  const { applications, confirming, zone, now } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const changed = applications.find((a) => String(a.id) === (params.get("withdrawn") ?? params.get("declined")));
  const notice = params.has("submitted")
    ? "Your application is submitted. We sent you a confirmation email."
    : changed && params.has("declined")
      ? `You declined your place in ${changed.programName} (${changed.roleName}). Thank you for letting the organisers know: the place goes to the next person on the waitlist.`
      : changed && params.has("withdrawn")
        ? `You withdrew your application to ${changed.programName} (${changed.roleName}). ${afterWithdrawal(changed, now)}`
        : null;
  return (
    <section className="stack">
      <h1>Your applications</h1>
      {notice ? (
        <div className="alert" role="status">
          {notice}
        </div>
      ) : null}
      {confirming ? <ConfirmWithdrawal a={confirming} now={now} /> : null}
      {applications.length === 0 ? (
        <p>
          You have not applied to a programme yet. <Link to="/programs">See the mentoring programmes</Link>.
        </p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Your applications</caption>
            <thead>
              <tr>
                <th scope="col">Programme</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Deadline</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {applications.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    <Link to={`/programs/${a.programSlug}/apply?role=${a.roleId}`}>{a.programName}</Link>
                  </th>
                  <td>{a.roleName}</td>
                  <td>
                    <span className={`tag status-${a.status}`}>{statusLabels[a.status] ?? a.status}</span>
                    {a.withdrawnAt && (a.status === "withdrawn" || a.status === "declined") ? (
                      <span className="muted"> on {formatDate(a.withdrawnAt)}</span>
                    ) : null}
                  </td>
                  <td>
                    <LocalTime ms={a.closesAt} zone={zone} />
                    {a.status === "draft" && a.closesAt < now ? (
                      <span className="muted"> · closed before submission</span>
                    ) : null}
                  </td>
                  <td>
                    {a.threadHref ? (
                      <Link to={a.threadHref} className="link-button">
                        Talk with the organisers
                        <span className="visually-hidden">
                          {" "}
                          of {a.programName} ({a.roleName})
                        </span>
                      </Link>
                    ) : null}{" "}
                    {!finished.has(a.status) ? (
                      <Link to={`/me/applications?withdraw=${a.id}#confirm-withdraw`} className="link-button">
                        {a.status === "accepted" ? "Decline place" : "Withdraw"}
                        <span className="visually-hidden">
                          {" "}
                          from {a.programName} ({a.roleName})
                        </span>
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
