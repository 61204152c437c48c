// Minimal cookie reading and writing, so every cookie attribute we set is visible in one place.
import { env } from "#app/utils/env.server.ts";

export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

type CookieOptions = { maxAgeSeconds: number };

/** An HttpOnly, SameSite=Lax, path=/ cookie; Secure whenever the app is served over https. */
export function serializeCookie(name: string, value: string, { maxAgeSeconds }: CookieOptions): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
  ];
  if (env().secureCookies) parts.push("Secure");
  return parts.join("; ");
}

export function clearCookie(name: string): string {
  return serializeCookie(name, "", { maxAgeSeconds: 0 });
}

/** `__Host-` cookies must be Secure, so the prefix is used only over https. */
export function cookieName(base: string): string {
  return env().secureCookies ? `__Host-${base}` : base;
}
