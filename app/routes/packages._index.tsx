// /packages: the directory. Every filter, sort and page is a plain GET URL (column headings are
// sort links), the same URL gives the JSON and CSV, and ticking packages compares them side by side.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { listCategories } from "#app/models/packages/packages.server.ts";
import { directoryViewer, listDirectory } from "#app/models/packages/directory.server.ts";
import {
  activeFilters,
  COMPARE_MAX,
  directorySearch,
  directorySorts,
  parseDirectoryQuery,
  sortColumns,
  sortLink,
  type DirectorySort,
} from "#app/models/packages/directory.ts";
import { maintenanceStates, stateLabels } from "#app/models/packages/labels.ts";
import { djangoVersionChoices } from "#app/models/ecosystem/releases.server.ts";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { FilterPanel } from "#app/components/filter-panel.tsx";
import { DjangoVersionSelect } from "#app/components/django-versions.tsx";
import { formatCount, pythonRange, recentVersions } from "#app/components/package-figures.tsx";

export const meta: MetaFunction = () => [
  { title: "Packages · Roadies" },
  {
    name: "description",
    content:
      "Django packages with their popularity, declared Django and Python support, maintenance state and calls for help.",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const query = parseDirectoryQuery(new URL(request.url));
  // Who is asking matters only once the rows are read: asked beside them (db.server.ts), and awaited
  // here too, so that a failure is never left unhandled.
  const viewer = getCurrentUser(request).then(directoryViewer);
  const [result, categories, djangoVersions] = await Promise.all([
    listDirectory(query, viewer),
    listCategories(),
    djangoVersionChoices("filter"),
    viewer,
  ]);
  return { ...result, query, categories, djangoVersions };
}

const orderWords = { asc: "ascending", desc: "descending" } as const;

function SortHeading({ column }: { column: DirectorySort }) {
  const { query, sort, order } = useLoaderData<typeof loader>();
  const current = sort === column;
  return (
    <th scope="col" aria-sort={current ? orderWords[order] : undefined}>
      <Link to={sortLink(query, column)} className="sort-link" preventScrollReset>
        {sortColumns[column].label}
        {current ? <span aria-hidden="true">{order === "asc" ? " ▲" : " ▼"}</span> : null}
        <span className="visually-hidden">
          {current
            ? `, sorted ${orderWords[order]}; sort ${order === "asc" ? "descending" : "ascending"}`
            : ", sort by this column"}
        </span>
      </Link>
    </th>
  );
}

export default function Packages() {
  const d = useLoaderData<typeof loader>();
  const q = d.query;
  const filtered = Boolean(q.q || activeFilters(q));
  const search = directorySearch(q, { page: d.page });
  const exportSearch = (all: boolean) => {
    const s = directorySearch(q, { page: all ? undefined : d.page });
    return all ? `${s ? `${s}&` : "?"}all=1` : s;
  };
  return (
    <section className="stack">
      <h1>Packages</h1>
      <p>
        Django packages tracked on Roadies, with their popularity, what they declare they support and how they are
        maintained. Sort by any column; tick packages to <Link to="/packages/compare">compare them</Link> side by side.
        Maintain one? <Link to="/packages/new">Add it</Link> to post calls for help.
      </p>
      <Form method="get" className="filters" role="search" aria-label="Packages">
        <div className="field">
          <label htmlFor="packages-q">Name</label>
          <input id="packages-q" type="search" name="q" defaultValue={q.q ?? ""} placeholder="e.g. django-filter" />
        </div>
        <FilterPanel activeCount={activeFilters(q)}>
          <div className="field">
            <label htmlFor="packages-category">Category</label>
            <select id="packages-category" name="category" defaultValue={q.category ?? ""}>
              <option value="">All categories</option>
              {d.categories.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="packages-django">Declares Django</label>
            <DjangoVersionSelect
              id="packages-django"
              name="django"
              options={d.djangoVersions}
              defaultValue={q.django ?? ""}
              anyLabel="Any version"
            />
          </div>
          <div className="field">
            <label htmlFor="packages-state">Maintenance</label>
            <select id="packages-state" name="state" defaultValue={q.state ?? ""}>
              <option value="">Any state</option>
              {maintenanceStates.map((s) => (
                <option key={s} value={s}>
                  {stateLabels[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field field-checkbox">
            <input id="packages-help" type="checkbox" name="help" value="1" defaultChecked={q.help === "1"} />
            <label htmlFor="packages-help">Needs help</label>
          </div>
        </FilterPanel>
        {q.sort ? <input type="hidden" name="sort" value={q.sort} /> : null}
        {q.order ? <input type="hidden" name="order" value={q.order} /> : null}
        <button type="submit" className="button">
          Show packages
        </button>
      </Form>
      <p aria-live="polite">
        {d.total} {d.total === 1 ? "package" : "packages"}
        {filtered ? " match" : ""}
        {filtered ? (
          <>
            {" "}
            · <Link to="/packages">Clear the filters</Link>
          </>
        ) : null}
        {d.total ? (
          <>
            {" "}
            · This page as <a href={`/packages.csv${search}`}>CSV</a> or <a href={`/packages.json${search}`}>JSON</a>
            {d.pageCount > 1 ? (
              <>
                {" "}
                · all {d.total} as <a href={`/packages.csv${exportSearch(true)}`}>CSV</a>
              </>
            ) : null}
          </>
        ) : null}
      </p>
      {d.packages.length === 0 ? (
        <div className="card stack">
          <h2>No package matches</h2>
          <p>Try a shorter name or remove a filter.</p>
        </div>
      ) : (
        <Form method="get" action="/packages/compare" className="stack directory">
          <p className="directory-compare">
            <button type="submit" className="button button-secondary">
              Compare the ticked packages
            </button>{" "}
            <span className="muted">up to {COMPARE_MAX}</span>
          </p>
          <div className="table-scroll">
            <table className="directory-table">
              <caption className="visually-hidden">
                Packages sorted by {sortColumns[d.sort].label.toLowerCase()}, {orderWords[d.order]}
              </caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Compare</span>
                  </th>
                  {directorySorts.map((column) => (
                    <SortHeading key={column} column={column} />
                  ))}
                </tr>
              </thead>
              <tbody>
                {d.packages.map((p) => (
                  <tr key={p.normalizedName}>
                    <td>
                      <input
                        type="checkbox"
                        name="p"
                        value={p.normalizedName}
                        id={`compare-${p.normalizedName}`}
                        aria-label={`Compare ${p.name}`}
                      />
                    </td>
                    <th scope="row" className="directory-package">
                      <Link to={`/packages/${p.normalizedName}`}>{p.name}</Link>
                      {p.needsHelp ? <span className="tag tag-help">Needs help</span> : null}
                      {p.summary ? <span className="directory-summary">{p.summary}</span> : null}
                      {p.categories.length ? (
                        <span className="muted directory-categories">{p.categories.join(", ")}</span>
                      ) : null}
                    </th>
                    <td className="number">{formatCount(p.githubStars)}</td>
                    <td className="number">{formatCount(p.downloadsLastMonth)}</td>
                    <td>
                      {p.lastRelease ? (
                        <>
                          {p.latestVersion ? <span className="nowrap">{p.latestVersion}</span> : null}{" "}
                          <span className="nowrap muted">{p.lastRelease}</span>
                        </>
                      ) : (
                        <span className="muted">unknown</span>
                      )}
                    </td>
                    <td>{p.django.length ? recentVersions(p.django) : <span className="muted">none declared</span>}</td>
                    <td>
                      {p.python.length ? pythonRange(p.python) : <span className="muted">none declared</span>}
                      {p.pythonFrom === "requires_python" ? <span className="muted"> (requires_python)</span> : null}
                    </td>
                    <td>
                      <span className={`tag state-${p.state}`}>{p.stateLabel}</span>
                    </td>
                    <td className="number">
                      {p.openCalls ? <Link to={`/calls?package=${p.normalizedName}`}>{p.openCalls}</Link> : 0}
                    </td>
                    <td className="number">{p.verifiedMaintainers}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Form>
      )}
      {d.pageCount > 1 ? (
        <nav aria-label="Pages" className="pager">
          {d.page > 1 ? <Link to={directorySearch(q, { page: d.page - 1 }) || "?"}>Previous page</Link> : null}
          <span>
            Page {d.page} of {d.pageCount}
          </span>
          {d.page < d.pageCount ? <Link to={directorySearch(q, { page: d.page + 1 })}>Next page</Link> : null}
        </nav>
      ) : null}
    </section>
  );
}
