// What the working group's home (/admin) shows: the queues that need someone.
import { eq } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { countOpenProposals } from "#app/models/people/votes.server.ts";
import { listTransfers } from "#app/models/requests/transfers.server.ts";

export async function adminQueues() {
  // Independent counts, asked side by side: one round trip (db.server.ts batches a request's reads).
  const [proposals, nominations, needingRoadie, hidden] = await Promise.all([
    countOpenProposals(),
    db()
      .select({ id: schema.nominations.id })
      .from(schema.nominations)
      .where(eq(schema.nominations.status, "open"))
      .all(),
    listTransfers({ needingRoadie: true }),
    db().select({ id: schema.moderationHides.objectId }).from(schema.moderationHides).all(),
  ]);
  const byKind = Object.fromEntries(proposals.map((x) => [x.kind, x.n]));
  const transfersNeedingRoadie = needingRoadie.length;
  return {
    applications: byKind.roadie_application ?? 0,
    otherVotes: (byKind.roadie_removal ?? 0) + (byKind.wg_invitation ?? 0) + (byKind.wg_removal ?? 0),
    nominations: nominations.length,
    transfersNeedingRoadie,
    hidden: hidden.length,
  };
}
