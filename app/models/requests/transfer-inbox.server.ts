// [inbox] A handover's steps in the inbox of the party who must tick them: each party (the verified
// maintainers, the successor, the shepherd roadie while a roadie) hears once that the checklist has
// steps for them, and, once every step is ticked, the two confirming sides hear that their yes is
// awaited. The emails about each stage are sent by transfer-notices.server.ts.
import { eq } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { notify, type NotifyItem } from "#app/models/inbox/notifications.server.ts";
import { hasRole } from "#app/models/people/powers.server.ts";
import {
  getTransfer,
  volunteerToShepherd,
  type Party,
  type TransferDetail,
} from "#app/models/requests/transfers.server.ts";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

async function peopleOf(transfer: TransferDetail, party: Party, now: number): Promise<number[]> {
  switch (party) {
    case "maintainer":
      return transfer.maintainers.flatMap((m) => (m.userId === null ? [] : [m.userId]));
    case "successor":
      return transfer.successorUserId ? [transfer.successorUserId] : [];
    case "roadie":
      return transfer.roadieUserId && (await hasRole(transfer.roadieUserId, "roadie", now))
        ? [transfer.roadieUserId]
        : [];
  }
}

/** Tells each party of the transfer what is theirs to do now. Safe to call after any change. */
export async function notifyTransferSteps(transferId: number, now = Date.now()) {
  const transfer = await getTransfer(transferId);
  if (!transfer || transfer.status !== "in_progress") return;
  const href = `/transfers/${transfer.id}`;
  const items: NotifyItem[] = [];
  const open = transfer.steps.filter((s) => s.doneAt === null);
  if (open.length) {
    for (const party of ["maintainer", "successor", "roadie"] as const) {
      const mine = open.filter((s) => s.responsible === party).length;
      if (!mine) continue;
      for (const userId of await peopleOf(transfer, party, now)) {
        items.push({
          userId,
          kind: "transfer-step",
          title: `Handover of ${transfer.packageName}: ${plural(mine, "step", "steps")} for you to tick`,
          href,
          key: `transfer-step:${transfer.id}:${party}`,
        });
      }
    }
  } else {
    // Every step ticked: the maintainer side and the successor each say yes (untick and tick
    // again, and it is a new round: the last tick's time names it).
    const round = Math.max(...transfer.steps.map((s) => s.doneAt ?? 0));
    for (const side of ["maintainer", "successor"] as const) {
      if (transfer.confirmations.some((c) => c.party === side)) continue;
      for (const userId of await peopleOf(transfer, side, now)) {
        items.push({
          userId,
          kind: "transfer-step",
          title: `Handover of ${transfer.packageName}: every step is ticked, confirm the handover`,
          href,
          key: `transfer-confirm:${transfer.id}:${round}`,
        });
      }
    }
  }
  await notify(items, now);
}

/** The transfer a call's accepted successor started (made by a trigger), if any. */
export async function transferOfCall(callId: number): Promise<number | null> {
  const row = await db()
    .select({ id: schema.transfers.id })
    .from(schema.transfers)
    .where(eq(schema.transfers.callId, callId))
    .get();
  return row?.id ?? null;
}

/** A roadie takes on a transfer (volunteerToShepherd) and finds its roadie steps in their inbox. */
export async function shepherdTransfer(roadieUserId: number, transferId: number, now = Date.now()) {
  const taken = await volunteerToShepherd(roadieUserId, transferId, now);
  if (taken) await notifyTransferSteps(transferId, now);
  return taken;
}
