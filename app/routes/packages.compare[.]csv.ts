// /packages/compare.csv?p=a&p=b: the comparison grid as CSV, one column per package.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { compareCsvRows, compareNames, comparePackages } from "#app/models/packages/compare.server.ts";
import { directoryViewer } from "#app/models/packages/directory.server.ts";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { toCsv } from "#app/utils/csv.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const { names } = compareNames(new URL(request.url));
  const viewer = await directoryViewer(await getCurrentUser(request));
  const grid = await comparePackages(names, viewer);
  return new Response(toCsv(compareCsvRows(grid)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="roadies-compare.csv"`,
    },
  });
}
