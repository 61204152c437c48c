// `npm run admin:grant -- --login NAME`: makes a signed-in-before person a working-group admin
// (and member). The operator's way to appoint the first admin; later ones are made in /admin.
import { parseArgs } from "node:util";
import { closeDatabase, db, prepareDatabase } from "#app/utils/db.server.ts";
import { EnvError } from "#app/utils/env.server.ts";
import { getUserByLogin } from "#app/models/people/users.server.ts";
import { grantAdmin } from "#app/models/people/admins.server.ts";
import { seedReference } from "#db/seed.ts";

try {
  const { values } = parseArgs({ options: { login: { type: "string" } } });
  const login = values.login?.replace(/^@/, "").trim();
  if (!login) {
    console.error("usage: npm run admin:grant -- --login GITHUB_LOGIN");
    process.exit(2);
  }
  await prepareDatabase();
  await seedReference(db());
  const user = await getUserByLogin(login);
  if (!user) {
    console.error(`No Roadies account has the login "${login}". The person must sign in once first.`);
    closeDatabase();
    process.exit(1);
  }
  const result = await grantAdmin(user.id, null);
  closeDatabase();
  if (!result.ok) {
    console.error(`@${user.login}: ${result.message}`);
    process.exit(1);
  }
  console.log(`@${user.login} is now a working-group admin and member for the next 6 months.`);
} catch (error) {
  if (error instanceof EnvError) for (const problem of error.problems) console.error(`config error: ${problem}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
