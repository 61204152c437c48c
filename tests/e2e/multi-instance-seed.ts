// Prepares the database that the two server processes of multi-instance.spec.ts share: migrations,
// reference data, a package with an open call and people whose skills match it. Then asks the
// app's own digest (a dry run) who is due a digest now, and prints that as the last line:
// `RECIPIENTS {"week": "...", "emails": [...]}`. Run with DATABASE_URL and the DIGEST_* settings
// of the servers: `node --import tsx tests/e2e/multi-instance-seed.ts`.
import { closeDatabase, db, prepareDatabase } from "#app/utils/db.server.ts";
import { seedReference } from "#db/seed.ts";
import { runDigest } from "#app/jobs/digest.server.ts";
import { makeCall, makePackage, makeUser } from "#tests/integration/digest-fixtures.ts";

await prepareDatabase();
await seedReference(db());

const maintainer = await makeUser({ login: "multi-maintainer", skills: [["packaging", "expert"]] });
const pkg = await makePackage("django-multi-instance", [maintainer.id]);
await makeCall({ packageId: pkg.id, title: "Review ORM pull requests", skills: [["orm-migrations", "comfortable"]] });
for (let i = 0; i < 5; i++) {
  await makeUser({ login: `multi-vol-${i}`, skills: [["orm-migrations", "expert"]], roles: ["co-maintainer"] });
}
// Nobody to write to: must get nothing from either instance.
await makeUser({ login: "multi-no-address", email: null, skills: [["orm-migrations", "expert"]] });

const plan = await runDigest({ dryRun: true });
const emails = (plan.dryRunRecipients ?? []).map((r) => r.email);
process.stdout.write(`RECIPIENTS ${JSON.stringify({ week: plan.week, emails })}\n`);
closeDatabase();
