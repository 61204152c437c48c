// A person's email addresses: the one GitHub reported, the ones they added (each verified by a
// link sent to it), and the choice of which verified one receives Roadies' email. Where an email
// actually goes is decided by app/utils/email-address.server.ts from what is stored here.
import { createHash } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { HOUR_MS, MINUTE_MS } from "#app/utils/dates.ts";
import { addressFor } from "#app/utils/email-address.server.ts";
import { sendEmail } from "#app/utils/email.server.ts";
import { normalizeAddress } from "#app/utils/email-suppressions.server.ts";
import { hitRateLimit } from "#app/utils/rate-limit.server.ts";
import { createSignedToken, verifySignedToken } from "#app/utils/signed-token.server.ts";
import { MAX_ADDED_ADDRESSES } from "#app/models/people/email-forms.ts";
import { emailVerificationEmail } from "#emails/people-email-verification.tsx";
import { peopleNotice } from "#emails/people-notice.tsx";
import type { UserEmail } from "#db/schema.ts";

/** How long a verification link works. */
export const VERIFICATION_HOURS = 24;
/** A new link for the same address is refused this soon after the last one. */
export const RESEND_AFTER_MS = MINUTE_MS;
/** Verification emails a person may cause per day, whatever the addresses: no spamming strangers. */
const verificationRule = { name: "email-verification", limit: 10, windowMs: 24 * HOUR_MS };

const PURPOSE = "verify-email";
const e = schema.userEmails;

export type AddressOverview = {
  /** The primary, verified address GitHub reported, or null. */
  github: string | null;
  added: Pick<UserEmail, "id" | "address" | "verifiedAt" | "forNotifications" | "verificationSentAt">[];
  /** Where Roadies' email goes now (null: nowhere). */
  delivery: string | null;
};

export async function listAddresses(userId: number): Promise<AddressOverview> {
  const [user, added, delivery] = await Promise.all([
    db().select({ email: schema.users.email }).from(schema.users).where(eq(schema.users.id, userId)).get(),
    db()
      .select({
        id: e.id,
        address: e.address,
        verifiedAt: e.verifiedAt,
        forNotifications: e.forNotifications,
        verificationSentAt: e.verificationSentAt,
      })
      .from(e)
      .where(eq(e.userId, userId))
      .orderBy(asc(e.createdAt), asc(e.id))
      .all(),
    addressFor(userId),
  ]);
  return { github: user?.email ?? null, added, delivery };
}

/** What the account export says about addresses. */
export function exportAddresses(userId: number) {
  return db()
    .select({
      address: e.address,
      verifiedAt: e.verifiedAt,
      forNotifications: e.forNotifications,
      createdAt: e.createdAt,
    })
    .from(e)
    .where(eq(e.userId, userId))
    .orderBy(asc(e.id))
    .all();
}

type Refusal = { ok: false; field?: "address"; message: string };
type Done = { ok: true };

/** Adds an address and sends its verification link to it. */
export async function addAddress(userId: number, address: string, now = Date.now()): Promise<Done | Refusal> {
  const overview = await listAddresses(userId);
  const wanted = normalizeAddress(address);
  if (overview.github && normalizeAddress(overview.github) === wanted)
    return { ok: false, field: "address", message: "That is already your address from GitHub." };
  if (overview.added.some((a) => normalizeAddress(a.address) === wanted))
    return { ok: false, field: "address", message: "You added that address already." };
  if (overview.added.length >= MAX_ADDED_ADDRESSES)
    return {
      ok: false,
      message: `You can add at most ${MAX_ADDED_ADDRESSES} addresses. Remove one before adding another.`,
    };
  const [row] = await db()
    .insert(e)
    .values({ userId, address: address.trim(), createdAt: now })
    .onConflictDoNothing()
    .returning({ id: e.id });
  if (!row) return { ok: false, field: "address", message: "You added that address already." };
  return sendVerification(userId, row.id, now);
}

/** Sends a new verification link for an added, unverified address. */
export async function resendVerification(userId: number, id: number, now = Date.now()): Promise<Done | Refusal> {
  return sendVerification(userId, id, now);
}

async function sendVerification(userId: number, id: number, now: number): Promise<Done | Refusal> {
  const row = await db()
    .select({ address: e.address, verifiedAt: e.verifiedAt, sentAt: e.verificationSentAt, login: schema.users.login })
    .from(e)
    .innerJoin(schema.users, eq(schema.users.id, e.userId))
    .where(and(eq(e.id, id), eq(e.userId, userId)))
    .get();
  if (!row) return { ok: false, message: "That address is not on your account." };
  if (row.verifiedAt !== null) return { ok: false, message: "That address is already verified." };
  if (row.sentAt !== null && now - row.sentAt < RESEND_AFTER_MS)
    return { ok: false, message: "A link was sent less than a minute ago: check that inbox (and its spam folder)." };
  const limit = await hitRateLimit(verificationRule, String(userId), now);
  if (!limit.allowed) return { ok: false, message: "You asked for many verification links today. Try again tomorrow." };
  // Claimed before sending, so two quick clicks send one link.
  const claimed = await db()
    .update(e)
    .set({ verificationSentAt: now })
    .where(
      and(
        eq(e.id, id),
        row.sentAt === null ? sql`${e.verificationSentAt} IS NULL` : eq(e.verificationSentAt, row.sentAt),
      ),
    )
    .returning({ id: e.id });
  if (claimed.length === 0)
    return { ok: false, message: "A link was sent less than a minute ago: check that inbox (and its spam folder)." };
  const appUrl = env().appUrl;
  const token = verificationToken(userId, id, row.address, now);
  const { subject, react } = emailVerificationEmail({
    login: row.login,
    address: row.address,
    verifyUrl: `${appUrl}/verify-email/${token}`,
    hours: VERIFICATION_HOURS,
    appUrl,
  });
  const result = await sendEmail({
    to: row.address,
    exactAddress: true,
    subject,
    react,
    template: "people-email-verification",
    kind: "account-email-verification",
    idempotencyKey: `email-verification:${id}:${now}`,
    userId,
  });
  if (!result.ok) return { ok: false, message: "The verification email could not be sent. Try again in a moment." };
  return { ok: true };
}

const addressHash = (address: string) =>
  createHash("sha256").update(normalizeAddress(address)).digest("base64url").slice(0, 22);

/** The link's token: one person, one added address (by id and by its text), for a day. */
export function verificationToken(userId: number, id: number, address: string, issuedAt: number): string {
  return createSignedToken({
    purpose: PURPOSE,
    subject: `${userId}.${id}.${addressHash(address)}`,
    expiresAt: issuedAt + VERIFICATION_HOURS * HOUR_MS,
  });
}

type Target = { userId: number; id: number; login: string; address: string; verifiedAt: number | null };

/** The added address a token names, or null (forged, expired, removed since, or not a verification). */
async function readVerification(token: string, now: number): Promise<Target | null> {
  const subject = verifySignedToken(token, PURPOSE, now);
  const match = subject?.match(/^(\d+)\.(\d+)\.([\w-]+)$/);
  if (!match) return null;
  const row = await db()
    .select({ userId: e.userId, id: e.id, login: schema.users.login, address: e.address, verifiedAt: e.verifiedAt })
    .from(e)
    .innerJoin(schema.users, eq(schema.users.id, e.userId))
    .where(and(eq(e.id, Number(match[2])), eq(e.userId, Number(match[1]))))
    .get();
  if (!row || addressHash(row.address) !== match[3]) return null;
  return row;
}

/** For the confirmation page: whose address and which, or null. GET changes nothing. */
export async function describeVerification(token: string, now = Date.now()) {
  const target = await readVerification(token, now);
  return target ? { login: target.login, address: target.address, verified: target.verifiedAt !== null } : null;
}

/** Marks the address verified. Null when the token is not valid (nothing changes then). */
export async function verifyAddress(token: string, now = Date.now()) {
  const target = await readVerification(token, now);
  if (!target) return null;
  if (target.verifiedAt === null)
    await tellPreviousAddress(target.userId, now, () =>
      db()
        .update(e)
        .set({ verifiedAt: now })
        .where(and(eq(e.id, target.id), sql`${e.verifiedAt} IS NULL`)),
    );
  return { login: target.login, address: target.address, userId: target.userId };
}

/**
 * Makes a change to the person's addresses; when it moves their email elsewhere, the address that
 * received it until now is told where it goes (an account-security notice: someone with the
 * person's session could otherwise take their email away unnoticed).
 */
async function tellPreviousAddress<T>(userId: number, now: number, change: () => Promise<T>): Promise<T> {
  const before = await addressFor(userId);
  const result = await change();
  const after = await addressFor(userId);
  if (!before || (after && normalizeAddress(after) === normalizeAddress(before))) return result;
  const appUrl = env().appUrl;
  const { subject, react } = peopleNotice("Your Roadies email goes to another address now", {
    appUrl,
    heading: "Your email address on Roadies changed",
    paragraphs: [
      after
        ? `From now on, Roadies sends your email to ${after} instead of this address.`
        : "Roadies no longer has an address to send your email to, so this is the last email this address gets from us.",
      "If you did not change this, sign in to Roadies, check your email settings, and sign out of the sessions you do not know.",
    ],
    action: { href: `${appUrl}/settings/email`, label: "Open your email settings" },
    reason: "You receive this at the address that received your Roadies email until now.",
  });
  await sendEmail({
    to: before,
    exactAddress: true,
    subject,
    react,
    template: "people-email-changed",
    kind: "account-security",
    idempotencyKey: `email-address-changed:${userId}:${now}`,
    userId,
  });
  return result;
}

/** Removes an added address; the GitHub one (or the oldest other verified one) takes over. */
export async function removeAddress(userId: number, id: number, now = Date.now()): Promise<Done | Refusal> {
  const removed = await tellPreviousAddress(userId, now, () =>
    db()
      .delete(e)
      .where(and(eq(e.id, id), eq(e.userId, userId)))
      .returning({ id: e.id }),
  );
  return removed.length ? { ok: true } : { ok: false, message: "That address is not on your account." };
}

/** Chooses where Roadies' email goes: "github" or the id of a verified added address. */
export async function chooseAddress(
  userId: number,
  choice: "github" | number,
  now = Date.now(),
): Promise<Done | Refusal> {
  if (choice === "github") {
    const user = await db()
      .select({ email: schema.users.email })
      .from(schema.users)
      .where(eq(schema.users.id, userId))
      .get();
    if (!user?.email) return { ok: false, message: "GitHub gave us no address for you: choose one you added." };
    await tellPreviousAddress(userId, now, () =>
      db().update(e).set({ forNotifications: false }).where(eq(e.userId, userId)),
    );
    return { ok: true };
  }
  const row = await db()
    .select({ verifiedAt: e.verifiedAt })
    .from(e)
    .where(and(eq(e.id, choice), eq(e.userId, userId)))
    .get();
  if (!row) return { ok: false, message: "That address is not on your account." };
  if (row.verifiedAt === null)
    return { ok: false, message: "Verify that address first: follow the link we sent to it." };
  await tellPreviousAddress(userId, now, () =>
    db().batch([
      db().update(e).set({ forNotifications: false }).where(eq(e.userId, userId)),
      db()
        .update(e)
        .set({ forNotifications: true })
        .where(and(eq(e.id, choice), eq(e.userId, userId), sql`${e.verifiedAt} IS NOT NULL`)),
    ]),
  );
  return { ok: true };
}
