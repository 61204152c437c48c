// Atom feed (RFC 4287) of the monthly reports: one entry per completed month.
import { env } from "#app/utils/env.server.ts";
import { markdownToText } from "#app/utils/markdown.server.ts";
import { monthBounds, monthlyReport, reportMarkdown, reportMonths } from "#app/models/ecosystem/ecosystem.server.ts";
import { escapeXml as xml } from "#app/utils/xml.ts";

export async function loader() {
  const now = Date.now();
  const base = env().appUrl;
  const months = (await reportMonths(now)).filter((m) => monthBounds(m).end <= now).slice(0, 12);
  const reports = await Promise.all(months.map((m) => monthlyReport(m, now)));
  const updated = new Date(months.length ? monthBounds(months[0]!).end : now).toISOString();
  const entries = reports.map((r) => {
    const published = new Date(monthBounds(r.month).end).toISOString();
    return `  <entry>
    <id>${xml(`${base}/reports/${r.month}`)}</id>
    <title>${xml(r.title)}</title>
    <link rel="alternate" type="text/html" href="${xml(`${base}/reports/${r.month}`)}"/>
    <published>${published}</published>
    <updated>${published}</updated>
    <summary>${xml(markdownToText(reportMarkdown(r, base)).slice(0, 1000))}</summary>
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
