// The OAuth state cookie: random state plus where to go afterwards, for ten minutes.
import { clearCookie, cookieName, readCookie, serializeCookie } from "#app/utils/cookies.server.ts";
import { randomToken, safeEqual } from "#app/utils/crypto.server.ts";
import { safeRedirectPath } from "#app/utils/auth.server.ts";

const oauthCookie = () => cookieName("roadies_oauth");
const TEN_MINUTES = 10 * 60;

export function startOAuthState(next: string): { state: string; setCookie: string } {
  const state = randomToken(20);
  return {
    state,
    setCookie: serializeCookie(oauthCookie(), `${state}|${safeRedirectPath(next)}`, { maxAgeSeconds: TEN_MINUTES }),
  };
}

/** The `next` path when `state` matches the stored one; null for any missing or unequal part. */
export function checkOAuthState(request: Request, state: string | null): { next: string } | null {
  const stored = readCookie(request, oauthCookie());
  if (!state || !stored) return null;
  const bar = stored.indexOf("|");
  const storedState = bar === -1 ? stored : stored.slice(0, bar);
  if (!storedState || !safeEqual(storedState, state)) return null;
  return { next: safeRedirectPath(bar === -1 ? "/" : stored.slice(bar + 1)) };
}

export const clearOAuthState = () => clearCookie(oauthCookie());
