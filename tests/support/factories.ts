// Rows for tests, written straight to this file's database: people, admins (an admin is someone
// with a current working-group stint: the adminFlag alone grants nothing), packages with verified
// maintainers, calls, and the session cookie of a person.
import { db, schema } from "#app/utils/db.server.ts";
import { createSession, sessionSetCookie } from "#app/models/people/sessions.server.ts";

const DAY = 24 * 60 * 60 * 1000;
// Far from the ids the stand-ins and the demo seed use.
let nextGithubId = 900_000;

type UserInsert = typeof schema.users.$inferInsert;

/** A person who signed in once; `login@example.org` unless `email` says otherwise. */
export async function makeUser(login: string, overrides: Partial<UserInsert> = {}) {
  const at = overrides.createdAt ?? Date.now();
  const [user] = await db()
    .insert(schema.users)
    .values({
      githubId: nextGithubId++,
      login,
      name: login.toUpperCase(),
      email: `${login}@example.org`,
      createdAt: at,
      updatedAt: at,
      ...overrides,
    })
    .returning();
  return user!;
}

/**
 * A working-group admin: the flag plus an active stint from `since` until a year after the real
 * clock (some checks read the clock itself, so the stint must outlast the test run).
 */
export async function makeAdmin(
  login: string,
  { since = 0, ...overrides }: Partial<UserInsert> & { since?: number } = {},
) {
  const user = await makeUser(login, { adminFlag: true, ...overrides });
  await db()
    .insert(schema.memberships)
    .values({
      userId: user.id,
      role: "working_group",
      status: "active",
      startedAt: since,
      termEndsAt: Date.now() + 365 * DAY,
    });
  return user;
}

/** A package and its maintainers, verified unless `verified: false` (an invitation not yet taken up). */
export async function makePackage(
  name: string,
  maintainers: { id: number; login: string }[] = [],
  {
    verified = true,
    at = Date.now(),
    ...overrides
  }: { verified?: boolean; at?: number } & Partial<typeof schema.packages.$inferInsert> = {},
) {
  const [row] = await db()
    .insert(schema.packages)
    .values({ name, normalizedName: name.toLowerCase(), createdAt: at, updatedAt: at, ...overrides })
    .returning();
  for (const m of maintainers) {
    await db()
      .insert(schema.packageMaintainers)
      .values({
        packageId: row!.id,
        userId: m.id,
        githubLogin: m.login,
        verifiedAt: verified ? at : null,
        createdAt: at,
      });
  }
  return row!;
}

/** An open call of a package, posted by `poster`, expiring 60 days after it was posted. */
export async function makeCall(
  packageId: number,
  poster: { id: number },
  overrides: Partial<typeof schema.calls.$inferInsert> = {},
) {
  const at = overrides.createdAt ?? Date.now();
  const [row] = await db()
    .insert(schema.calls)
    .values({
      packageId,
      kind: "co-maintainer",
      title: "A call from the test factory",
      description: "Help us review pull requests and cut releases.",
      hoursPerWeek: 2,
      urgency: "normal",
      expiresOn: new Date(at + 60 * DAY).toISOString().slice(0, 10),
      postedByUserId: poster.id,
      createdAt: at,
      updatedAt: at,
      ...overrides,
    })
    .returning();
  return row!;
}

/** The Cookie header of a new session of this person. */
export async function cookieFor(userId: number): Promise<string> {
  const { token } = await createSession(userId, null);
  return sessionSetCookie(token).split(";")[0]!;
}
