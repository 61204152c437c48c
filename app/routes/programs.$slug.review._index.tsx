// Organisers: the applications of a programme with filters (role, status, project preference,
// score). Mean scores show only where this reviewer may see others' scores (canSeeOthersScores), so
// reviews stay independent; under anonymised review applicants are "Applicant 12".
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listApplicationsForReview } from "#app/models/programs/review.server.ts";
import { listRoles } from "#app/models/programs/programs.server.ts";
import { listProjects } from "#app/models/programs/projects.server.ts";
import { requireProgramOrganiser } from "#app/models/programs/access.server.ts";
import { applicationStateLabel, applicationStateLabels, type ApplicationState } from "#app/models/programs/labels.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Review applications · ${data.program.name} · Roadies` : "Not found · Roadies" },
];

const statuses = [
  "undecided",
  "submitted",
  "accepted",
  "waitlisted",
  "rejected",
  "declined",
  "withdrawn",
] as const satisfies readonly ApplicationState[];

const Filter = z.object({
  role: z.coerce.number().int().positive().optional().catch(undefined),
  status: z.enum(statuses).optional().catch(undefined),
  project: z.coerce.number().int().positive().optional().catch(undefined),
  minScore: z.coerce.number().min(1).max(5).optional().catch(undefined),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgramOrganiser(request, params.slug);
  const query = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const filter = Filter.parse(query);
  const [roles, projects, applications] = await Promise.all([
    listRoles(program.id),
    listProjects(program.id),
    listApplicationsForReview(program, user.id, {
      roleId: filter.role,
      status: filter.status,
      projectId: filter.project,
      minScore: filter.minScore,
    }),
  ]);
  return {
    program: { slug: program.slug, name: program.name },
    roles: roles.map((r) => ({ id: r.id, name: r.name })),
    projects: projects.map((p) => ({ id: p.id, title: p.title })),
    filter,
    applications: applications.map((a) => ({
      id: a.id,
      applicant: a.applicant,
      roleName: a.roleName,
      status: a.declinedAt ? "declined" : a.status === "withdrawn" ? "withdrawn" : (a.decision ?? "undecided"),
      sent: a.decisionSentAt !== null,
      myTotal: a.myTotal,
      meanTotal: a.meanTotal,
      reviewCount: a.reviewCount,
      topProject: projects.find((p) => p.id === a.projectRanking[0])?.title ?? null,
    })),
  };
}

export default function Review() {
  const { program, roles, projects, filter, applications } = useLoaderData<typeof loader>();
  return (
    <section className="stack">
      <p>
        <Link to={`/programs/${program.slug}`}>← {program.name}</Link>
      </p>
      <h1>Review applications</h1>
      <p>
        <a href={`/programs/${program.slug}/review.csv`}>Download all applications with scores (CSV)</a> ·{" "}
        <Link to={`/programs/${program.slug}/decisions`}>Preview and send decisions</Link>
      </p>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="role">Role</label>
          <select id="role" name="role" defaultValue={filter.role ?? ""}>
            <option value="">All roles</option>
            {roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">All</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {applicationStateLabels[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="project">Project preference</label>
          <select id="project" name="project" defaultValue={filter.project ?? ""}>
            <option value="">Any</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="minScore">Mean score at least</label>
          <select id="minScore" name="minScore" defaultValue={filter.minScore ?? ""}>
            <option value="">Any</option>
            {[1, 2, 3, 3.5, 4, 4.5, 5].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          Filter
        </button>
      </Form>
      <p>
        {applications.length} {applications.length === 1 ? "application" : "applications"}
      </p>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">Applications</caption>
          <thead>
            <tr>
              <th scope="col">Applicant</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">First project choice</th>
              <th scope="col">Your score</th>
              <th scope="col">Mean score</th>
            </tr>
          </thead>
          <tbody>
            {applications.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  <Link to={`/programs/${program.slug}/review/${a.id}`}>{a.applicant.name}</Link>{" "}
                  {a.applicant.login ? <span className="muted">@{a.applicant.login}</span> : null}
                </th>
                <td>{a.roleName}</td>
                <td>
                  {applicationStateLabel(a.status)}
                  {a.status !== "undecided" && a.status !== "withdrawn" && a.status !== "declined" ? (
                    <span className="muted">{a.sent ? " (sent)" : " (not sent yet)"}</span>
                  ) : null}
                </td>
                <td>{a.topProject ?? "—"}</td>
                <td>{a.myTotal ?? "not scored"}</td>
                <td>
                  {a.meanTotal !== null && a.reviewCount !== null
                    ? `${a.meanTotal} (${a.reviewCount} ${a.reviewCount === 1 ? "review" : "reviews"})`
                    : "hidden until you score"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
