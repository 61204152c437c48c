// Server-side sessions: the cookie holds "<id>.<secret>"; the database holds only SHA-256(secret).
import { and, desc, eq, lt, ne, sql } from "drizzle-orm";
import { db, prepared, schema } from "#app/utils/db.server.ts";
import { clearCookie, cookieName, readCookie, serializeCookie } from "#app/utils/cookies.server.ts";
import { randomToken, safeEqual, sha256 } from "#app/utils/crypto.server.ts";
import type { Session, User } from "#db/schema.ts";
import { isDatabaseBusy } from "#app/utils/database-busy.server.ts";
import { log } from "#app/utils/log.server.ts";
import { personColumns } from "#app/models/people/powers.server.ts";
import { DAY_MS, MINUTE_MS } from "#app/utils/dates.ts";

export const SESSION_TTL_MS = 30 * DAY_MS;
/** Sliding expiry is written at most this often, so reads do not turn into writes. */
const TOUCH_INTERVAL_MS = 5 * MINUTE_MS;

export const sessionCookie = () => cookieName("roadies_session");

/** `user.isAdmin` is the effective admin right (flag + current working-group stint), not the raw column. */
export type SessionWithUser = { session: Session; user: User };

/** Creates a session for a user: 80 random bits of id plus 160 of secret. */
export async function createSession(userId: number, userAgent: string | null, now = Date.now()) {
  const id = randomToken(10);
  const secret = randomToken(20);
  const session = {
    id,
    secretHash: sha256(secret),
    userId,
    userAgent: userAgent?.slice(0, 300) ?? null,
    createdAt: now,
    lastUsedAt: now,
    expiresAt: now + SESSION_TTL_MS,
  };
  await db().insert(schema.sessions).values(session);
  return { token: `${id}.${secret}`, session };
}

/**
 * The session and its user, read on every signed-in request: built once (db.server.ts `prepared`).
 * Every power check downstream reads this user: its isAdmin is derived from the source of the right
 * (a current working-group stint), so a voted-out or lapsed admin holds nothing.
 */
const sessionWithUser = prepared((d) =>
  d
    .select({ session: schema.sessions, user: personColumns(sql`${sql.placeholder("now")}`) })
    .from(schema.sessions)
    .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
    // A suspended account's sessions are deleted when it is suspended; this check also covers a
    // session created in the same instant, so a suspension can never be outrun.
    .where(
      and(
        eq(schema.sessions.id, sql.placeholder("id")),
        sql`NOT EXISTS (SELECT 1 FROM account_suspensions WHERE account_suspensions.user_id = ${schema.sessions.userId})`,
      ),
    )
    .prepare(),
);

/** Checks a token; extends the session's expiry (sliding) when it is in use. */
export async function validateSessionToken(token: string, now = Date.now()): Promise<SessionWithUser | null> {
  const [id, secret, extra] = token.split(".");
  if (!id || !secret || extra !== undefined) return null;
  const row = await sessionWithUser().get({ id, now });
  if (!row) return null;
  if (!safeEqual(sha256(secret), row.session.secretHash)) return null;
  if (row.session.expiresAt <= now) {
    await deleteSession(id);
    return null;
  }
  if (now - row.session.lastUsedAt >= TOUCH_INTERVAL_MS) {
    const expiresAt = now + SESSION_TTL_MS;
    try {
      await db().update(schema.sessions).set({ lastUsedAt: now, expiresAt }).where(eq(schema.sessions.id, id));
      row.session.lastUsedAt = now;
      row.session.expiresAt = expiresAt;
    } catch (error) {
      // Sliding the expiry is housekeeping: a locked database must not turn a page view into a 503.
      // The next request after the lock is gone slides it instead.
      if (!isDatabaseBusy(error)) throw error;
      log.warn("session touch skipped: database busy", { userId: row.user.id });
    }
  }
  return row;
}

export async function deleteSession(id: string) {
  await db().delete(schema.sessions).where(eq(schema.sessions.id, id));
}

export async function deleteOtherSessions(userId: number, keepId: string) {
  await db()
    .delete(schema.sessions)
    .where(and(eq(schema.sessions.userId, userId), ne(schema.sessions.id, keepId)));
}

export async function deleteExpiredSessions(now = Date.now()) {
  await db().delete(schema.sessions).where(lt(schema.sessions.expiresAt, now));
}

export function listSessions(userId: number) {
  return db()
    .select({
      id: schema.sessions.id,
      userAgent: schema.sessions.userAgent,
      createdAt: schema.sessions.createdAt,
      lastUsedAt: schema.sessions.lastUsedAt,
    })
    .from(schema.sessions)
    .where(eq(schema.sessions.userId, userId))
    .orderBy(desc(schema.sessions.lastUsedAt))
    .all();
}

export function readSessionToken(request: Request): string | null {
  return readCookie(request, sessionCookie());
}

// The server decides when a session ends (30 days after last use); the cookie simply outlives it,
// so that the sliding expiry never needs a Set-Cookie on ordinary page views.
const COOKIE_MAX_AGE_SECONDS = 400 * 24 * 60 * 60;

export function sessionSetCookie(token: string): string {
  return serializeCookie(sessionCookie(), token, { maxAgeSeconds: COOKIE_MAX_AGE_SECONDS });
}

export function sessionClearCookie(): string {
  return clearCookie(sessionCookie());
}
