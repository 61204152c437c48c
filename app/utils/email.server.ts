// Sends the app's emails: renders react-email templates, skips suppressed addresses, sends through
// Resend (app/utils/resend.server.ts) or, in demo mode, into the outbox table, and records each one
// in the email ledger (app/utils/email-ledger.server.ts) so that a job that runs twice never sends
// the same email twice. Every email of the app goes through here, named by its kind in the
// catalogue (db/schema/notifications.ts): a kind the person switched off is not sent, and the
// periodic kinds carry List-Unsubscribe for their own kind (app/utils/email-preferences.server.ts).
import type { ReactElement } from "react";
import { createHash } from "node:crypto";
import { env } from "#app/utils/env.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { claimDeliveries, markFailed, markSent, writeToOutbox, type Delivery } from "#app/utils/email-ledger.server.ts";
import { normalizeAddress, suppressionsAmong } from "#app/utils/email-suppressions.server.ts";
import { addressesFor } from "#app/utils/email-address.server.ts";
import {
  isSwitchedOff,
  kindUnsubscribeToken,
  listUnsubscribeHeaders,
  switchedOffAmong,
} from "#app/utils/email-preferences.server.ts";
import { isPeriodic, type EmailKind } from "#db/schema/notifications.ts";
import { NOT_CONFIGURED, sendToResend, tagValue, type ResendEmail } from "#app/utils/resend.server.ts";

export { emailRetryPolicy } from "#app/utils/resend.server.ts";
export { deliveryState, isPermanentFailure } from "#app/utils/email-ledger.server.ts";

export type OutgoingEmail = {
  /**
   * Where it goes. With a `userId` the send path sends to the person's delivery address instead
   * (app/utils/email-address.server.ts decides it), whatever the sender put here.
   */
  to: string;
  /**
   * Sent to exactly `to`, not to the person's delivery address. Only for the verification link of
   * an address they added (not yet one anything else may reach) and the notice to the address that
   * stopped receiving their email (app/models/people/emails.server.ts).
   */
  exactAddress?: true;
  subject: string;
  react: ReactElement;
  /** The template's name, for logs and the delivery record, e.g. "welcome". */
  template: string;
  /** Which kind of email of the catalogue this is: the person's switch for it is honoured here. */
  kind: EmailKind;
  /** Names this one email for ever, e.g. `welcome:user:42`: sending it again is a no-op. */
  idempotencyKey: string;
  userId?: number | null;
  /** Extra headers such as List-Unsubscribe (RFC 8058); recorded in the demo outbox too. */
  headers?: Record<string, string>;
  /** A hand-written plain-text part; without it the text is converted from the HTML. */
  text?: string;
  /** HTML the template already rendered (bulk jobs render synchronously, faster); else `react` is rendered. */
  html?: string;
};

export type SendResult =
  { ok: true; id: string; skipped?: "already-sent" } | { ok: false; error: string; status?: number };

/** Resend takes at most 100 emails per batch request. */
export const BATCH_LIMIT = 100;

const ADDRESS = /^[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+$/;

type Rendered = OutgoingEmail & { html: string; text: string };

/** Sends one email at most once per idempotency key. Never throws: errors come back as values. */
export async function sendEmail(email: OutgoingEmail): Promise<SendResult> {
  const [result] = await sendBatch([email]);
  return result ?? { ok: false, error: "nothing to send" };
}

/**
 * Sends many emails, each at most once per idempotency key, in requests of at most 100. The
 * results are in the order of `emails`. Never throws.
 *
 * Not async on purpose: the work gets its own copy of the list and lets go of each email once it
 * is in a request, so a bulk job's rendered emails die young instead of living (and being
 * promoted to the old generation) for as long as the requests take.
 */
export function sendBatch(emails: OutgoingEmail[]): Promise<SendResult[]> {
  const template = emails[0]?.template;
  const count = emails.length;
  return deliver(emails.slice()).catch((error: unknown) => {
    log.error("emails not sent", { template, count, ...errorFields(error) });
    return Array.from({ length: count }, () => ({ ok: false as const, error: "the email could not be sent" }));
  });
}

/** Takes `queue` over: empties it, so that only this function decides how long each email lives. */
async function deliver(queue: OutgoingEmail[]): Promise<SendResult[]> {
  const keys = queue.map((e) => e.idempotencyKey);
  if (keys.length === 0) return [];
  const template = queue[0]!.template;
  const config = env();
  if (!config.demo && !config.resend.apiKey) {
    log.warn("email not sent: RESEND_API_KEY is not set", { template, count: keys.length });
    return keys.map(() => ({ ok: false, error: NOT_CONFIGURED }));
  }

  // One delivery per key: a key repeated in the same call is sent once and reported for each.
  const byKey = new Map<string, OutgoingEmail>();
  for (const email of queue) if (!byKey.has(email.idempotencyKey)) byKey.set(email.idempotencyKey, email);
  queue.length = 0;
  const outcomes = new Map<string, SendResult>();

  let deliveries: Map<string, Delivery>;
  let suppressed: Map<string, string>;
  let switchedOff: Set<string>;
  const noAddress = new Set<string>();
  try {
    // The one decision of where an email to a person goes: their delivery address, never `to`.
    const addresses = await addressesFor(
      [...byKey.values()].flatMap((e) => (e.userId != null && !e.exactAddress ? [e.userId] : [])),
    );
    for (const [key, email] of byKey) {
      if (email.userId == null || email.exactAddress) continue;
      const address = addresses.get(email.userId);
      if (address) byKey.set(key, { ...email, to: address });
      else noAddress.add(key);
    }
    deliveries = await claimDeliveries([...byKey.values()]);
    suppressed = await suppressionsAmong([...byKey.values()].map((e) => e.to));
    switchedOff = await switchedOffAmong(
      [...byKey.values()].flatMap((e) => (e.userId != null ? [{ userId: e.userId, kind: e.kind }] : [])),
    );
  } catch (error) {
    log.error("email deliveries could not be recorded", { template, ...errorFields(error) });
    return keys.map(() => ({ ok: false, error: "the delivery record could not be written" }));
  }

  const toSend: Queued[] = [];
  for (const [key, email] of byKey) {
    const delivery = deliveries.get(key);
    if (!delivery) {
      outcomes.set(key, { ok: false, error: "the delivery record is missing" });
      continue;
    }
    if (delivery.status === "sent") {
      outcomes.set(key, { ok: true, id: delivery.providerId ?? "", skipped: "already-sent" });
      continue;
    }
    // Checked here so one bad address cannot fail a whole batch of other people's emails.
    let refusal: { error: string; status?: number } | undefined;
    const reason = suppressed.get(normalizeAddress(email.to));
    // Not permanent: once the person adds and verifies an address, a rerun of the job sends it.
    if (noAddress.has(key)) refusal = { error: "the person has no verified address" };
    else if (!ADDRESS.test(email.to.trim())) refusal = { error: "the recipient address is not valid", status: 422 };
    // Not permanent: once the person turns their address back on, a rerun of the job sends it.
    else if (reason) refusal = { error: `the address is suppressed (${reason})` };
    // Likewise: switched back on, a rerun sends it.
    else if (email.userId != null && isSwitchedOff(switchedOff, email.userId, email.kind))
      refusal = { error: `the person switched this kind of email off (${email.kind})` };
    if (refusal) {
      await markFailed([delivery], refusal.error, 0, refusal.status);
      log.warn("email not sent", { template: email.template, deliveryId: delivery.id, error: refusal.error });
      outcomes.set(key, { ok: false, ...refusal });
      continue;
    }
    toSend.push({ email: withListUnsubscribe(email, delivery), delivery });
  }
  byKey.clear();

  // Rendered (when not already) a request at a time; `splice` drops each email
  // from this list as it goes into a request, so it is garbage once that request is answered.
  while (toSend.length > 0) {
    if (config.demo) {
      const { email, delivery } = toSend.shift()!;
      const rendered = await renderOrFail(email, delivery, outcomes);
      if (rendered) outcomes.set(rendered.idempotencyKey, await sendToOutbox(rendered, delivery));
      continue;
    }
    const request = await buildRequest(toSend.splice(0, BATCH_LIMIT), outcomes);
    if (!request) continue;
    const results = await sendAndRecord(request);
    request.keys.forEach((key, j) => outcomes.set(key, results[j]!));
  }

  return keys.map((key) => outcomes.get(key) ?? { ok: false, error: "not sent" });
}

type Queued = { email: OutgoingEmail; delivery: Delivery };

/**
 * A periodic or bulk kind gets `List-Unsubscribe` for its own kind (RFC 8058), unless the sender
 * set its own (the digest's names its week). The token's clock is the ledger's claim time, so a
 * rerun sends the same headers.
 */
function withListUnsubscribe(email: OutgoingEmail, delivery: Delivery): OutgoingEmail {
  if (!isPeriodic(email.kind) || email.userId == null || email.headers?.["List-Unsubscribe"]) return email;
  const token = kindUnsubscribeToken(email.userId, email.kind, delivery.createdAt);
  return { ...email, headers: { ...email.headers, ...listUnsubscribeHeaders(email.userId, email.kind, token) } };
}

/** Renders the email, or records why it could not be and returns undefined. */
async function renderOrFail(
  email: OutgoingEmail,
  delivery: Delivery,
  outcomes: Map<string, SendResult>,
): Promise<Rendered | undefined> {
  try {
    return await renderEmail(email);
  } catch (error) {
    const message = "the template could not be rendered";
    await markFailed([delivery], message, 0);
    log.error("email template failed to render", {
      template: email.template,
      deliveryId: delivery.id,
      ...errorFields(error),
    });
    outcomes.set(email.idempotencyKey, { ok: false, error: message });
    return undefined;
  }
}

/** One Resend request (single or batch) and what is needed to record its outcome. */
type ResendRequest = {
  payload: ResendEmail[];
  idempotencyKey: string;
  keys: string[];
  deliveries: Delivery[];
  /** For logs: the templates in the request, e.g. "digest". */
  templates: string;
};

/** Puts at most 100 emails into one request, rendering those not rendered yet. */
async function buildRequest(chunk: Queued[], outcomes: Map<string, SendResult>): Promise<ResendRequest | null> {
  const from = env().emailFrom;
  const payload: ResendEmail[] = [];
  const keys: string[] = [];
  const deliveries: Delivery[] = [];
  const templates = new Set<string>();
  for (const { email, delivery } of chunk) {
    const rendered =
      email.html !== undefined && email.text !== undefined
        ? { ...email, to: email.to.trim(), html: email.html, text: email.text }
        : await renderOrFail(email, delivery, outcomes);
    if (!rendered) continue;
    payload.push({
      from,
      to: rendered.to,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      tags: [{ name: "template", value: tagValue(rendered.template) }],
      ...(rendered.headers ? { headers: rendered.headers } : {}),
    });
    keys.push(rendered.idempotencyKey);
    deliveries.push(delivery);
    templates.add(rendered.template);
  }
  chunk.length = 0;
  if (keys.length === 0) return null;
  const single = keys.length === 1;
  return {
    payload,
    // A rerun of a job builds the same chunk from the same keys, so Resend sees the same key and
    // body and answers with the first result instead of sending again.
    idempotencyKey: single ? keys[0]! : `batch:${createHash("sha256").update(keys.join("\n")).digest("hex")}`,
    keys,
    deliveries,
    templates: [...templates].join(","),
  };
}

// html-to-text shouts headings in capitals by default; a greeting reads better as written.
const plainTextHeadings = ["h1", "h2", "h3"].map((selector) => ({ selector, options: { uppercase: false } }));

/**
 * The renderer, loaded with the first email rather than at start: with html-to-text and its HTML
 * parsers it was about 50 ms of every server start (docs/performance.md, issue #21).
 */
const renderer = () => import("@react-email/render");

/** The plain-text part of an email, exactly as it is sent (previews show this). */
export async function renderEmailText(react: ReactElement): Promise<string> {
  const { render } = await renderer();
  return render(react, { plainText: true, htmlToTextOptions: { selectors: plainTextHeadings } });
}

async function renderEmail(email: OutgoingEmail): Promise<Rendered> {
  const { render } = await renderer();
  const [html, text] = await Promise.all([
    email.html ?? render(email.react),
    email.text ?? renderEmailText(email.react),
  ]);
  return { ...email, to: email.to.trim(), html, text };
}

/** Demo mode: into the outbox table instead of Resend, recorded in the ledger in the same write. */
async function sendToOutbox(email: Rendered, delivery: Delivery): Promise<SendResult> {
  try {
    const id = await writeToOutbox({ ...email, from: env().emailFrom }, delivery);
    log.info("email written to the demo outbox", { template: email.template, deliveryId: delivery.id });
    return { ok: true, id };
  } catch (error) {
    log.error("email could not be written to the demo outbox", {
      template: email.template,
      deliveryId: delivery.id,
      ...errorFields(error),
    });
    return { ok: false, error: "the demo outbox could not be written" };
  }
}

/** One request for at most 100 emails, with retries; records the outcome in the ledger. */
async function sendAndRecord(request: ResendRequest): Promise<SendResult[]> {
  const { keys, templates } = request;
  const deliveryIds = request.deliveries.map((d) => d.id);
  const { outcome, attempts } = await sendToResend(request.payload, request.idempotencyKey, {
    template: templates,
    deliveryIds,
  });

  try {
    if (outcome.ok) {
      await markSent(deliveryIds, outcome.ids, attempts);
      log.info("email sent", { template: templates, deliveryIds, count: keys.length, attempts });
      return outcome.ids.map((id) => ({ ok: true, id }));
    }
    await markFailed(request.deliveries, outcome.error, attempts, outcome.status);
  } catch (error) {
    log.error("email delivery record could not be updated", {
      template: templates,
      deliveryIds,
      ...errorFields(error),
    });
  }
  // Sent even if the ledger could not say so: Resend's idempotency key keeps a rerun from resending.
  if (outcome.ok) return outcome.ids.map((id) => ({ ok: true, id }));
  log.error("email not sent", {
    template: templates,
    deliveryIds,
    status: outcome.status,
    attempts,
    error: outcome.error,
  });
  return keys.map(() => ({ ok: false, error: outcome.error, status: outcome.status }));
}
