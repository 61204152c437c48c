// The one home of "which address does an email to this person go to". Every sender selects
// `deliveryAddress` (a column expression over `users`) instead of `users.email`, and the send path
// (app/utils/email.server.ts) resolves the address again from the email's `userId` with
// `addressesFor`, so no email to a person can reach an address they did not choose or verify.
//
// The rule, in order: the verified address the person chose for notifications; else the primary,
// verified address GitHub reported (`users.email`); else their oldest verified added address; else
// none. An added address that is not verified never receives anything but its verification link.
import { getTableName, inArray, sql, type SQL } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";

type UsersLike = { id: typeof schema.users.id; email: typeof schema.users.email };

/** `"table"."column"`: always qualified, which a correlated subquery needs (drizzle leaves it out in a one-table select). */
function qualified(table: string, column: { name: string }): SQL {
  return sql`${sql.identifier(table)}.${sql.identifier(column.name)}`;
}

/** The address column for a query over `users` (or an alias of it: pass the alias). */
export function deliveryAddressOf(u: UsersLike): SQL<string | null> {
  const e = schema.userEmails;
  const outer = getTableName(u.id.table);
  const inner = getTableName(e);
  const ue = (column: { name: string }) => qualified(inner, column);
  const userId = qualified(outer, u.id);
  const verified = sql`${ue(e.userId)} = ${userId} AND ${ue(e.verifiedAt)} IS NOT NULL`;
  return sql<string | null>`coalesce(
    (SELECT ${ue(e.address)} FROM ${e} WHERE ${verified} AND ${ue(e.forNotifications)} = 1 LIMIT 1),
    ${qualified(outer, u.email)},
    (SELECT ${ue(e.address)} FROM ${e} WHERE ${verified} ORDER BY ${ue(e.verifiedAt)}, ${ue(e.id)} LIMIT 1)
  )`;
}

/** `deliveryAddressOf(schema.users)`: select it as `email: deliveryAddress` in a sender's query. */
export const deliveryAddress: SQL<string | null> = deliveryAddressOf(schema.users);

/** Each person's delivery address (null: none to write to). */
export async function addressesFor(userIds: readonly number[]): Promise<Map<number, string | null>> {
  const found = new Map<number, string | null>();
  const ids = [...new Set(userIds)];
  // Well under SQLite's limit on bound variables per statement.
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db()
      .select({ id: schema.users.id, address: deliveryAddress })
      .from(schema.users)
      .where(inArray(schema.users.id, ids.slice(i, i + 500)))
      .all();
    for (const row of rows) found.set(row.id, row.address);
  }
  return found;
}

/** One person's delivery address, or null. */
export async function addressFor(userId: number): Promise<string | null> {
  return (await addressesFor([userId])).get(userId) ?? null;
}
