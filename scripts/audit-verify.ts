// `npm run audit:verify`: recomputes the audit log's hash chain from the first entry to the last.
// Exit 0 when every entry follows from the ones before it, 1 at the first entry that does not.
import { closeDatabase, prepareDatabase } from "#app/utils/db.server.ts";
import { EnvError } from "#app/utils/env.server.ts";
import { verifyAuditChain } from "#app/models/moderation/audit.server.ts";

try {
  await prepareDatabase();
  const verdict = await verifyAuditChain();
  closeDatabase();
  if (verdict.ok) {
    console.log(`chain verified: ${verdict.count} entries${verdict.head ? `, latest hash ${verdict.head}` : ""}`);
  } else {
    const e = verdict.brokenAt;
    console.error(
      `chain broken at entry #${e.id} (${e.action} on ${e.objectType} ${e.objectId}, ${new Date(e.createdAt).toISOString()}): ` +
        `it was changed, or an entry before it was removed; the ${verdict.count} entries before it verify`,
    );
    process.exit(1);
  }
} catch (error) {
  if (error instanceof EnvError) for (const problem of error.problems) console.error(`config error: ${problem}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
