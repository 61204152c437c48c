// Sends the app's emails: renders react-email templates, sends them through Resend (or, in demo
// mode, into the outbox table), and records each one in `email_deliveries` so that a job that
// runs twice never sends the same email twice. The only module that imports `resend`.
import type { ReactElement } from "react";
import { createHash } from "node:crypto";
import { Resend, type CreateEmailOptions } from "resend";
import { render } from "@react-email/render";
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { db } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { emailDeliveries, outboxEmails } from "#db/schema.ts";

export type OutgoingEmail = {
  to: string;
  subject: string;
  react: ReactElement;
  /** The template's name, for logs and the delivery record, e.g. "welcome". */
  template: string;
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

/**
 * How hard to try before giving up. Mutable so tests can make the waits short; production keeps
 * the defaults. A `retry-after` longer than `maxDelayMs` ends the attempts rather than blocking.
 */
export const emailRetryPolicy = {
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

/** Resend takes at most 100 emails per batch request. */
export const BATCH_LIMIT = 100;

const NOT_CONFIGURED = "email is not configured";
const ADDRESS = /^[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+$/;

type Rendered = OutgoingEmail & { html: string; text: string };
type Delivery = typeof emailDeliveries.$inferSelect;
type Attempt = { ok: true; ids: string[] } | { ok: false; error: string; status?: number };

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
  try {
    deliveries = await claimDeliveries([...byKey.values()]);
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
    if (!ADDRESS.test(email.to.trim())) {
      // Checked here so one bad address cannot fail a whole batch of other people's emails.
      const error = "the recipient address is not valid";
      await markFailed([delivery], error, 0);
      log.warn("email not sent", { template: email.template, deliveryId: delivery.id, error });
      outcomes.set(key, { ok: false, error, status: 422 });
      continue;
    }
    toSend.push({ email, delivery });
  }
  byKey.clear();

  // Rendered (when not already) a request at a time; `splice` drops each email
  // from this list as it goes into a request, so it is garbage once that request is answered.
  while (toSend.length > 0) {
    if (config.demo) {
      const { email, delivery } = toSend.shift()!;
      const rendered = await renderOrFail(email, delivery, outcomes);
      if (rendered) outcomes.set(rendered.idempotencyKey, await writeToOutbox(rendered, delivery));
      continue;
    }
    const request = await buildRequest(toSend.splice(0, BATCH_LIMIT), outcomes);
    if (!request) continue;
    const results = await sendThroughResend(request);
    request.keys.forEach((key, j) => outcomes.set(key, results[j]!));
  }

  return keys.map((key) => outcomes.get(key) ?? { ok: false, error: "not sent" });
}

type Queued = { email: OutgoingEmail; delivery: Delivery };

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
  payload: CreateEmailOptions[];
  idempotencyKey: string;
  keys: string[];
  deliveries: Delivery[];
  /** For logs: the templates in the request, e.g. "digest". */
  templates: string;
};

/** Puts at most 100 emails into one request, rendering those not rendered yet. */
async function buildRequest(chunk: Queued[], outcomes: Map<string, SendResult>): Promise<ResendRequest | null> {
  const from = env().emailFrom;
  const payload: CreateEmailOptions[] = [];
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

async function renderEmail(email: OutgoingEmail): Promise<Rendered> {
  const [html, text] = await Promise.all([
    email.html ?? render(email.react),
    email.text ?? render(email.react, { plainText: true, htmlToTextOptions: { selectors: plainTextHeadings } }),
  ]);
  return { ...email, to: email.to.trim(), html, text };
}

/** Makes sure every key has a delivery row (new ones start as pending) and returns the rows. */
async function claimDeliveries(emails: OutgoingEmail[]): Promise<Map<string, Delivery>> {
  const now = Date.now();
  const rows = new Map<string, Delivery>();
  // Well under SQLite's limit on bound variables per statement.
  for (let i = 0; i < emails.length; i += 500) {
    const part = emails.slice(i, i + 500);
    await db()
      .insert(emailDeliveries)
      .values(
        part.map((e) => ({
          idempotencyKey: e.idempotencyKey,
          template: e.template,
          userId: e.userId ?? null,
          status: "pending" as const,
          createdAt: now,
        })),
      )
      .onConflictDoNothing({ target: emailDeliveries.idempotencyKey });
    const found = await db()
      .select()
      .from(emailDeliveries)
      .where(
        inArray(
          emailDeliveries.idempotencyKey,
          part.map((e) => e.idempotencyKey),
        ),
      );
    for (const row of found) rows.set(row.idempotencyKey, row);
  }
  return rows;
}

/**
 * Demo mode: the email goes into the outbox table. The insert only happens while the delivery is
 * not yet sent, in the same batch that marks it sent, so two concurrent runs cannot both write it.
 */
async function writeToOutbox(email: Rendered, delivery: Delivery): Promise<SendResult> {
  const now = Date.now();
  const from = env().emailFrom;
  try {
    const database = db();
    await database.batch([
      database.run(sql`
        INSERT INTO ${outboxEmails} ("to", "from", "subject", "html", "text", "headers", "created_at")
        SELECT ${email.to}, ${from}, ${email.subject}, ${email.html}, ${email.text}, ${JSON.stringify(email.headers ?? {})}, ${now}
        WHERE EXISTS (
          SELECT 1 FROM ${emailDeliveries}
          WHERE ${emailDeliveries.id} = ${delivery.id} AND ${emailDeliveries.status} <> 'sent'
        )`),
      database
        .update(emailDeliveries)
        .set({
          status: "sent",
          providerId: sql`'outbox-' || (SELECT max(${outboxEmails.id}) FROM ${outboxEmails})`,
          error: null,
          attempts: sql`${emailDeliveries.attempts} + 1`,
          sentAt: now,
        })
        .where(and(eq(emailDeliveries.id, delivery.id), ne(emailDeliveries.status, "sent"))),
    ]);
    const [row] = await database
      .select({ providerId: emailDeliveries.providerId })
      .from(emailDeliveries)
      .where(eq(emailDeliveries.id, delivery.id));
    log.info("email written to the demo outbox", { template: email.template, deliveryId: delivery.id });
    return { ok: true, id: row?.providerId ?? "" };
  } catch (error) {
    log.error("email could not be written to the demo outbox", {
      template: email.template,
      deliveryId: delivery.id,
      ...errorFields(error),
    });
    return { ok: false, error: "the demo outbox could not be written" };
  }
}

let client: { resend: Resend; apiKey: string; baseUrl: string | undefined } | undefined;

function resendClient(): Resend {
  const { apiKey, baseUrl } = env().resend;
  if (!apiKey) throw new Error(NOT_CONFIGURED);
  if (!client || client.apiKey !== apiKey || client.baseUrl !== baseUrl) {
    client = { resend: new Resend(apiKey, baseUrl ? { baseUrl } : undefined), apiKey, baseUrl };
  }
  return client.resend;
}

/** One request (single or batch) for at most 100 emails, with retries; records the outcome. */
async function sendThroughResend(request: ResendRequest): Promise<SendResult[]> {
  const { keys, templates } = request;
  const deliveryIds = request.deliveries.map((d) => d.id);

  let attempt = 0;
  let outcome: Attempt = { ok: false, error: "not attempted" };
  while (attempt < emailRetryPolicy.attempts) {
    attempt += 1;
    const { payload, idempotencyKey } = request;
    const response =
      payload.length === 1
        ? await resendClient().emails.send(payload[0]!, { idempotencyKey })
        : await resendClient().batch.send(payload, { idempotencyKey });
    if (response.error === null) {
      const data = response.data;
      const ids = "data" in data ? data.data.map((d) => d.id) : [data.id];
      outcome =
        ids.length === keys.length
          ? { ok: true, ids }
          : { ok: false, error: "Resend answered with the wrong number of ids" };
      break;
    }
    const status = response.error.statusCode ?? undefined;
    outcome = { ok: false, error: redact(`${response.error.name}: ${response.error.message}`), status };
    // Network errors, rate limits, server errors, and a twin request still in flight are worth
    // another try; any other 4xx would fail the same way again.
    const retryable =
      status === undefined ||
      status === 429 ||
      status >= 500 ||
      response.error.name === "concurrent_idempotent_requests";
    if (!retryable || attempt >= emailRetryPolicy.attempts) break;
    const delay = retryDelay(attempt, response.headers);
    if (delay > emailRetryPolicy.maxDelayMs) break;
    log.warn("email send failed, retrying", { template: templates, deliveryIds, status, attempt, delayMs: delay });
    await new Promise((resolve) => setTimeout(resolve, delay));
  }

  try {
    if (outcome.ok) {
      await markSent(deliveryIds, outcome.ids, attempt);
      log.info("email sent", { template: templates, deliveryIds, count: keys.length, attempts: attempt });
      return outcome.ids.map((id) => ({ ok: true, id }));
    }
    await markFailed(request.deliveries, outcome.error, attempt);
  } catch (error) {
    log.error("email delivery record could not be updated", {
      template: templates,
      deliveryIds,
      ...errorFields(error),
    });
    if (outcome.ok) return outcome.ids.map((id) => ({ ok: true, id }));
  }
  const failure = outcome as Extract<Attempt, { ok: false }>;
  log.error("email not sent", {
    template: templates,
    deliveryIds,
    status: failure.status,
    attempts: attempt,
    error: failure.error,
  });
  return keys.map(() => ({ ok: false, error: failure.error, status: failure.status }));
}

/** Exponential backoff with jitter, or the server's `retry-after` when it gives one. */
function retryDelay(attempt: number, headers: Record<string, string> | null): number {
  const retryAfter = headers?.["retry-after"];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  const base = emailRetryPolicy.baseDelayMs * 2 ** (attempt - 1);
  return Math.round(base + Math.random() * emailRetryPolicy.baseDelayMs);
}

/** All of a request's deliveries in one statement, the provider's ids as one JSON parameter. */
async function markSent(deliveryIds: number[], providerIds: string[], attempts: number) {
  if (deliveryIds.length === 0) return;
  const rows = JSON.stringify(deliveryIds.map((id, i) => [id, providerIds[i]]));
  await db().run(sql`
    UPDATE ${emailDeliveries} SET status = 'sent', provider_id = json_extract(j.value, '$[1]'), error = NULL,
      attempts = attempts + ${attempts}, sent_at = ${Date.now()}
    FROM json_each(${rows}) AS j
    WHERE ${emailDeliveries}.id = json_extract(j.value, '$[0]')`);
}

async function markFailed(deliveries: Delivery[], error: string, attempts: number) {
  if (deliveries.length === 0) return;
  await db()
    .update(emailDeliveries)
    .set({ status: "failed", error, attempts: sql`${emailDeliveries.attempts} + ${attempts}` })
    .where(
      and(
        inArray(
          emailDeliveries.id,
          deliveries.map((d) => d.id),
        ),
        ne(emailDeliveries.status, "sent"),
      ),
    );
}

/** Resend tags take ASCII letters, digits, `_` and `-` only. */
function tagValue(template: string): string {
  return template.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 256) || "email";
}

/** Provider messages may quote the address; logs and the database never hold one. */
function redact(message: string): string {
  return message.replace(/[^\s<>@`'"]+@[^\s<>@`'"]+/g, "[address]");
}
