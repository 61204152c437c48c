// What the working group's home (/admin) shows: the queues that need someone.
import { eq } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { countOpenProposals } from "#app/models/people/votes.server.ts";
import { listTransfers } from "#app/models/requests/transfers.server.ts";

export async function adminQueues() {
  const proposals = await countOpenProposals();
  const byKind = Object.fromEntries(proposals.map((x) => [x.kind, x.n]));
  const nominations = await db()
    .select({ id: schema.nominations.id })
    .from(schema.nominations)
    .where(eq(schema.nominations.status, "open"))
    .all();
  const transfersNeedingRoadie = (await listTransfers({ needingRoadie: true })).length;
  const hidden = await db().select({ id: schema.moderationHides.objectId }).from(schema.moderationHides).all();
  return {
    applications: byKind.roadie_application ?? 0,
    otherVotes: (byKind.roadie_removal ?? 0) + (byKind.wg_invitation ?? 0) + (byKind.wg_removal ?? 0),
    nominations: nominations.length,
    transfersNeedingRoadie,
    hidden: hidden.length,
  };
}
