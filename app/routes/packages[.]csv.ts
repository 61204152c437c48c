// /packages.csv: the directory as shown for the same query (filters, sort, page); `all=1` gives
// every matching package.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { directoryCsvRows, directoryViewer, listDirectory } from "#app/models/packages/directory.server.ts";
import { parseDirectoryQuery } from "#app/models/packages/directory.ts";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { toCsv } from "#app/utils/csv.ts";
import { env } from "#app/utils/env.server.ts";
import { isoDay } from "#app/utils/dates.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const query = parseDirectoryQuery(url);
  const viewer = await directoryViewer(await getCurrentUser(request));
  const result = await listDirectory(query, viewer, { all: url.searchParams.get("all") === "1" });
  return new Response(toCsv(directoryCsvRows(result.packages, env().appUrl)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="roadies-packages-${isoDay(Date.now())}.csv"`,
    },
  });
}
