// Resend's webhooks (bounces and complaints), signed the Svix way, which is the Standard Webhooks
// scheme under other header names. The signature is checked by the maintained `standardwebhooks`
// implementation (constant-time compare, several signatures while a secret rotates, 5 minutes'
// tolerance either way), not by hand. Each svix-id is processed once.
import { Webhook } from "standardwebhooks";
import { eq } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { log } from "#app/utils/log.server.ts";
import { parseJsonBounded } from "#app/utils/form.server.ts";
import { normalizeAddress, suppressAddress } from "#app/utils/email-suppressions.server.ts";
import type { SuppressionReason } from "#db/schema/core.ts";

export type SvixHeaders = { id: string | null; timestamp: string | null; signature: string | null };

/**
 * True when the body was signed with `secret` (a Resend "whsec_…" signing secret) less than 5 minutes
 * ago or ahead. Resend sends svix-id/svix-timestamp/svix-signature; Standard Webhooks names the same
 * values webhook-id/webhook-timestamp/webhook-signature. A missing or malformed secret verifies nothing.
 */
export function verifySvix(secret: string | undefined, headers: SvixHeaders, body: string): boolean {
  if (!secret || !headers.id || !headers.timestamp || !headers.signature) return false;
  let webhook: Webhook;
  try {
    webhook = new Webhook(secret);
  } catch {
    log.error("RESEND_WEBHOOK_SECRET is not a valid signing secret (whsec_ and base64): every webhook is refused");
    return false;
  }
  try {
    webhook.verify(
      body,
      { "webhook-id": headers.id, "webhook-timestamp": headers.timestamp, "webhook-signature": headers.signature },
      // We parse the body ourselves, with our own bounds, after verification.
      { jsonParse: false },
    );
    return true;
  } catch {
    return false;
  }
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
  if (!verifySvix(secret, headers, body)) return { status: 401, message: "invalid signature" };
  // A signed body is still input: `null`, an array or JSON nested without end is a 400, not a 500.
  const parsed = parseJsonBounded(body, { maxDepth: 32 });
  if (!parsed.ok || typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)) {
    return { status: 400, message: "the body is not a JSON object" };
  }
  const event = parsed.value as ResendEvent;
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
