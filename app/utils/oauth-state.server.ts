// The OAuth state: a random state in a cookie (with where to go afterwards) for ten minutes, and
// its hash on the server, so that the state works once: the callback consumes it.
import { and, eq, gt, gte, lt } from "drizzle-orm";
import { clearCookie, cookieName, readCookie, serializeCookie } from "#app/utils/cookies.server.ts";
import { randomToken, safeEqual, sha256 } from "#app/utils/crypto.server.ts";
import { safeRedirectPath } from "#app/utils/redirects.ts";
import { db, schema } from "#app/utils/db.server.ts";

const oauthCookie = () => cookieName("roadies_oauth");
const TEN_MINUTES = 10 * 60;

// Server-side states live in app_state (key: prefix + SHA-256 of the state, value: expiry in ms).
const PREFIX = "oauth-state:";
const stateKey = (state: string) => `${PREFIX}${sha256(state)}`;
// Every key with the prefix, as a range on the primary key (";" is the character after ":").
const ofStates = () => and(gte(schema.appState.key, PREFIX), lt(schema.appState.key, "oauth-state;"));

export async function startOAuthState(next: string, now = Date.now()): Promise<{ state: string; setCookie: string }> {
  const state = randomToken(20);
  await db().batch([
    // Expired states go on the way: the table holds at most ten minutes of sign-in starts.
    db()
      .delete(schema.appState)
      .where(and(ofStates(), lt(schema.appState.value, now))),
    db()
      .insert(schema.appState)
      .values({ key: stateKey(state), value: now + TEN_MINUTES * 1000 }),
  ]);
  return {
    state,
    setCookie: serializeCookie(oauthCookie(), `${state}|${safeRedirectPath(next)}`, { maxAgeSeconds: TEN_MINUTES }),
  };
}

/**
 * The `next` path when `state` matches the cookie's and is still unused on the server; null for any
 * missing, unequal, expired or already used part. Checking consumes the state: the delete is one
 * statement, so of two callbacks with the same state (a replay, a race) only one gets it.
 */
export async function checkOAuthState(
  request: Request,
  state: string | null,
  now = Date.now(),
): Promise<{ next: string } | null> {
  const stored = readCookie(request, oauthCookie());
  if (!state || !stored) return null;
  const bar = stored.indexOf("|");
  const storedState = bar === -1 ? stored : stored.slice(0, bar);
  if (!storedState || !safeEqual(storedState, state)) return null;
  const consumed = await db()
    .delete(schema.appState)
    .where(and(eq(schema.appState.key, stateKey(state)), gt(schema.appState.value, now)))
    .returning({ key: schema.appState.key });
  if (consumed.length === 0) return null;
  return { next: safeRedirectPath(bar === -1 ? "/" : stored.slice(bar + 1)) };
}

export const clearOAuthState = () => clearCookie(oauthCookie());
