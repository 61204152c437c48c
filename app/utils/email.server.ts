// Sends the app's emails: renders react-email templates, sends them through Resend (or, in demo
// mode, into the outbox table), and records each one in `email_deliveries` so that a job that
// runs twice never sends the same email twice. The only module that imports `resend`.
import type { ReactElement } from "react";
import { createHash } from "node:crypto";
import { Resend } from "resend";
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
 */
export async function sendBatch(emails: OutgoingEmail[]): Promise<SendResult[]> {
  try {
    return await deliver(emails);
  } catch (error) {
    log.error("emails not sent", { template: emails[0]?.template, count: emails.length, ...errorFields(error) });
    return emails.map(() => ({ ok: false, error: "the email could not be sent" }));
  }
}

async function deliver(emails: OutgoingEmail[]): Promise<SendResult[]> {
  if (emails.length === 0) return [];
  const config = env();
  if (!config.demo && !config.resend.apiKey) {
    log.warn("email not sent: RESEND_API_KEY is not set", { template: emails[0]?.template, count: emails.length });
    return emails.map(() => ({ ok: false, error: NOT_CONFIGURED }));
  }

  // One delivery per key: a key repeated in the same call is sent once and reported for each.
  const byKey = new Map<string, OutgoingEmail>();
  for (const email of emails) if (!byKey.has(email.idempotencyKey)) byKey.set(email.idempotencyKey, email);
  const outcomes = new Map<string, SendResult>();

  let deliveries: Map<string, Delivery>;
  try {
    deliveries = await claimDeliveries([...byKey.values()]);
  } catch (error) {
    log.error("email deliveries could not be recorded", { template: emails[0]?.template, ...errorFields(error) });
    return emails.map(() => ({ ok: false, error: "the delivery record could not be written" }));
  }

  const toSend: { email: Rendered; delivery: Delivery }[] = [];
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
    try {
      toSend.push({ email: await renderEmail(email), delivery });
    } catch (error) {
      const message = "the template could not be rendered";
      await markFailed([delivery], message, 0);
      log.error("email template failed to render", {
        template: email.template,
        deliveryId: delivery.id,
        ...errorFields(error),
      });
      outcomes.set(key, { ok: false, error: message });
    }
  }

  if (toSend.length > 0) {
    if (config.demo) {
      for (const item of toSend)
        outcomes.set(item.email.idempotencyKey, await writeToOutbox(item.email, item.delivery));
    } else {
      for (let i = 0; i < toSend.length; i += BATCH_LIMIT) {
        const chunk = toSend.slice(i, i + BATCH_LIMIT);
        const results = await sendThroughResend(chunk);
        chunk.forEach((item, j) => outcomes.set(item.email.idempotencyKey, results[j]!));
      }
    }
  }

  return emails.map((e) => outcomes.get(e.idempotencyKey) ?? { ok: false, error: "not sent" });
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
async function sendThroughResend(chunk: { email: Rendered; delivery: Delivery }[]): Promise<SendResult[]> {
  const from = env().emailFrom;
  const payload = chunk.map(({ email }) => ({
    from,
    to: email.to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    tags: [{ name: "template", value: tagValue(email.template) }],
    ...(email.headers ? { headers: email.headers } : {}),
  }));
  const single = chunk.length === 1;
  // A rerun of a job builds the same chunk from the same keys, so Resend sees the same key and
  // body and answers with the first result instead of sending again.
  const idempotencyKey = single
    ? chunk[0]!.email.idempotencyKey
    : `batch:${createHash("sha256")
        .update(chunk.map((c) => c.email.idempotencyKey).join("\n"))
        .digest("hex")}`;
  const templates = [...new Set(chunk.map((c) => c.email.template))].join(",");
  const deliveryIds = chunk.map((c) => c.delivery.id);

  let attempt = 0;
  let outcome: Attempt = { ok: false, error: "not attempted" };
  while (attempt < emailRetryPolicy.attempts) {
    attempt += 1;
    const response = single
      ? await resendClient().emails.send(payload[0]!, { idempotencyKey })
      : await resendClient().batch.send(payload, { idempotencyKey });
    if (response.error === null) {
      const data = response.data;
      const ids = "data" in data ? data.data.map((d) => d.id) : [data.id];
      outcome =
        ids.length === chunk.length
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
      const ids = outcome.ids;
      await markSent(
        chunk.map((c, i) => ({ delivery: c.delivery, providerId: ids[i]! })),
        attempt,
      );
      log.info("email sent", { template: templates, deliveryIds, count: chunk.length, attempts: attempt });
      return ids.map((id) => ({ ok: true, id }));
    }
    await markFailed(
      chunk.map((c) => c.delivery),
      outcome.error,
      attempt,
    );
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
  return chunk.map(() => ({ ok: false, error: failure.error, status: failure.status }));
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

async function markSent(items: { delivery: Delivery; providerId: string }[], attempts: number) {
  if (items.length === 0) return;
  const now = Date.now();
  const database = db();
  const [first, ...rest] = items.map(({ delivery, providerId }) =>
    database
      .update(emailDeliveries)
      .set({
        status: "sent",
        providerId,
        error: null,
        attempts: sql`${emailDeliveries.attempts} + ${attempts}`,
        sentAt: now,
      })
      .where(eq(emailDeliveries.id, delivery.id)),
  );
  await database.batch([first!, ...rest]);
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
