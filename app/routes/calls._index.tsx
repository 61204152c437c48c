// Open calls: search (FTS5), filters and pages. Every combination is a plain GET URL.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { callKindLabels, callKinds, callUrgencies, parseCallQuery, urgencyLabels } from "#app/models/calls/forms.ts";
import { callFilterChoices, listCalls } from "#app/models/calls/listing.server.ts";
import { FilterPanel } from "#app/components/filter-panel.tsx";
import { DjangoVersionSelect } from "#app/components/django-versions.tsx";
import { appLink, useLinkClicks } from "#app/components/link-clicks.tsx";
import { callSortOptions, callSortValue } from "#app/models/calls/labels.ts";

export const meta: MetaFunction = () => [
  { title: "Calls for maintainers · Roadies" },
  { name: "description", content: "Django packages looking for co-maintainers, new maintainers, reviewers and help." },
  { tagName: "link", rel: "alternate", type: "application/atom+xml", title: "New calls", href: "/calls.atom" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const query = parseCallQuery(new URL(request.url));
  const [{ calls, total, page, pageCount, sort }, { skills, djangoVersions }] = await Promise.all([
    listCalls(query),
    callFilterChoices(),
  ]);
  // Only what the page shows goes to the browser: the hydration data is encoded and sent on every
  // request, and a summary's description, dates and skill levels are not on the cards, nor the
  // versions' labels and notes in the filter (a card's skills are their names, its tags).
  return {
    calls: calls.map((c) => ({
      id: c.id,
      title: c.title,
      communityNomination: c.communityNomination,
      packageName: c.packageName,
      packageSlug: c.packageSlug,
      kind: c.kind,
      urgency: c.urgency,
      hoursPerWeek: c.hoursPerWeek,
      expiresOn: c.expiresOn,
      skills: c.skills.map((s) => s.name),
    })),
    total,
    page,
    pageCount,
    sort,
    skills: skills.map((s) => ({ id: s.id, name: s.name })),
    djangoVersions: djangoVersions.map((v) => ({ version: v.version, tag: v.tag })),
    query,
  };
}

function queryString(query: Record<string, string | number | undefined>, page?: number) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "" && k !== "page") params.set(k, String(v));
  if (page && page > 1) params.set("page", String(page));
  const s = params.toString();
  return s ? `?${s}` : "";
}

export default function Calls() {
  const d = useLoaderData<typeof loader>();
  const q = d.query;
  const filtered = Boolean(q.q || q.kind || q.skill || q.django || q.urgency || q.package);
  const onLinkClick = useLinkClicks();
  // The page's links (two a card, 40 a page) are plain <a href> routed by one handler
  // (link-clicks.tsx) rather than a <Link> each. Each line of text is one string: React marks the
  // boundary between two adjacent texts with a comment in the HTML.
  return (
    <section className="stack" onClick={onLinkClick}>
      <h1>Calls for maintainers</h1>
      <p>
        Django packages asking for help, verified with GitHub and kept fresh: calls expire unless their maintainers keep
        them open.{" "}
        <a href="/calls/new" {...appLink}>
          Post a call
        </a>{" "}
        · <a href="/calls.atom">Atom feed</a>
      </p>
      <Form method="get" className="filters call-filters" role="search" aria-label="Calls">
        <div className="field">
          <label htmlFor="calls-q">Search</label>
          <input
            id="calls-q"
            type="search"
            name="q"
            defaultValue={q.q ?? ""}
            placeholder="e.g. admin, async, release"
          />
        </div>
        <FilterPanel activeCount={[q.kind, q.skill, q.django, q.urgency, q.package, q.sort].filter(Boolean).length}>
          <div className="field">
            <label htmlFor="calls-kind">Kind</label>
            <select id="calls-kind" name="kind" defaultValue={q.kind ?? ""}>
              <option value="">Any kind</option>
              {callKinds.map((k) => (
                <option key={k} value={k}>
                  {callKindLabels[k]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="calls-skill">Skill</label>
            <select id="calls-skill" name="skill" defaultValue={q.skill ?? ""}>
              <option value="">Any skill</option>
              {d.skills.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="calls-django">Django version</label>
            <DjangoVersionSelect
              id="calls-django"
              name="django"
              options={d.djangoVersions}
              defaultValue={q.django ?? ""}
              anyLabel="Any version"
            />
          </div>
          <div className="field">
            <label htmlFor="calls-urgency">Urgency</label>
            <select id="calls-urgency" name="urgency" defaultValue={q.urgency ?? ""}>
              <option value="">Any urgency</option>
              {callUrgencies.map((u) => (
                <option key={u} value={u}>
                  {urgencyLabels[u]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="calls-package">Package</label>
            <input
              id="calls-package"
              type="text"
              name="package"
              defaultValue={q.package ?? ""}
              placeholder="e.g. django-filter"
            />
          </div>
          <div className="field">
            <label htmlFor="calls-sort">Order</label>
            <select id="calls-sort" name="sort" defaultValue={callSortValue(Boolean(q.q), d.sort)}>
              {callSortOptions(Boolean(q.q)).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        </FilterPanel>
        <button type="submit" className="button">
          Find calls
        </button>
      </Form>
      <p aria-live="polite">
        {`${d.total} open ${d.total === 1 ? "call" : "calls"}${filtered ? " match · " : ""}`}
        {filtered ? (
          <a href="/calls" {...appLink}>
            Clear the filters
          </a>
        ) : null}
      </p>
      {d.calls.length === 0 ? (
        <div className="card stack">
          <h2>No open call matches</h2>
          <p>
            {filtered
              ? "Try fewer words or remove a filter. New calls appear every week:"
              : "There are no open calls right now. New ones appear every week:"}{" "}
            follow the <a href="/calls.atom">Atom feed</a> or fill in your skills in your profile to hear about them.
          </p>
        </div>
      ) : (
        <ul className="call-list stack">
          {d.calls.map((c) => (
            <li key={c.id} className="card">
              <h2>
                <a href={`/calls/${c.id}`} {...appLink}>
                  {c.title}
                </a>
              </h2>
              {c.communityNomination ? (
                <p>
                  <span className="tag">Community nomination</span>{" "}
                  <span className="muted">posted in nobody&rsquo;s name, not by its maintainers</span>
                </p>
              ) : null}
              <p>
                <a href={`/packages/${c.packageSlug}`} {...appLink}>
                  {c.packageName}
                </a>
                {` · ${callKindLabels[c.kind]} · urgency ${urgencyLabels[c.urgency].toLowerCase()} · ${c.hoursPerWeek} h/week · open until ${c.expiresOn}`}
              </p>
              <p>
                {c.skills.map((name) => (
                  <span key={name} className="tag">
                    {name}
                  </span>
                ))}
              </p>
            </li>
          ))}
        </ul>
      )}
      {d.pageCount > 1 ? (
        <nav aria-label="Pages" className="pager">
          {d.page > 1 ? (
            <a href={`/calls${queryString(q, d.page - 1)}`} {...appLink}>
              Previous page
            </a>
          ) : null}
          <span>{`Page ${d.page} of ${d.pageCount}`}</span>
          {d.page < d.pageCount ? (
            <a href={`/calls${queryString(q, d.page + 1)}`} {...appLink}>
              Next page
            </a>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
