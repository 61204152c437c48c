// What the header needs to know about a signed-in person's roles, in one query (the root loader
// runs on every page). The rules come from their homes: roles from powers.server.ts, a verified
// maintainer from packages/maintainers.server.ts; navigation-labels.ts turns the answer into links.
import { desc, eq, sql } from "drizzle-orm";
import { prepared, schema } from "#app/utils/db.server.ts";
import { hasRoleSql } from "#app/models/people/powers.server.ts";
import { verifiedRowSql } from "#app/models/packages/maintainers.server.ts";
import type { NavigationPowers } from "#app/models/people/navigation-labels.ts";

/** The header's question, built once (db.server.ts `prepared`); the person's id and the time vary. */
const navigationQuery = prepared((d) => {
  const u = schema.users;
  const pm = schema.packageMaintainers;
  const o = schema.programOrganisers;
  const pr = schema.programs;
  const vp = schema.volunteerProfiles;
  // The person's id goes in as a value, not as the outer column: drizzle writes a single-table
  // query's columns unqualified, and an unqualified "id" inside a subquery is the subquery's own.
  const userId = sql`${sql.placeholder("userId")}`;
  const now = sql`${sql.placeholder("now")}`;
  const newestOrganised = (column: typeof pr.slug | typeof pr.name) =>
    d
      .select({ value: column })
      .from(o)
      .innerJoin(pr, eq(pr.id, o.programId))
      .where(eq(o.userId, userId))
      .orderBy(desc(pr.opensAt), desc(pr.id))
      .limit(1);
  return d
    .select({
      workingGroup: sql<number>`${hasRoleSql(userId, ["working_group"], now)}`,
      roadie: sql<number>`${hasRoleSql(userId, ["roadie"], now)}`,
      maintainer: sql<number>`EXISTS (SELECT 1 FROM ${pm} WHERE ${pm.userId} = ${userId} AND ${verifiedRowSql})`,
      volunteer: sql<number>`EXISTS (SELECT 1 FROM ${vp} WHERE ${vp.userId} = ${userId})`,
      organisesSlug: sql<string | null>`(${newestOrganised(pr.slug)})`,
      organisesName: sql<string | null>`(${newestOrganised(pr.name)})`,
    })
    .from(u)
    .where(eq(u.id, userId))
    .prepare();
});

export async function loadNavigationPowers(
  user: { id: number; isAdmin: boolean },
  now = Date.now(),
): Promise<NavigationPowers> {
  const row = await navigationQuery().get({ userId: user.id, now });
  return {
    admin: user.isAdmin,
    workingGroup: Boolean(Number(row?.workingGroup ?? 0)),
    roadie: Boolean(Number(row?.roadie ?? 0)),
    maintainer: Boolean(Number(row?.maintainer ?? 0)),
    volunteer: Boolean(Number(row?.volunteer ?? 0)),
    organises: row?.organisesSlug && row.organisesName ? { slug: row.organisesSlug, name: row.organisesName } : null,
  };
}
