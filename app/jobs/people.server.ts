// The people area's scheduled work (job `people-terms` in app/jobs/registry.server.ts).
import { runTermsJob } from "#app/models/people/terms.server.ts";
import { offerUnshepherdedTransfers } from "#app/models/requests/transfers.server.ts";
import { log } from "#app/utils/log.server.ts";

export async function runPeopleJobs(now = Date.now()) {
  const terms = await runTermsJob(now);
  const offers = await offerUnshepherdedTransfers(now);
  log.info("people jobs", { ...terms, ...offers });
  return { ...terms, ...offers };
}
