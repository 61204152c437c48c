// Digest preferences and unsubscribing with a signed token: who may get the digest, and when.
// (Suppressed addresses, from bounces and complaints, are the email module's: every email skips them.)
import { eq, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { createSignedToken, verifySignedToken } from "#app/utils/signed-token.server.ts";
import type { PreferencesInput } from "#app/models/digest/preferences.ts";
import { digestSections, type DigestFrequency, type DigestSection } from "#db/schema/digest.ts";
import { weekStart, weeksBetween } from "#app/models/digest/weeks.ts";
import { DAY_MS, isoDay } from "#app/utils/dates.ts";

export const UNSUBSCRIBE_PURPOSE = "unsubscribe:digest";
/** Unsubscribe links keep working for a long time: people find old emails. */
const UNSUBSCRIBE_TOKEN_DAYS = 400;

export type Preferences = {
  frequency: DigestFrequency;
  pausedUntil: string | null;
  sections: DigestSection[];
  dayOfWeek: number;
  unsubscribedAt: number | null;
};

export const defaultPreferences: Preferences = {
  frequency: "weekly",
  pausedUntil: null,
  sections: [...digestSections],
  dayOfWeek: 1,
  unsubscribedAt: null,
};

function parseSections(json: string): DigestSection[] {
  try {
    const value = JSON.parse(json) as unknown;
    if (!Array.isArray(value)) return [...digestSections];
    return digestSections.filter((s) => value.includes(s));
  } catch {
    return [...digestSections];
  }
}

export function toPreferences(row: typeof schema.digestPreferences.$inferSelect | undefined): Preferences {
  if (!row) return { ...defaultPreferences, sections: [...defaultPreferences.sections] };
  return {
    frequency: row.frequency,
    pausedUntil: row.pausedUntil,
    sections: parseSections(row.sections),
    dayOfWeek: row.dayOfWeek,
    unsubscribedAt: row.unsubscribedAt,
  };
}

export async function getPreferences(userId: number): Promise<Preferences> {
  const row = await db()
    .select()
    .from(schema.digestPreferences)
    .where(eq(schema.digestPreferences.userId, userId))
    .get();
  return toPreferences(row);
}

/** Saves the form; choosing any frequency but "off" also undoes an earlier unsubscribe. */
export async function savePreferences(userId: number, input: PreferencesInput, now = Date.now()): Promise<void> {
  const values = {
    frequency: input.frequency,
    pausedUntil: input.pausedUntil ?? null,
    sections: JSON.stringify(input.sections),
    dayOfWeek: input.dayOfWeek,
    unsubscribedAt: input.frequency === "off" ? (await getPreferences(userId)).unsubscribedAt : null,
    updatedAt: now,
  };
  await db()
    .insert(schema.digestPreferences)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: schema.digestPreferences.userId, set: values });
}

/** Why a person gets no digest this week, or null when they may get one. */
export type SkipReason =
  "unsubscribed" | "off" | "paused" | "not-this-week" | "not-their-day" | "suppressed" | "no-email";

/**
 * Whether this person's preferences let a digest go out in `week`. `lastSentWeek` is the week of
 * their last digest; "every 2 weeks" and "every 4 weeks" count from it.
 */
export function preferenceSkip(
  prefs: Preferences,
  week: string,
  lastSentWeek: string | null,
  now: number,
  honourDay: boolean,
): SkipReason | null {
  if (prefs.unsubscribedAt !== null) return "unsubscribed";
  if (prefs.frequency === "off") return "off";
  if (honourDay && weekStart(week)! + (prefs.dayOfWeek - 1) * DAY_MS > now) return "not-their-day";
  if (prefs.pausedUntil && prefs.pausedUntil >= isoDay(now)) return "paused";
  if (lastSentWeek && prefs.frequency !== "weekly") {
    const gap = weeksBetween(lastSentWeek, week);
    if (gap < (prefs.frequency === "biweekly" ? 2 : 4)) return "not-this-week";
  }
  return null;
}

// ---- Unsubscribing ----

/** The token in a digest's unsubscribe link: one person, the digest list, fixed per week (same email on a rerun). */
export function unsubscribeToken(userId: number, week: string): string {
  const expiresAt = (weekStart(week) ?? 0) + UNSUBSCRIBE_TOKEN_DAYS * DAY_MS;
  return createSignedToken({ purpose: UNSUBSCRIBE_PURPOSE, subject: String(userId), expiresAt });
}

export function unsubscribeUrl(userId: number, week: string): string {
  return `${env().appUrl}/unsubscribe/${unsubscribeToken(userId, week)}`;
}

export type UnsubscribeTarget = { userId: number; login: string; alreadyUnsubscribed: boolean };

/** Who a token unsubscribes, or null when the token is not valid (forged, expired, other purpose). */
export async function describeUnsubscribe(token: string, now = Date.now()): Promise<UnsubscribeTarget | null> {
  const subject = verifySignedToken(token, UNSUBSCRIBE_PURPOSE, now);
  const userId = subject && /^\d+$/.test(subject) ? Number(subject) : null;
  if (userId === null) return null;
  const user = await db()
    .select({ id: schema.users.id, login: schema.users.login })
    .from(schema.users)
    .where(eq(schema.users.id, userId))
    .get();
  if (!user) return null;
  const prefs = await getPreferences(userId);
  return { userId, login: user.login, alreadyUnsubscribed: prefs.unsubscribedAt !== null };
}

/** Stops the digest for the token's person. Idempotent; null when the token is not valid. */
export async function unsubscribeWithToken(token: string, now = Date.now()): Promise<UnsubscribeTarget | null> {
  const target = await describeUnsubscribe(token, now);
  if (!target) return null;
  if (!target.alreadyUnsubscribed) {
    await db()
      .insert(schema.digestPreferences)
      .values({ userId: target.userId, unsubscribedAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: schema.digestPreferences.userId,
        set: { unsubscribedAt: now, updatedAt: now },
        setWhere: sql`${schema.digestPreferences.unsubscribedAt} IS NULL`,
      });
  }
  return target;
}
