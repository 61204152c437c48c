// Resend's webhooks (bounces and complaints), signed the Svix way: HMAC-SHA256 with the endpoint
// secret over "<svix-id>.<svix-timestamp>.<raw body>", base64, in `svix-signature` as "v1,<sig>"
// (several, space-separated, while a secret is being rotated). Each svix-id is processed once.
import { createHmac, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { log } from "#app/utils/log.server.ts";
import { normalizeAddress, suppressAddress } from "#app/models/digest.server.ts";
import type { SuppressionReason } from "#db/schema/digest.ts";

/** Svix's default: a message older or newer than 5 minutes is refused (replay protection). */
export const WEBHOOK_TOLERANCE_MS = 5 * 60 * 1000;

export type SvixHeaders = { id: string | null; timestamp: string | null; signature: string | null };

/** Signs like Svix does; used by verification, the tests and the benchmark's stand-in. */
export function svixSignature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
  return createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
}

export function verifySvix(secret: string | undefined, headers: SvixHeaders, body: string, now = Date.now()): boolean {
  if (!secret || !headers.id || !headers.timestamp || !headers.signature) return false;
  if (!/^\d+$/.test(headers.timestamp)) return false;
  const sentAt = Number(headers.timestamp) * 1000;
  if (Math.abs(now - sentAt) > WEBHOOK_TOLERANCE_MS) return false;
  const expected = Buffer.from(svixSignature(secret, headers.id, headers.timestamp, body));
  return headers.signature.split(" ").some((part) => {
    const [version, signature] = part.split(",");
    if (version !== "v1" || !signature) return false;
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

type ResendEvent = {
  type?: string;
  data?: { to?: string[] | string; bounce?: { type?: string } };
};

/** What an event means for the addresses in it: null when it needs nothing from us. */
export function suppressionOf(event: ResendEvent): SuppressionReason | null {
  if (event.type === "email.complained") return "complained";
  if (event.type === "email.bounced") {
    // Resend reports "Permanent", "Transient" or "Undetermined"; only a permanent bounce is hard.
    const kind = event.data?.bounce?.type;
    return kind === undefined || kind === "Permanent" ? "bounced" : null;
  }
  return null;
}

export type WebhookOutcome = { status: 200 | 400 | 401; message: string };

/** Verifies, deduplicates and applies one webhook delivery. */
export async function handleResendWebhook(
  secret: string | undefined,
  headers: SvixHeaders,
  body: string,
  now = Date.now(),
): Promise<WebhookOutcome> {
  if (!verifySvix(secret, headers, body, now)) return { status: 401, message: "invalid signature" };
  let event: ResendEvent;
  try {
    event = JSON.parse(body) as ResendEvent;
  } catch {
    return { status: 400, message: "the body is not JSON" };
  }
  const id = headers.id!;
  const seen = await db().select().from(schema.webhookEvents).where(eq(schema.webhookEvents.id, id)).get();
  if (seen) return { status: 200, message: "already processed" };
  const reason = suppressionOf(event);
  const to = event.data?.to;
  const addresses = (Array.isArray(to) ? to : to ? [to] : []).filter((a) => typeof a === "string");
  if (reason) for (const address of addresses) await suppressAddress(normalizeAddress(address), reason, now);
  await db()
    .insert(schema.webhookEvents)
    .values({ id, type: String(event.type ?? "unknown").slice(0, 100), receivedAt: now })
    .onConflictDoNothing();
  log.info("resend webhook processed", { svixId: id, type: event.type, suppressed: reason ? addresses.length : 0 });
  return { status: 200, message: reason ? `suppressed (${reason})` : "ignored" };
}
