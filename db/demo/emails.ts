// Demo data for email addresses: one persona who receives Roadies' email at a second, verified
// address she chose (her work address), and one who added an address and has not followed its
// link yet. Addresses use the .invalid domain (RFC 2606), like every demo address: none can leave.
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../app/utils/db.server.ts";
import { userEmails, users } from "../schema.ts";

const DAY = 24 * 60 * 60 * 1000;

export async function seedEmailAddresses(db: Database, now: number): Promise<void> {
  const people = await db
    .select({ id: users.id, login: users.login })
    .from(users)
    .where(and(inArray(users.login, ["chiara-demo", "dev-demo"]), eq(users.isDemo, true)))
    .all();
  const id = (login: string) => people.find((p) => p.login === login)?.id;
  const chiara = id("chiara-demo");
  const dev = id("dev-demo");
  const rows = [
    ...(chiara
      ? [
          {
            userId: chiara,
            address: "chiara-demo@maintainers.demo.roadies.invalid",
            verifiedAt: now - 20 * DAY,
            forNotifications: true,
            verificationSentAt: now - 20 * DAY - 5 * 60 * 1000,
            createdAt: now - 20 * DAY - 5 * 60 * 1000,
          },
        ]
      : []),
    ...(dev
      ? [
          {
            userId: dev,
            address: "dev.second@demo.roadies.invalid",
            verificationSentAt: now - 2 * 60 * 60 * 1000,
            createdAt: now - 2 * 60 * 60 * 1000,
          },
        ]
      : []),
  ];
  if (rows.length) await db.insert(userEmails).values(rows).onConflictDoNothing();
}
