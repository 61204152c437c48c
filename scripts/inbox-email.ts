// `tsx scripts/inbox-email.ts`: one run of the notification email job (plan what is due, send what
// is planned), as the scheduler runs it every minute. Safe to run at any time and to kill: a rerun
// sends only what is missing. Exit codes: 0 done, 1 failed.
import { closeDatabase, prepareDatabase } from "#app/utils/db.server.ts";
import { env, EnvError } from "#app/utils/env.server.ts";
import { runInboxEmails } from "#app/jobs/inbox-email.server.ts";

try {
  env();
  await prepareDatabase();
  const run = await runInboxEmails();
  process.stdout.write(`${JSON.stringify(run)}\n`);
  closeDatabase();
} catch (error) {
  if (error instanceof EnvError)
    process.stderr.write(`${error.problems.map((p) => `config error: ${p}`).join("\n")}\n`);
  else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
