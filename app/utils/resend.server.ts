// The one module that talks to Resend: one request (single or batch, at most 100 emails) with
// retries and backoff. What was sent is recorded by the caller, app/utils/email.server.ts.
import type { CreateEmailOptions, Resend } from "resend";
import { env } from "#app/utils/env.server.ts";
import { log } from "#app/utils/log.server.ts";

/**
 * How hard to try before giving up. Mutable so tests can make the waits short; production keeps
 * the defaults. A `retry-after` longer than `maxDelayMs` ends the attempts rather than blocking.
 */
export const emailRetryPolicy = {
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

export const NOT_CONFIGURED = "email is not configured";

/** One email as Resend takes it, already rendered. */
export type ResendEmail = {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  tags: { name: string; value: string }[];
  headers?: Record<string, string>;
};

export type ResendOutcome = { ok: true; ids: string[] } | { ok: false; error: string; status?: number };

let client: { resend: Resend; apiKey: string; baseUrl: string | undefined } | undefined;

/** The SDK is loaded with the first email rather than at start (about 20 ms of every server start). */
async function resendClient(): Promise<Resend> {
  const { apiKey, baseUrl } = env().resend;
  if (!apiKey) throw new Error(NOT_CONFIGURED);
  if (!client || client.apiKey !== apiKey || client.baseUrl !== baseUrl) {
    const { Resend } = await import("resend");
    client = { resend: new Resend(apiKey, baseUrl ? { baseUrl } : undefined), apiKey, baseUrl };
  }
  return client.resend;
}

/**
 * Sends `payload` as one request under `idempotencyKey`, retrying what is worth another try.
 * `context` only feeds the logs. Returns the outcome and how many attempts it took.
 */
export async function sendToResend(
  payload: ResendEmail[],
  idempotencyKey: string,
  context: { template: string; deliveryIds: number[] },
): Promise<{ outcome: ResendOutcome; attempts: number }> {
  let attempt = 0;
  let outcome: ResendOutcome = { ok: false, error: "not attempted" };
  while (attempt < emailRetryPolicy.attempts) {
    attempt += 1;
    const resend = await resendClient();
    const response =
      payload.length === 1
        ? await resend.emails.send(payload[0]! satisfies CreateEmailOptions, { idempotencyKey })
        : await resend.batch.send(payload, { idempotencyKey });
    if (response.error === null) {
      const data = response.data;
      const ids = "data" in data ? data.data.map((d) => d.id) : [data.id];
      outcome =
        ids.length === payload.length
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
    log.warn("email send failed, retrying", { ...context, status, attempt, delayMs: delay });
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return { outcome, attempts: attempt };
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

/** Resend tags take ASCII letters, digits, `_` and `-` only. */
export function tagValue(template: string): string {
  return template.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 256) || "email";
}

/** Provider messages may quote the address; logs and the database never hold one. */
function redact(message: string): string {
  return message.replace(/[^\s<>@`'"]+@[^\s<>@`'"]+/g, "[address]");
}
