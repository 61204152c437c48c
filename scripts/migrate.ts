// `npm run db:migrate`: applies the committed migrations and the reference seed to DATABASE_URL.
// The server does the same at start-up; this is for operators who want to do it ahead of time.
import { closeDatabase, db, prepareDatabase } from "#app/utils/db.server.ts";
import { env, EnvError } from "#app/utils/env.server.ts";
import { seedReference } from "#db/seed.ts";

try {
  const { databaseUrl } = env();
  await prepareDatabase();
  await seedReference(db());
  closeDatabase();
  console.log(`Migrations applied to ${databaseUrl.startsWith("file:") ? databaseUrl : "the libSQL server"}.`);
} catch (error) {
  if (error instanceof EnvError) for (const problem of error.problems) console.error(`config error: ${problem}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
