// People as Roadies knows them: created and kept up to date from their GitHub identity.
import { and, eq, ne, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { encryptSecret } from "#app/utils/crypto.server.ts";
import type { UserRow } from "#db/schema.ts";

export type GitHubIdentity = {
  id: number;
  login: string;
  name: string | null;
  avatarUrl: string | null;
  createdAt: number;
  email: string | null;
};

/**
 * Creates or updates the user for a GitHub account, keyed on GitHub's numeric id so that a
 * renamed login updates the same person. The access token is stored encrypted.
 */
export async function upsertUserFromGitHub(
  identity: GitHubIdentity,
  accessToken: string,
  now = Date.now(),
): Promise<{ user: UserRow; created: boolean }> {
  const u = schema.users;
  const existing = await db().select({ id: u.id }).from(u).where(eq(u.githubId, identity.id)).get();
  // Logins are unique on GitHub at any moment; if another account of ours still holds this one
  // (it was renamed and the name reused), move it aside until its owner signs in again.
  const releaseLogin = db()
    .update(u)
    .set({ login: sql`${u.login} || '~' || ${u.githubId}`, updatedAt: now })
    .where(and(sql`lower(${u.login}) = lower(${identity.login})`, ne(u.githubId, identity.id)));
  const fields = {
    login: identity.login,
    name: identity.name,
    avatarUrl: identity.avatarUrl,
    email: identity.email,
    githubCreatedAt: identity.createdAt,
    githubTokenEnc: encryptSecret(accessToken),
    updatedAt: now,
    lastSignInAt: now,
  };
  if (existing) {
    const [, [user]] = await db().batch([
      releaseLogin,
      db().update(u).set(fields).where(eq(u.id, existing.id)).returning(),
    ]);
    return { user: user!, created: false };
  }
  const [, [user]] = await db().batch([
    releaseLogin,
    db()
      .insert(u)
      .values({ ...fields, githubId: identity.id, createdAt: now })
      .returning(),
  ]);
  return { user: user!, created: true };
}

export function getUserByLogin(login: string) {
  return db()
    .select()
    .from(schema.users)
    .where(sql`lower(${schema.users.login}) = lower(${login})`)
    .get();
}
