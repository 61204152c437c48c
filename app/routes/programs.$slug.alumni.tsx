// Organisers: record who completed the programme. Alumni carry a badge on their profile.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { listAccepted, listProgramAlumni, recordAlumni } from "#app/models/programs/alumni.server.ts";
import { requireProgramOrganiser } from "#app/models/programs/access.server.ts";
import { readFormData } from "#app/utils/form.server.ts";

export const meta: MetaFunction = () => [{ title: "Alumni · Roadies" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgramOrganiser(request, params.slug);
  const [accepted, alumni] = await Promise.all([listAccepted(program.id), listProgramAlumni(program.id)]);
  const done = new Set(alumni.map((a) => a.userId));
  return {
    program: { slug: program.slug, name: program.name },
    candidates: accepted.filter((a) => !done.has(a.userId)),
    alumni,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgramOrganiser(request, params.slug);
  const form = await readFormData(request);
  const ids = form
    .getAll("applicationId")
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const count = await recordAlumni(program.id, ids, user.id);
  return redirect(`/programs/${program.slug}/alumni?recorded=${count}`);
}

export default function Alumni() {
  const { program, candidates, alumni } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <section className="stack narrow">
      <p>
        <Link to={`/programs/${program.slug}`}>← {program.name}</Link>
      </p>
      <h1>Alumni</h1>
      {params.has("recorded") ? (
        <div className="alert" role="status">
          {params.get("recorded")} people recorded as alumni.
        </div>
      ) : null}
      <h2>Completed the programme</h2>
      {alumni.length ? (
        <ul>
          {alumni.map((a) => (
            <li key={a.userId}>
              @{a.login} <span className="muted">({a.roleName})</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No one is recorded yet.</p>
      )}
      {candidates.length ? (
        <Form method="post" className="stack">
          <fieldset className="stack">
            <legend>Record completion</legend>
            {candidates.map((c) => (
              <div key={c.id} className="field-checkbox">
                <input type="checkbox" id={`alumnus-${c.id}`} name="applicationId" value={c.id} />
                <label htmlFor={`alumnus-${c.id}`}>
                  @{c.login} ({c.roleName})
                </label>
              </div>
            ))}
          </fieldset>
          <p>
            <button type="submit" className="button">
              Record as alumni
            </button>
          </p>
        </Form>
      ) : null}
    </section>
  );
}
