// /me/applications: each of the signed-in person's programme applications and where it stands.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { LocalTime } from "#app/components/programs-local-time.tsx";
import { listMyApplications, withdrawApplication } from "#app/models/programs/applications.server.ts";
import { requireUser } from "#app/models/people/auth.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { parseId } from "#app/utils/http.server.ts";

export const meta: MetaFunction = () => [{ title: "Your applications · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { applications: await listMyApplications(user.id), zone: user.timezone, now: Date.now() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readFormData(request);
  const id = parseId(form.get("applicationId"));
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

export default function MyApplications() {
  const { applications, zone, now } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const notice = params.has("submitted")
    ? "Your application is submitted. We sent you a confirmation email."
    : params.has("declined")
      ? "You declined your place. Thank you for letting the organisers know."
      : params.has("withdrawn")
        ? "Your application is withdrawn."
        : null;
  return (
    <section className="stack">
      <h1>Your applications</h1>
      {notice ? (
        <div className="alert" role="status">
          {notice}
        </div>
      ) : null}
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
                  </td>
                  <td>
                    <LocalTime ms={a.closesAt} zone={zone} />
                    {a.status === "draft" && a.closesAt < now ? (
                      <span className="muted"> · closed before submission</span>
                    ) : null}
                  </td>
                  <td>
                    {a.status !== "withdrawn" && a.status !== "declined" && a.status !== "rejected" ? (
                      <Form method="post">
                        <input type="hidden" name="applicationId" value={a.id} />
                        <button type="submit" className="link-button">
                          {a.status === "accepted" ? "Decline place" : "Withdraw"}
                          <span className="visually-hidden">
                            {" "}
                            from {a.programName} ({a.roleName})
                          </span>
                        </button>
                      </Form>
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
