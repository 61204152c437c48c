// /guides/:slug: one guide (/guides/security, /guides/funding…). The best-practices guide lives on
// /guides itself, so its own slug redirects there (anchors follow the redirect).
import { redirect, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { getGuide, isGuideReviewer } from "#app/models/guides/guides.server.ts";
import { guideView } from "#app/models/guides/view.server.ts";
import { INDEX_GUIDE_SLUG } from "#app/models/guides/paths.ts";
import { notFound } from "#app/utils/http.server.ts";
import { GuideArticle } from "#app/components/guide-article.tsx";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [{ title: `${data.guide.title} · Roadies` }, { name: "description", content: data.guide.summary }]
    : [{ title: "Guide not found · Roadies" }];

export const links: LinksFunction = () => [
  { rel: "alternate", type: "application/atom+xml", href: "/guides.atom", title: "Changes to the Roadies guides" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  if (slug === INDEX_GUIDE_SLUG) throw redirect("/guides", 301);
  const now = Date.now();
  const guide = await getGuide(slug, now);
  if (!guide) throw notFound();
  const user = await getCurrentUser(request);
  return { guide: guideView(guide), reviewer: user ? await isGuideReviewer(user.id, now) : false };
}

export default function GuidePage() {
  const { guide, reviewer } = useLoaderData<typeof loader>();
  return (
    <div className="stack narrow">
      <GuideArticle
        guide={guide}
        historyHref={`/guides/${guide.slug}/history`}
        suggestHref={`/guides/${guide.slug}/suggest`}
        reviewer={reviewer}
      />
      <p>
        <Link to="/guides">All guides</Link> · <a href="/guides.atom">Follow changes (Atom feed)</a>
      </p>
    </div>
  );
}
