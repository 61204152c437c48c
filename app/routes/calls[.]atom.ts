// /calls.atom: Atom 1.0 feed of the 50 newest open calls (RFC 4287).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { env } from "#app/utils/env.server.ts";
import { markdownToText } from "#app/utils/markdown.server.ts";
import { newestCalls } from "#app/models/calls/listing.server.ts";
import { escapeXml } from "#app/utils/xml.ts";
import { callKindLabels } from "#app/models/calls/forms.ts";

export async function loader(_: LoaderFunctionArgs) {
  const appUrl = env().appUrl;
  const calls = await newestCalls(50);
  const host = new URL(appUrl).hostname;
  const updated = new Date(calls.reduce((max, c) => Math.max(max, c.updatedAt), 0) || Date.now()).toISOString();
  const entries = calls
    .map((c) => {
      const url = `${appUrl}/calls/${c.id}`;
      // tag: URIs (RFC 4151) stay the same whatever the call's title or the site's path become.
      const id = `tag:${host},2026:call:${c.id}`;
      const summary = `${callKindLabels[c.kind]} · ${c.packageName} · ${c.hoursPerWeek} h/week. ${markdownToText(c.description, 400)}`;
      return `  <entry>
    <id>${escapeXml(id)}</id>
    <title>${escapeXml(`${c.packageName}: ${c.title}`)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(url)}"/>
    <published>${new Date(c.createdAt).toISOString()}</published>
    <updated>${new Date(c.updatedAt).toISOString()}</updated>
    <author><name>${escapeXml(c.packageName)} maintainers</name></author>
${c.skills.map((s) => `    <category term="${escapeXml(s.skillId)}" label="${escapeXml(s.name)}"/>`).join("\n")}
    <summary type="text">${escapeXml(summary)}</summary>
  </entry>`;
    })
    .join("\n");
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeXml(`${appUrl}/calls`)}</id>
  <title>Roadies: new calls for maintainers</title>
  <link rel="self" type="application/atom+xml" href="${escapeXml(`${appUrl}/calls.atom`)}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(`${appUrl}/calls`)}"/>
  <updated>${updated}</updated>
${entries}
</feed>
`;
  return new Response(xml, {
    headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
