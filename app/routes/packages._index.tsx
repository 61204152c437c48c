import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listCategories, listPackages } from "#app/models/packages/packages.server.ts";

export const meta: MetaFunction = () => [{ title: "Packages · Roadies" }];

const Query = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  category: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const query = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [result, categories] = await Promise.all([listPackages(query), listCategories()]);
  return { ...result, categories, q: query.q ?? "", category: query.category ?? "" };
}

export default function Packages() {
  const { packages, total, page, pageCount, categories, q, category } = useLoaderData<typeof loader>();
  const pageLink = (n: number) =>
    `?${new URLSearchParams({ ...(q && { q }), ...(category && { category }), page: String(n) })}`;
  return (
    <section className="stack">
      <h1>Packages</h1>
      <p>
        Maintain a Django package? <Link to="/packages/new">Add it</Link> to post calls for help.
      </p>
      <Form method="get" className="filters" role="search" aria-label="Packages">
        <div className="field">
          <label htmlFor="q">Name</label>
          <input id="q" type="search" name="q" defaultValue={q} placeholder="e.g. django-filter" />
        </div>
        <div className="field">
          <label htmlFor="category">Category</label>
          <select id="category" name="category" defaultValue={category}>
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Search
        </button>
      </Form>
      <p aria-live="polite">
        {total} {total === 1 ? "package" : "packages"}
        {q || category ? " match" : ""}
      </p>
      {packages.length === 0 ? (
        <p>No package matches. Try a shorter name or another category.</p>
      ) : (
        <ul className="package-list">
          {packages.map((p) => (
            <li key={p.normalizedName} className="card">
              <h2>
                <Link to={`/packages/${p.normalizedName}`}>{p.name}</Link>
              </h2>
              {p.repository ? <p className="muted">github.com/{p.repository}</p> : null}
              <p>
                {p.categories.map((c) => (
                  <span key={c} className="tag">
                    {c}
                  </span>
                ))}
              </p>
            </li>
          ))}
        </ul>
      )}
      {pageCount > 1 ? (
        <nav aria-label="Pages" className="pager">
          {page > 1 ? <Link to={pageLink(page - 1)}>Previous page</Link> : null}
          <span>
            Page {page} of {pageCount}
          </span>
          {page < pageCount ? <Link to={pageLink(page + 1)}>Next page</Link> : null}
        </nav>
      ) : null}
    </section>
  );
}
