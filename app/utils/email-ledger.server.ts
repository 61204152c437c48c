// The ledger of sent email, `email_deliveries`: one row per idempotency key, claimed before an
// email leaves and marked sent or failed after. The one record of whether an email went out;
// other tables (the digest's deliveries) refer to it by key.
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { db } from "#app/utils/db.server.ts";
import { emailDeliveries, outboxEmails } from "#db/schema.ts";

export type Delivery = typeof emailDeliveries.$inferSelect;

/** A 4xx other than 429 (a rate limit) would fail the same way again: not worth a retry. */
export function isPermanentFailure(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 429;
}

/**
 * What a ledger row means for a job that wants the email sent: sent, failed for good, or still
 * to send (no row yet, pending, or a failure worth another try).
 */
export function deliveryState(
  row: { status: Delivery["status"] | null; permanent: boolean | null } | null | undefined,
): "sent" | "failed" | "pending" {
  if (row?.status === "sent") return "sent";
  if (row?.status === "failed" && row.permanent) return "failed";
  return "pending";
}

/** Makes sure every key has a delivery row (new ones start as pending) and returns the rows. */
export async function claimDeliveries(
  emails: { idempotencyKey: string; template: string; userId?: number | null }[],
): Promise<Map<string, Delivery>> {
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

/** All of a request's deliveries in one statement, the provider's ids as one JSON parameter. */
export async function markSent(deliveryIds: number[], providerIds: string[], attempts: number) {
  if (deliveryIds.length === 0) return;
  const rows = JSON.stringify(deliveryIds.map((id, i) => [id, providerIds[i]]));
  await db().run(sql`
    UPDATE ${emailDeliveries} SET status = 'sent', provider_id = json_extract(j.value, '$[1]'), error = NULL,
      permanent = 0, attempts = attempts + ${attempts}, sent_at = ${Date.now()}
    FROM json_each(${rows}) AS j
    WHERE ${emailDeliveries}.id = json_extract(j.value, '$[0]')`);
}

/** Records why the deliveries did not go out; `status` is the provider's (or our own) HTTP status. */
export async function markFailed(deliveries: Delivery[], error: string, attempts: number, status?: number) {
  if (deliveries.length === 0) return;
  await db()
    .update(emailDeliveries)
    .set({
      status: "failed",
      error,
      permanent: isPermanentFailure(status),
      attempts: sql`${emailDeliveries.attempts} + ${attempts}`,
    })
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

/**
 * Demo mode: the email goes into the outbox table. The insert only happens while the delivery is
 * not yet sent, in the same batch that marks it sent, so two concurrent runs cannot both write it.
 * Returns the delivery's provider id, "outbox-<id>".
 */
export async function writeToOutbox(
  email: { to: string; from: string; subject: string; html: string; text: string; headers?: Record<string, string> },
  delivery: Delivery,
): Promise<string> {
  const now = Date.now();
  const database = db();
  await database.batch([
    database.run(sql`
      INSERT INTO ${outboxEmails} ("to", "from", "subject", "html", "text", "headers", "created_at")
      SELECT ${email.to}, ${email.from}, ${email.subject}, ${email.html}, ${email.text}, ${JSON.stringify(email.headers ?? {})}, ${now}
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
        permanent: false,
        attempts: sql`${emailDeliveries.attempts} + 1`,
        sentAt: now,
      })
      .where(and(eq(emailDeliveries.id, delivery.id), ne(emailDeliveries.status, "sent"))),
  ]);
  const [row] = await database
    .select({ providerId: emailDeliveries.providerId })
    .from(emailDeliveries)
    .where(eq(emailDeliveries.id, delivery.id));
  return row?.providerId ?? "";
}
