// A monthly report as Markdown, ready to paste into a Django Forum post.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { env } from "#app/utils/env.server.ts";
import { MONTH, reportMarkdown } from "#app/models/ecosystem/ecosystem.server.ts";
import { reportView, statusLine } from "#app/models/ecosystem/report-records.server.ts";
import { notFound } from "#app/utils/http.server.ts";

export async function loader({ params }: LoaderFunctionArgs) {
  const month = params.month ?? "";
  const now = Date.now();
  if (!MONTH.test(month) || month > new Date(now).toISOString().slice(0, 7)) {
    throw notFound();
  }
  const { report, status } = await reportView(month, now);
  return new Response(reportMarkdown(report, env().appUrl, statusLine(status, month)), {
    headers: { "Content-Type": "text/markdown; charset=utf-8" },
  });
}
