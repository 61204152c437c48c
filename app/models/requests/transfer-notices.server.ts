// Who hears about an ownership transfer, and the one email each of them gets per event: the
// verified maintainers, the successor, the shepherd roadie and the working group. Each email's
// idempotency key names the transfer, the event and the recipient, so a rerun never sends twice.
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { eq } from "drizzle-orm";
import { env } from "#app/utils/env.server.ts";
import { sendBatch } from "#app/utils/email.server.ts";
import { log } from "#app/utils/log.server.ts";
import { hasRole } from "#app/models/people/powers.server.ts";
import { listMaintainerRecipients } from "#app/models/packages/maintainers.server.ts";
import { listWorkingGroupMembers } from "#app/models/people/roadies.server.ts";
import { transferNotice, type TransferEvent, type TransferReader } from "#emails/transfer-notice.tsx";

export type Recipient = { userId: number; email: string; reader: TransferReader };

/** The people told about `transfer`, once each, under the part closest to the handover. */
export async function transferRecipients(
  transfer: { packageId: number; successorUserId: number | null; roadieUserId: number | null },
  now: number,
): Promise<Recipient[]> {
  const byId = new Map<number, Recipient>();
  const add = (userId: number, email: string | null, reader: TransferReader) => {
    if (email && !byId.has(userId)) byId.set(userId, { userId, email, reader });
  };
  if (transfer.successorUserId) {
    const s = await db()
      .select({ email: deliveryAddress })
      .from(schema.users)
      .where(eq(schema.users.id, transfer.successorUserId))
      .get();
    add(transfer.successorUserId, s?.email ?? null, "successor");
  }
  for (const m of await listMaintainerRecipients(transfer.packageId)) add(m.id, m.email, "maintainer");
  // A shepherd whose roadie term ended is no longer a party (powers.server.ts decides).
  if (transfer.roadieUserId && (await hasRole(transfer.roadieUserId, "roadie", now))) {
    const r = await db()
      .select({ email: deliveryAddress })
      .from(schema.users)
      .where(eq(schema.users.id, transfer.roadieUserId))
      .get();
    add(transfer.roadieUserId, r?.email ?? null, "roadie");
  }
  for (const w of await listWorkingGroupMembers(now)) add(w.userId, w.email, "working_group");
  return [...byId.values()];
}

/**
 * Tells every party about one event. `eventKey` names the event for ever (e.g. `step:ci-secrets:<doneAt>`):
 * the same event sent again is a no-op in the email ledger.
 */
export async function notifyTransferParties(
  transfer: {
    id: number;
    packageId: number;
    packageName: string;
    successorUserId: number | null;
    roadieUserId: number | null;
  },
  eventKey: string,
  event: TransferEvent,
  now: number,
  /** Those to tell, when they must be read before the change (a maintainer stepping down). */
  recipients?: Recipient[],
) {
  const appUrl = env().appUrl;
  recipients ??= await transferRecipients(transfer, now);
  const results = await sendBatch(
    recipients.map((r) => {
      const { subject, react } = transferNotice({
        appUrl,
        transferUrl: `${appUrl}/transfers/${transfer.id}`,
        packageName: transfer.packageName,
        event,
        reader: r.reader,
      });
      return {
        to: r.email,
        subject,
        react,
        template: `transfer-${event.kind}`,
        kind: "people-transfer-progress" as const,
        idempotencyKey: `transfer:${transfer.id}:${eventKey}:${r.userId}`,
        userId: r.userId,
      };
    }),
  );
  const failed = results.filter((r) => !r.ok).length;
  if (failed) log.warn("transfer notices not all sent", { transferId: transfer.id, eventKey, failed });
}
