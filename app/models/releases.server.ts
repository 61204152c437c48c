// Django's feature releases and their support windows (reference data seeded at start-up).
import { desc } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";

export async function listDjangoReleases() {
  const rows = await db().select().from(schema.djangoReleases).orderBy(desc(schema.djangoReleases.sortKey)).all();
  return rows.map((r) => ({ ...r, pythonVersions: JSON.parse(r.pythonVersions) as string[] }));
}
