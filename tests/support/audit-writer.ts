// A second instance of Roadies writing audit entries, for the concurrency test of the hash chain
// (tests/integration/audit-chain.test.ts): `tsx tests/support/audit-writer.ts TAG COUNT` writes
// COUNT batches of two entries each to DATABASE_URL, then exits.
import { closeDatabase, db } from "#app/utils/db.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";

const [tag = "writer", count = "10"] = process.argv.slice(2);
await db().run("PRAGMA busy_timeout = 10000");
for (let i = 0; i < Number(count); i++) {
  await db().batch([
    auditEntry({ actorUserId: null, action: "test.concurrent", objectType: tag, objectId: i, detail: { step: 1 } }),
    auditEntry({ actorUserId: null, action: "test.concurrent", objectType: tag, objectId: i, detail: { step: 2 } }),
  ]);
}
closeDatabase();
