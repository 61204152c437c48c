// /guides: every guide for package maintainers (with when each was last reviewed), a search over
// them, and the best-practices guide itself, whose section anchors the package page's best-practice
// check and the compatibility drives link to (/guides#classifiers). The text is content kept by the
// working group (app/models/guides/), not code.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { getGuide, isGuideReviewer, listGuides } from "#app/models/guides/guides.server.ts";
import { guidePath, INDEX_GUIDE_SLUG } from "#app/models/guides/paths.ts";
import { guideView } from "#app/models/guides/view.server.ts";
import { formatShortDate, isoDay } from "#app/utils/dates.ts";
import { notFound } from "#app/utils/http.server.ts";
import { GuideArticle } from "#app/components/guide-article.tsx";

export const meta: MetaFunction = () => [
  { title: "Guides for package maintainers · Roadies" },
  { name: "description", content: "Practical habits that keep a Django package easy to use, upgrade and hand over." },
];

export const links: LinksFunction = () => [
  { rel: "alternate", type: "application/atom+xml", href: "/guides.atom", title: "Changes to the Roadies guides" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const now = Date.now();
  const [user, guides, main] = await Promise.all([
    getCurrentUser(request),
    listGuides(now),
    getGuide(INDEX_GUIDE_SLUG, now),
  ]);
  if (!main) throw notFound();
  return {
    guides: guides.map((x) => ({
      slug: x.slug,
      title: x.title,
      summary: x.summary,
      href: guidePath(x.slug),
      lastReviewed: formatShortDate(x.lastReviewedAt),
      lastReviewedIso: isoDay(x.lastReviewedAt),
      due: x.due,
    })),
    main: guideView(main, { embedded: true }),
    reviewer: user ? await isGuideReviewer(user.id, now) : false,
    signedIn: Boolean(user),
  };
}

export default function Guides() {
  const { guides, main, reviewer, signedIn } = useLoaderData<typeof loader>();
  return (
    <div className="stack guides">
      <section className="stack" aria-labelledby="guides-title">
        <h1 id="guides-title">Guides for package maintainers</h1>
        <p>
          Short, practical advice kept current by the working group. Anyone signed in can suggest an improvement to a
          guide; a working-group member or roadie reviews it.
        </p>
        <ul className="guide-list">
          {guides.map((g) => (
            <li key={g.slug}>
              <Link to={g.href === "/guides" ? "#best-practices" : g.href}>{g.title}</Link>: {g.summary}{" "}
              <span className="muted">
                Last reviewed <time dateTime={g.lastReviewedIso}>{g.lastReviewed}</time>
              </span>
              {g.due ? (
                <>
                  {" "}
                  <span className="tag tag-warning">Due for review</span>
                </>
              ) : null}
            </li>
          ))}
        </ul>
        <Form method="get" action="/search" role="search" className="guide-search">
          <label htmlFor="guide-search-q">Search the guides</label>
          <input id="guide-search-q" name="q" type="search" />
          <button type="submit">Search</button>
        </Form>
        <p>
          <a href="/guides.atom">Follow changes to the guides (Atom feed)</a> ·{" "}
          <Link to="/meetings">The working group&rsquo;s monthly meetings</Link>
          {signedIn ? (
            <>
              {" "}
              · <Link to="/guides/suggestions">{reviewer ? "Suggestions to review" : "Your suggestions"}</Link>
            </>
          ) : null}
        </p>
      </section>
      <div id="best-practices">
        <GuideArticle
          guide={main}
          level={2}
          historyHref={`/guides/${main.slug}/history`}
          suggestHref={`/guides/${main.slug}/suggest`}
          reviewer={reviewer}
        />
      </div>
    </div>
  );
}
