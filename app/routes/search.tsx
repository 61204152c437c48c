// /search?q=: the site's search. The guides, section by section (FTS5, bm25), with a link to the
// matching section; and the open calls that match, which /calls?q= lists in full.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { searchGuides, snippetParts } from "#app/models/guides/search.server.ts";
import { listCalls } from "#app/models/calls/listing.server.ts";
import { searchSchema } from "#app/models/guides/forms.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.q ? `Search: ${data.q} · Roadies` : "Search · Roadies" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const parsed = searchSchema.safeParse({ q: url.searchParams.get("q") ?? undefined });
  const q = parsed.success ? (parsed.data.q ?? "") : "";
  if (!q) return { q, guides: [], calls: [], callTotal: 0 };
  const [guides, calls] = await Promise.all([searchGuides(q, 20), listCalls({ q, sort: "relevance" })]);
  return {
    q,
    guides: guides.map((g) => ({ ...g, parts: snippetParts(g.snippet) })),
    calls: calls.calls.slice(0, 5).map((c) => ({ id: c.id, title: c.title, packageName: c.packageName })),
    callTotal: calls.total,
  };
}

export default function Search() {
  const { q, guides, calls, callTotal } = useLoaderData<typeof loader>();
  return (
    <div className="stack narrow">
      <h1>Search</h1>
      <Form method="get" role="search" className="guide-search">
        <label htmlFor="search-q">Search the guides and open calls</label>
        <input id="search-q" name="q" type="search" defaultValue={q} key={q} />
        <button type="submit">Search</button>
      </Form>
      {q ? (
        <>
          <section className="stack" aria-labelledby="guide-results">
            <h2 id="guide-results">Guides</h2>
            {guides.length === 0 ? (
              <p>
                No guide mentions “{q}”. <Link to="/guides">Browse the guides</Link>.
              </p>
            ) : (
              <ol className="search-results">
                {guides.map((g) => (
                  <li key={g.href}>
                    <Link to={g.href}>
                      {g.guideTitle}
                      {g.heading ? `: ${g.heading}` : ""}
                    </Link>
                    <p>
                      {g.parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
                    </p>
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section className="stack" aria-labelledby="call-results">
            <h2 id="call-results">Open calls</h2>
            {calls.length === 0 ? (
              <p>No open call matches “{q}”.</p>
            ) : (
              <>
                <ul>
                  {calls.map((c) => (
                    <li key={c.id}>
                      <Link to={`/calls/${c.id}`}>
                        {c.packageName}: {c.title}
                      </Link>
                    </li>
                  ))}
                </ul>
                {callTotal > calls.length ? (
                  <p>
                    <Link to={`/calls?q=${encodeURIComponent(q)}`}>All {callTotal} matching calls</Link>
                  </p>
                ) : null}
              </>
            )}
          </section>
        </>
      ) : (
        <p>Type a few words: “pre-releases”, “security”, “funding”…</p>
      )}
    </div>
  );
}
