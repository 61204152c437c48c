// A maintainer reports their package's status for a Django release (form on the package page).
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireUser } from "#app/models/people/auth.server.ts";
import { getPackage } from "#app/models/packages/packages.server.ts";
import { canReportCompat, reportCompat } from "#app/models/packages/health-data.server.ts";
import { releaseExists } from "#app/models/ecosystem/releases.server.ts";
import { compatStatuses } from "#db/schema/ecosystem.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound } from "#app/utils/http.server.ts";

const Report = z.object({ version: z.string().max(20), status: z.enum([...compatStatuses, "none"]) });

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/packages/${encodeURIComponent(params.name ?? "")}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const pkg = await getPackage(params.name ?? "");
  // Outsiders learn nothing: not a maintainer looks the same as no such package.
  if (!pkg || !(await canReportCompat(pkg.id, user.id))) throw notFound();
  const parsed = Report.safeParse(Object.fromEntries(await readFormData(request)));
  if (!parsed.success || !(await releaseExists(parsed.data.version))) {
    throw new Response("Choose a Django release and a status.", { status: 400 });
  }
  await reportCompat(pkg.id, parsed.data.version, parsed.data.status, user.id);
  return redirect(`/packages/${pkg.normalizedName}?compat=${encodeURIComponent(parsed.data.version)}#health-heading`);
}
