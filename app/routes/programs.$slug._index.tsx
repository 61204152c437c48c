// /programs/:slug: one programme, its dates (in the visitor's zone and the deadline's own), roles,
// mentoring projects, and the way in for applicants, maintainers and organisers.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LocalTime } from "#app/components/programs-local-time.tsx";
import { getProgramForVisitor } from "#app/models/programs/access.server.ts";
import { listRoles } from "#app/models/programs/programs.server.ts";
import { listMaintainedPackages, listProjects } from "#app/models/programs/projects.server.ts";
import { formatInZone, windowState } from "#app/models/programs/window.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.program.name} · Roadies` : "Programme not found · Roadies" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, user, organiser } = await getProgramForVisitor(request, params.slug);
  const [roles, projects, maintained] = await Promise.all([
    listRoles(program.id),
    listProjects(program.id),
    user ? listMaintainedPackages(user.id) : Promise.resolve([]),
  ]);
  return {
    program: {
      slug: program.slug,
      name: program.name,
      organisation: program.organisation,
      website: program.website,
      descriptionHtml: renderMarkdown(program.description),
      seasonStart: program.seasonStart,
      seasonEnd: program.seasonEnd,
      opensAt: program.opensAt,
      closesAt: program.closesAt,
      opensInZone: formatInZone(program.opensAt, program.windowTimezone, 12),
      closesInZone: formatInZone(program.closesAt, program.windowTimezone, -12),
      state: windowState(program, Date.now()),
    },
    roles: roles.map((r) => ({ id: r.id, name: r.name, capacity: r.capacity, description: r.description })),
    projects: projects.map((p) => ({ ...p, descriptionHtml: renderMarkdown(p.description) })),
    viewerZone: user?.timezone ?? null,
    signedIn: Boolean(user),
    organiser,
    canOfferProject: maintained.length > 0,
  };
}

export default function ProgramPage() {
  const { program, roles, projects, viewerZone, organiser, canOfferProject } = useLoaderData<typeof loader>();
  return (
    <article className="stack">
      <p>
        <Link to="/programs">← All programmes</Link>
      </p>
      <h1>{program.name}</h1>
      <p className="muted">
        {program.organisation}
        {program.website ? (
          <>
            {" · "}
            <a href={program.website}>{program.website.replace(/^https?:\/\//, "")}</a>
          </>
        ) : null}
      </p>
      {organiser ? (
        <nav aria-label="Organiser tools" className="card">
          <p>
            <strong>Organiser tools:</strong> <Link to={`/programs/${program.slug}/edit`}>Edit programme</Link> ·{" "}
            <Link to={`/programs/${program.slug}/review`}>Review applications</Link> ·{" "}
            <Link to={`/programs/${program.slug}/questions`}>Application questions</Link> ·{" "}
            <Link to={`/programs/${program.slug}/decisions`}>Send decisions</Link> ·{" "}
            <Link to={`/programs/${program.slug}/groups`}>Groups</Link> ·{" "}
            <Link to={`/programs/${program.slug}/alumni`}>Alumni</Link>
          </p>
        </nav>
      ) : null}
      <section className="card" aria-labelledby="window-heading">
        <h2 id="window-heading">Applications</h2>
        <p>
          <strong>
            {program.state === "open" ? "Open now." : program.state === "upcoming" ? "Not open yet." : "Closed."}
          </strong>
        </p>
        <dl className="program-dates">
          <dt>Opens</dt>
          <dd>
            <LocalTime ms={program.opensAt} zone={viewerZone} />
            <br />
            <span className="muted">{program.opensInZone}</span>
          </dd>
          <dt>Deadline</dt>
          <dd>
            <LocalTime ms={program.closesAt} zone={viewerZone} />
            <br />
            <span className="muted">{program.closesInZone}</span>
          </dd>
          <dt>Season</dt>
          <dd>
            {program.seasonStart} to {program.seasonEnd}
          </dd>
        </dl>
        {program.state === "open" ? (
          <p>
            <Link to={`/programs/${program.slug}/apply`} className="button">
              Apply
            </Link>
          </p>
        ) : null}
      </section>
      <div className="prose" dangerouslySetInnerHTML={{ __html: program.descriptionHtml }} />
      <h2>Roles</h2>
      <ul>
        {roles.map((r) => (
          <li key={r.id}>
            <strong>{r.name}</strong> · {r.capacity} {r.capacity === 1 ? "place" : "places"}
            {r.description ? ` · ${r.description}` : ""}
          </li>
        ))}
      </ul>
      <h2>Mentoring projects</h2>
      {projects.length === 0 ? (
        <p className="muted">No mentoring projects have been offered for this programme yet.</p>
      ) : (
        <ul className="stack">
          {projects.map((p) => (
            <li key={p.id} className="card">
              <h3>{p.title}</h3>
              <p className="muted">
                on <Link to={`/packages/${p.packageSlug}`}>{p.packageName}</Link> · {p.size} project
                {p.mentorLogin ? ` · offered by @${p.mentorLogin}` : ""}
              </p>
              <div className="prose" dangerouslySetInnerHTML={{ __html: p.descriptionHtml }} />
              {p.skills.length ? (
                <p>
                  {p.skills.map((s) => (
                    <span key={s} className="tag">
                      {s}
                    </span>
                  ))}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canOfferProject ? (
        <p>
          <Link to={`/programs/${program.slug}/projects/new`}>Offer a mentoring project on a package you maintain</Link>
        </p>
      ) : null}
    </article>
  );
}
