// Each person's switches for the kinds of email in the catalogue (db/schema/notifications.ts), and
// the one-click unsubscribe links of the periodic kinds. The email module asks `switchedOffAmong`
// before every send, so a kind the person switched off never leaves, whatever sends it.
import { and, eq, inArray, isNotNull, or } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { DAY_MS } from "#app/utils/dates.ts";
import { createSignedToken, verifySignedTokenFor } from "#app/utils/signed-token.server.ts";
import { emailKinds, isSwitchable, switchableEmailKinds, type EmailKind } from "#db/schema/notifications.ts";

/** Unsubscribe links keep working for a long time: people find old emails. */
export const UNSUBSCRIBE_TOKEN_DAYS = 400;

const switchKey = (userId: number, kind: EmailKind) => `${userId}:${kind}`;

/**
 * Which of these (person, kind) pairs are switched off, as `"<userId>:<kind>"`. Kinds that cannot
 * be switched off are never in it. The digest's switch is its own preferences (unsubscribed, or
 * "never"), read here too so the send path has one answer for every kind.
 */
export async function switchedOffAmong(pairs: { userId: number; kind: EmailKind }[]): Promise<Set<string>> {
  const off = new Set<string>();
  const wanted = pairs.filter((p) => isSwitchable(p.kind));
  const userIds = [...new Set(wanted.map((p) => p.userId))];
  // Well under SQLite's limit on bound variables per statement.
  for (let i = 0; i < userIds.length; i += 500) {
    const part = userIds.slice(i, i + 500);
    const p = schema.digestPreferences;
    // Both asked side by side: one round trip.
    const [rows, digestOff] = await Promise.all([
      db()
        .select({ userId: schema.emailOptOuts.userId, kind: schema.emailOptOuts.kind })
        .from(schema.emailOptOuts)
        .where(inArray(schema.emailOptOuts.userId, part))
        .all(),
      wanted.some((w) => w.kind === "digest")
        ? db()
            .select({ userId: p.userId })
            .from(p)
            .where(and(inArray(p.userId, part), or(isNotNull(p.unsubscribedAt), eq(p.frequency, "off"))))
            .all()
        : [],
    ]);
    for (const row of rows) off.add(switchKey(row.userId, row.kind));
    for (const row of digestOff) off.add(switchKey(row.userId, "digest"));
  }
  return new Set(wanted.map((p) => switchKey(p.userId, p.kind)).filter((k) => off.has(k)));
}

export function isSwitchedOff(switchedOff: Set<string>, userId: number, kind: EmailKind): boolean {
  return switchedOff.has(switchKey(userId, kind));
}

/** The kinds this person switched off (the digest included when its preferences say so). */
export async function switchedOffKinds(userId: number): Promise<EmailKind[]> {
  const off = await switchedOffAmong(switchableEmailKinds.map((kind) => ({ userId, kind })));
  return emailKinds.filter((kind) => off.has(switchKey(userId, kind)));
}

/**
 * Stores the switches of every switchable kind but the digest (whose switch is its preferences):
 * `on` lists the kinds the person keeps; the others are switched off.
 */
export async function saveSwitches(userId: number, on: readonly EmailKind[], now = Date.now()): Promise<void> {
  const kinds = switchableEmailKinds.filter((k) => k !== "digest");
  const off = kinds.filter((k) => !on.includes(k));
  const o = schema.emailOptOuts;
  await db().batch([
    db()
      .delete(o)
      .where(and(eq(o.userId, userId), inArray(o.kind, kinds))),
    ...(off.length
      ? [
          db()
            .insert(o)
            .values(off.map((kind) => ({ userId, kind, createdAt: now })))
            .onConflictDoNothing(),
        ]
      : []),
  ]);
}

/** Switches off one kind (not the digest, whose switch is its preferences). Idempotent. */
export async function switchOff(userId: number, kind: EmailKind, now = Date.now()): Promise<void> {
  if (!isSwitchable(kind) || kind === "digest") return;
  await db().insert(schema.emailOptOuts).values({ userId, kind, createdAt: now }).onConflictDoNothing();
}

// ---- One-click unsubscribe (RFC 8058) ----

const PURPOSE_PREFIX = "unsubscribe:";
export const unsubscribePurpose = (kind: EmailKind) => `${PURPOSE_PREFIX}${kind}`;
const unsubscribePurposes = switchableEmailKinds.map(unsubscribePurpose);

/**
 * The token of an unsubscribe link: one person, one kind. `issuedAt` must be fixed per email (the
 * ledger's claim time, the digest's week) so a rerun builds the same email.
 */
export function kindUnsubscribeToken(userId: number, kind: EmailKind, issuedAt: number): string {
  return createSignedToken({
    purpose: unsubscribePurpose(kind),
    subject: String(userId),
    expiresAt: issuedAt + UNSUBSCRIBE_TOKEN_DAYS * DAY_MS,
  });
}

/** The person and kind an unsubscribe token names, or null (forged, expired, not an unsubscribe). */
export function readUnsubscribeToken(token: string, now = Date.now()): { userId: number; kind: EmailKind } | null {
  const found = verifySignedTokenFor(token, unsubscribePurposes, now);
  if (!found || !/^\d+$/.test(found.subject)) return null;
  return { userId: Number(found.subject), kind: found.purpose.slice(PURPOSE_PREFIX.length) as EmailKind };
}

/** The page that confirms an unsubscribe; its `/one-click` is the RFC 8058 POST target. */
export function unsubscribePageUrl(token: string): string {
  return `${env().appUrl}/unsubscribe/${token}`;
}

/** `List-Unsubscribe` (the https one-click URL, plus mailto when configured) and `List-Unsubscribe-Post`. */
export function listUnsubscribeHeaders(userId: number, kind: EmailKind, token: string): Record<string, string> {
  const oneClick = `<${unsubscribePageUrl(token)}/one-click>`;
  const mailto = env().digest.unsubscribeMailto;
  const subject = kind === "digest" ? `unsubscribe%20${userId}` : `unsubscribe%20${kind}%20${userId}`;
  return {
    "List-Unsubscribe": mailto ? `${oneClick}, <mailto:${mailto}?subject=${subject}>` : oneClick,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}
