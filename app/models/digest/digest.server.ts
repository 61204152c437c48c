// Digest preferences and unsubscribing with a signed token: who may get the digest, and when.
// (Suppressed addresses, from bounces and complaints, are the email module's: every email skips them.)
import { eq, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import {
  kindUnsubscribeToken,
  readUnsubscribeToken,
  switchOff,
  switchedOffAmong,
  unsubscribePageUrl,
} from "#app/utils/email-preferences.server.ts";
import { emailCatalogue, type EmailKind } from "#db/schema/notifications.ts";
import type { PreferencesInput } from "#app/models/digest/preferences.ts";
import { digestSections, type DigestFrequency, type DigestSection } from "#db/schema/digest.ts";
import { weekStart, weeksBetween } from "#app/models/digest/weeks.ts";
import { DAY_MS, isoDay } from "#app/utils/dates.ts";

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
  return kindUnsubscribeToken(userId, "digest", weekStart(week) ?? 0);
}

export function unsubscribeUrl(userId: number, week: string): string {
  return unsubscribePageUrl(unsubscribeToken(userId, week));
}

export type UnsubscribeTarget = {
  userId: number;
  login: string;
  kind: EmailKind;
  label: string;
  alreadyUnsubscribed: boolean;
};

/**
 * Who a token unsubscribes, and from which kind of email, or null when the token is not valid
 * (forged, expired, other purpose). Digest links and every periodic email's links alike.
 */
export async function describeUnsubscribe(token: string, now = Date.now()): Promise<UnsubscribeTarget | null> {
  const named = readUnsubscribeToken(token, now);
  if (!named) return null;
  const { userId, kind } = named;
  const user = await db()
    .select({ id: schema.users.id, login: schema.users.login })
    .from(schema.users)
    .where(eq(schema.users.id, userId))
    .get();
  if (!user) return null;
  const off = await switchedOffAmong([{ userId, kind }]);
  return {
    userId,
    login: user.login,
    kind,
    label: emailCatalogue[kind].label,
    alreadyUnsubscribed: kind === "digest" ? (await getPreferences(userId)).unsubscribedAt !== null : off.size > 0,
  };
}

/** Stops the token's kind of email for its person, and only that kind. Idempotent; null when the token is not valid. */
export async function unsubscribeWithToken(token: string, now = Date.now()): Promise<UnsubscribeTarget | null> {
  const target = await describeUnsubscribe(token, now);
  if (!target) return null;
  if (!target.alreadyUnsubscribed) {
    if (target.kind === "digest") await stopDigest(target.userId, now);
    else await switchOff(target.userId, target.kind, now);
  }
  return target;
}

/** The digest's own switch: unsubscribed (kept apart from "never" so the page can say when). */
async function stopDigest(userId: number, now: number) {
  await db()
    .insert(schema.digestPreferences)
    .values({ userId, unsubscribedAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: schema.digestPreferences.userId,
      set: { unsubscribedAt: now, updatedAt: now },
      setWhere: sql`${schema.digestPreferences.unsubscribedAt} IS NULL`,
    });
}

/**
 * The digest's switch in the list of kinds: off unsubscribes; on undoes an unsubscribe or a
 * "never" (back to every week), keeping the other digest settings.
 */
export async function setDigestOn(userId: number, on: boolean, now = Date.now()): Promise<void> {
  const prefs = await getPreferences(userId);
  const isOn = prefs.unsubscribedAt === null && prefs.frequency !== "off";
  if (on === isOn) return;
  if (!on) return stopDigest(userId, now);
  const frequency = prefs.frequency === "off" ? "weekly" : prefs.frequency;
  await db()
    .insert(schema.digestPreferences)
    .values({ userId, frequency, unsubscribedAt: null, updatedAt: now })
    .onConflictDoUpdate({
      target: schema.digestPreferences.userId,
      set: { frequency, unsubscribedAt: null, updatedAt: now },
    });
}
