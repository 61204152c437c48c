// Atom feed (RFC 4287) of the monthly reports: one entry per completed month, from its stored
// record (a month not yet recorded is marked provisional).
import { env } from "#app/utils/env.server.ts";
import { markdownToText } from "#app/utils/markdown.server.ts";
import { monthBounds, reportMarkdown } from "#app/models/ecosystem/ecosystem.server.ts";
import { reportIndex, reportView, statusLine } from "#app/models/ecosystem/report-records.server.ts";
import { escapeXml as xml } from "#app/utils/xml.ts";

export async function loader() {
  const now = Date.now();
  const base = env().appUrl;
  const months = (await reportIndex(now))
    .map((r) => r.month)
    .filter((m) => monthBounds(m).end <= now)
    .slice(0, 12);
  const views = await Promise.all(months.map(async (m) => ({ month: m, ...(await reportView(m, now)) })));
  const updatedOf = (v: (typeof views)[number]) =>
    v.status.kind === "record" ? v.status.storedAt : Math.max(monthBounds(v.month).end, now);
  const updated = new Date(views.length ? Math.max(...views.map(updatedOf)) : now).toISOString();
  const entries = views.map((v) => {
    const r = v.report;
    const published = new Date(monthBounds(v.month).end).toISOString();
    const provisional = v.status.kind === "provisional";
    return `  <entry>
    <id>${xml(`${base}/reports/${v.month}`)}</id>
    <title>${xml(provisional ? `${r.title} (provisional)` : r.title)}</title>
    <link rel="alternate" type="text/html" href="${xml(`${base}/reports/${v.month}`)}"/>
    <published>${published}</published>
    <updated>${new Date(updatedOf(v)).toISOString()}</updated>
    <summary>${xml(markdownToText(reportMarkdown(r, base, statusLine(v.status, v.month)), 1000))}</summary>
  </entry>`;
  });
  const body = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(`${base}/reports`)}</id>
  <title>Roadies monthly reports</title>
  <link rel="self" type="application/atom+xml" href="${xml(`${base}/reports.atom`)}"/>
  <link rel="alternate" type="text/html" href="${xml(`${base}/reports`)}"/>
  <updated>${updated}</updated>
  <author><name>Roadies</name></author>
${entries.join("\n")}
</feed>
`;
  return new Response(body, { headers: { "Content-Type": "application/atom+xml; charset=utf-8" } });
}
