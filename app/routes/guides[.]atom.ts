// /guides.atom: Atom 1.0 feed (RFC 4287) of the 50 newest published guide revisions.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { env } from "#app/utils/env.server.ts";
import { escapeXml } from "#app/utils/xml.ts";
import { recentRevisions } from "#app/models/guides/guides.server.ts";
import { guidePath } from "#app/models/guides/paths.ts";

export async function loader(_: LoaderFunctionArgs) {
  const appUrl = env().appUrl;
  const host = new URL(appUrl).hostname;
  const revisions = await recentRevisions(50);
  const updated = new Date(revisions[0]?.createdAt ?? Date.now()).toISOString();
  const entries = revisions
    .map((r) => {
      const changes =
        r.number > 1
          ? `${appUrl}/guides/${r.slug}/history?from=${r.number - 1}&to=${r.number}`
          : `${appUrl}${guidePath(r.slug)}`;
      // tag: URIs (RFC 4151) name the revision for ever, whatever the guide's title becomes.
      const id = `tag:${host},2026:guide:${r.slug}:revision:${r.number}`;
      const author = r.authorLogin ? (r.authorName ?? r.authorLogin) : "The Roadies project";
      const title = r.number === 1 ? `${r.title}: published` : `${r.title}: revision ${r.number}`;
      return `  <entry>
    <id>${escapeXml(id)}</id>
    <title>${escapeXml(title)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(changes)}"/>
    <link rel="related" type="text/html" href="${escapeXml(`${appUrl}${guidePath(r.slug)}`)}"/>
    <published>${new Date(r.createdAt).toISOString()}</published>
    <updated>${new Date(r.createdAt).toISOString()}</updated>
    <author><name>${escapeXml(author)}</name></author>
    <summary type="text">${escapeXml(r.note)}</summary>
  </entry>`;
    })
    .join("\n");
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeXml(`${appUrl}/guides`)}</id>
  <title>Roadies: changes to the guides for package maintainers</title>
  <link rel="self" type="application/atom+xml" href="${escapeXml(`${appUrl}/guides.atom`)}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(`${appUrl}/guides`)}"/>
  <updated>${updated}</updated>
${entries}
</feed>
`;
  return new Response(xml, {
    headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
