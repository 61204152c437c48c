// /packages/compare?p=a&p=b: chosen packages side by side, rows are attributes and columns are
// packages. Adding and removing a package are plain GET links and forms.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { compareNames, comparePackages } from "#app/models/packages/compare.server.ts";
import { directoryViewer } from "#app/models/packages/directory.server.ts";
import { COMPARE_MAX } from "#app/models/packages/directory.ts";
import { getCurrentUser } from "#app/models/people/auth.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data?.packages.length
      ? `Compare ${data.packages.map((p) => p.name).join(", ")} · Roadies`
      : "Compare packages · Roadies",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { names, dropped } = compareNames(new URL(request.url));
  // Who is asking matters only once the rows are read: asked beside them (db.server.ts), and awaited
  // here too, so that a failure is never left unhandled.
  const viewer = getCurrentUser(request).then(directoryViewer);
  const [grid] = await Promise.all([comparePackages(names, viewer), viewer]);
  return { ...grid, dropped };
}

const searchOf = (names: string[]) => {
  const params = new URLSearchParams(names.map((n) => ["p", n]));
  return params.size ? `?${params}` : "";
};

export default function Compare() {
  const d = useLoaderData<typeof loader>();
  const names = d.packages.map((p) => p.normalizedName);
  const full = names.length >= COMPARE_MAX;
  return (
    <section className="stack">
      <p>
        <Link to="/packages">← Packages</Link>
      </p>
      <h1>Compare packages</h1>
      <p>
        Side by side: popularity, releases, maintenance, declared support and each supported Django release&rsquo;s
        compatibility (declared in the classifiers, or reported by the maintainers). Up to {COMPARE_MAX} packages.
      </p>
      {d.missing.length ? (
        <div className="alert" role="status">
          <p>
            Not tracked on Roadies: {d.missing.join(", ")}. <Link to="/packages">Find a package</Link>.
          </p>
        </div>
      ) : null}
      {d.dropped ? (
        <div className="alert" role="status">
          <p>
            Only the first {COMPARE_MAX} packages are compared; {d.dropped} more {d.dropped === 1 ? "was" : "were"} left
            out.
          </p>
        </div>
      ) : null}
      <Form method="get" action="/packages/compare" className="filters" aria-label="Add a package to the comparison">
        {names.map((n) => (
          <input key={n} type="hidden" name="p" value={n} />
        ))}
        <div className="field">
          <label htmlFor="compare-add">Add a package</label>
          <input
            id="compare-add"
            type="text"
            name="p"
            placeholder="e.g. django-filter"
            disabled={full}
            aria-describedby={full ? "compare-full" : undefined}
          />
          {full ? (
            <p id="compare-full" className="field-hint">
              {COMPARE_MAX} packages at most: remove one to add another.
            </p>
          ) : null}
        </div>
        <button type="submit" className="button" disabled={full}>
          Add
        </button>
      </Form>
      {d.packages.length === 0 ? (
        <div className="card stack">
          <h2>Nothing to compare yet</h2>
          <p>
            Tick packages in the <Link to="/packages">directory</Link> and choose &ldquo;Compare&rdquo;, or add them by
            name above.
          </p>
        </div>
      ) : (
        <>
          <p>
            Download this comparison as <a href={`/packages/compare.csv${searchOf(names)}`}>CSV</a>.
          </p>
          <div className="table-scroll">
            <table className="compare-table">
              <caption className="visually-hidden">Packages compared, one column each</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Attribute</span>
                  </th>
                  {d.packages.map((p) => (
                    <th scope="col" key={p.normalizedName}>
                      <Link to={`/packages/${p.normalizedName}`}>{p.name}</Link>{" "}
                      <Link
                        to={`/packages/compare${searchOf(names.filter((n) => n !== p.normalizedName))}`}
                        className="compare-remove"
                        aria-label={`Remove ${p.name} from the comparison`}
                      >
                        Remove
                      </Link>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {d.rows.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.label}</th>
                    {r.values.map((v, i) => (
                      <td key={names[i]}>{v}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
