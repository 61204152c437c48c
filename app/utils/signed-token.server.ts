// Signed, expiring tokens for one-click links in emails (renew a call, stay on as a roadie,
// unsubscribe): they work without signing in, for one purpose and one subject only.
import { createHmac } from "node:crypto";
import { env } from "#app/utils/env.server.ts";
import { safeEqual } from "#app/utils/crypto.server.ts";

export type TokenClaims = { purpose: string; subject: string; expiresAt: number };

function mac(payload: string): string {
  return createHmac("sha256", env().sessionSecret).update(`roadies-token:${payload}`).digest("base64url");
}

/** A URL-safe token: base64url(JSON claims) + "." + HMAC. */
export function createSignedToken(claims: TokenClaims): string {
  const payload = Buffer.from(JSON.stringify([claims.purpose, claims.subject, claims.expiresAt])).toString("base64url");
  return `${payload}.${mac(payload)}`;
}

/** The subject when the token is ours, for this purpose, and not expired; otherwise null. */
export function verifySignedToken(token: string, purpose: string, now = Date.now()): string | null {
  return verifySignedTokenFor(token, [purpose], now)?.subject ?? null;
}

/**
 * For a link that serves a family of purposes (unsubscribing from one kind of email each): the
 * purpose and subject when the token is ours, for one of `purposes`, and not expired.
 */
export function verifySignedTokenFor(
  token: string,
  purposes: readonly string[],
  now = Date.now(),
): { purpose: string; subject: string } | null {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined || !safeEqual(mac(payload), signature)) return null;
  try {
    const [tokenPurpose, subject, expiresAt] = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as [
      string,
      string,
      number,
    ];
    if (!purposes.includes(tokenPurpose) || typeof subject !== "string" || !(expiresAt > now)) return null;
    return { purpose: tokenPurpose, subject };
  } catch {
    return null;
  }
}
