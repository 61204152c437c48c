// Organisers: every application of a programme with its answers and scores, as a CSV download.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportApplicationsCsv } from "#app/models/programs/export.server.ts";
import { requireProgramOrganiser } from "#app/models/programs/access.server.ts";
import { recordAudit } from "#app/models/moderation/audit.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgramOrganiser(request, params.slug);
  const csv = await exportApplicationsCsv(program, user.id);
  await recordAudit({
    actorUserId: user.id,
    action: "program.applications.export",
    objectType: "program",
    objectId: program.id,
  });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${program.slug}-applications.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
