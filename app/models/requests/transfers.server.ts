// Ownership transfers: the checklist a "new-maintainer" call gets once a successor is accepted,
// who shepherds it, and how transfers without a roadie are spread over the roadies.
import { and, asc, count, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { env } from "#app/utils/env.server.ts";
import { sendBatch, sendEmail } from "#app/utils/email.server.ts";
import { requireUser } from "#app/models/people/auth.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { verifiedRowSql } from "#app/models/packages/maintainers.server.ts";
import { isActiveRoadie, isWorkingGroupMember, listActiveRoadies } from "#app/models/people/roadies.server.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";
import { log } from "#app/utils/log.server.ts";
import { peopleNotice } from "#emails/people-notice.tsx";
import type { User } from "#db/schema.ts";
import { DAY_MS } from "#app/utils/dates.ts";

export { partyLabels, transferSteps, type Party } from "#app/models/requests/transfer-forms.ts";
import { transferSteps, type Party } from "#app/models/requests/transfer-forms.ts";

/** A transfer with no roadie this long is offered to the least-loaded roadie, then to all. */
export const OFFER_AFTER_DAYS = 7;
export const OFFER_ALL_AFTER_DAYS = 3;

const t = schema.transfers;
const st = schema.transferSteps;
const ck = schema.transferStepChecks;
const cf = schema.transferConfirmations;
const u = schema.users;

export function parseTransferId(raw: string | undefined | null): number | null {
  if (!raw || !/^\d{1,12}$/.test(raw)) return null;
  const id = Number(raw);
  return id > 0 && Number.isSafeInteger(id) ? id : null;
}

export async function getTransfer(id: number) {
  // Every part asked side by side (one round trip: db.server.ts batches a request's reads); the
  // people and maintainers name the transfer's own columns through subqueries, so none waits on the row.
  const ofTransfer = (column: typeof t.successorUserId | typeof t.roadieUserId) =>
    db().select({ id: column }).from(t).where(eq(t.id, id));
  const packageOf = db()
    .select({ id: schema.calls.packageId })
    .from(t)
    .innerJoin(schema.calls, eq(schema.calls.id, t.callId))
    .where(eq(t.id, id));
  const [row, people, maintainers, done, checks, confirmations] = await Promise.all([
    db()
      .select({
        transfer: t,
        callTitle: schema.calls.title,
        callStatus: schema.calls.status,
        packageId: schema.calls.packageId,
        packageName: schema.packages.name,
        repository: schema.packages.repository,
      })
      .from(t)
      .innerJoin(schema.calls, eq(schema.calls.id, t.callId))
      .innerJoin(schema.packages, eq(schema.packages.id, schema.calls.packageId))
      .where(eq(t.id, id))
      .get(),
    db()
      .select({ id: u.id, login: u.login, name: u.name, email: deliveryAddress })
      .from(u)
      .where(or(inArray(u.id, ofTransfer(t.successorUserId)), inArray(u.id, ofTransfer(t.roadieUserId))))
      .all(),
    db()
      .select({ userId: schema.packageMaintainers.userId, login: schema.packageMaintainers.githubLogin })
      .from(schema.packageMaintainers)
      .where(and(inArray(schema.packageMaintainers.packageId, packageOf), verifiedRowSql))
      .all(),
    db()
      .select({ step: st.step, doneAt: st.doneAt, by: u.login })
      .from(st)
      .leftJoin(u, eq(u.id, st.doneByUserId))
      .where(eq(st.transferId, id))
      .all(),
    db()
      .select({ step: ck.step, note: ck.note, checkedAt: ck.checkedAt, by: u.login })
      .from(ck)
      .leftJoin(u, eq(u.id, ck.checkedByUserId))
      .where(eq(ck.transferId, id))
      .all(),
    db()
      .select({ party: cf.party, userId: cf.userId, stepDown: cf.stepDown, confirmedAt: cf.confirmedAt, by: u.login })
      .from(cf)
      .leftJoin(u, eq(u.id, cf.userId))
      .where(eq(cf.transferId, id))
      .all(),
  ]);
  if (!row) return null;
  const doneBy = new Map(done.map((d) => [d.step, d]));
  const checkOf = new Map(checks.map((c) => [c.step, c]));
  return {
    ...row.transfer,
    callTitle: row.callTitle,
    callStatus: row.callStatus,
    packageId: row.packageId,
    packageName: row.packageName,
    repository: row.repository,
    successor: people.find((p) => p.id === row.transfer.successorUserId) ?? null,
    roadie: people.find((p) => p.id === row.transfer.roadieUserId) ?? null,
    maintainers,
    handoffNotesHtml: row.transfer.handoffNotes ? renderMarkdown(row.transfer.handoffNotes) : "",
    steps: transferSteps.map((s) => ({
      ...s,
      doneAt: doneBy.get(s.id)?.doneAt ?? null,
      doneBy: doneBy.has(s.id) ? (doneBy.get(s.id)!.by ?? "a former member") : null,
      check: checkOf.has(s.id)
        ? {
            note: checkOf.get(s.id)!.note,
            checkedAt: checkOf.get(s.id)!.checkedAt,
            by: checkOf.get(s.id)!.by ?? "a former member",
          }
        : null,
    })),
    confirmations: confirmations.map((c) => ({ ...c, by: c.by ?? "a former member" })),
  };
}
export type TransferDetail = NonNullable<Awaited<ReturnType<typeof getTransfer>>>;

/** Which parts this person plays in the transfer (several are possible). */
export function partiesOf(user: Pick<User, "id">, transfer: TransferDetail): Party[] {
  const parties: Party[] = [];
  if (transfer.maintainers.some((m) => m.userId === user.id)) parties.push("maintainer");
  if (transfer.successorUserId === user.id) parties.push("successor");
  if (transfer.roadieUserId === user.id) parties.push("roadie");
  return parties;
}

/**
 * The transfer, for its participants, roadies, the working group and admins; everyone else (and
 * unknown ids) gets 404. `parties`: the parts this person plays now (each step is ticked only by its
 * party: see transfer-consent.server.ts). `canWork`: parties and admins may act on the page at all.
 */
export async function requireTransferViewer(request: Request, rawId: string | undefined, now = Date.now()) {
  const id = parseTransferId(rawId);
  // The transfer beside the session, the viewer's roles once the session is known: two round trips.
  const [user, transfer] = await Promise.all([requireUser(request), id ? getTransfer(id) : null]);
  if (!transfer) throw new Response("Not found", { status: 404 });
  const [roadie, wg] = await Promise.all([isActiveRoadie(user.id, now), isWorkingGroupMember(user.id, now)]);
  // Shepherding is a roadie's power: a shepherd whose roadie term ended (even before the terms job
  // hands the transfer back) is no longer a party to it.
  const parties = partiesOf(user, transfer).filter((party) => party !== "roadie" || roadie);
  if (!parties.length && !user.isAdmin && !roadie && !wg) throw new Response("Not found", { status: 404 });
  return { user, transfer, parties, canWork: parties.length > 0 || user.isAdmin, isRoadie: roadie };
}

export async function saveHandoffNotes(actorUserId: number, transfer: TransferDetail, notes: string, now = Date.now()) {
  await db().batch([
    db().update(t).set({ handoffNotes: notes, updatedAt: now }).where(eq(t.id, transfer.id)),
    auditEntry({ actorUserId, action: "transfer.notes", objectType: "transfer", objectId: transfer.id }, now),
  ]);
}

/** An active roadie takes on a transfer that has none yet. */
export async function volunteerToShepherd(roadieUserId: number, transferId: number, now = Date.now()) {
  if (!(await isActiveRoadie(roadieUserId, now))) return false;
  const [taken] = await db().batch([
    db()
      .update(t)
      .set({ roadieUserId, updatedAt: now })
      .where(and(eq(t.id, transferId), isNull(t.roadieUserId), eq(t.status, "in_progress")))
      .returning({ id: t.id }),
    auditEntry(
      { actorUserId: roadieUserId, action: "transfer.shepherd", objectType: "transfer", objectId: transferId },
      now,
    ),
  ] as const);
  return taken.length > 0;
}

/** Transfers for the working group's and roadies' lists. */
export function listTransfers({
  needingRoadie = false,
  roadieUserId,
}: { needingRoadie?: boolean; roadieUserId?: number } = {}) {
  return db()
    .select({
      id: t.id,
      callId: t.callId,
      status: t.status,
      createdAt: t.createdAt,
      roadieUserId: t.roadieUserId,
      callTitle: schema.calls.title,
      packageName: schema.packages.name,
      stepsDone: sql<number>`(SELECT count(*) FROM ${st} WHERE ${st.transferId} = ${t.id})`.mapWith(Number),
      confirmations: sql<number>`(SELECT count(*) FROM ${cf} WHERE ${cf.transferId} = ${t.id})`.mapWith(Number),
    })
    .from(t)
    .innerJoin(schema.calls, eq(schema.calls.id, t.callId))
    .innerJoin(schema.packages, eq(schema.packages.id, schema.calls.packageId))
    .where(
      and(
        needingRoadie ? and(isNull(t.roadieUserId), eq(t.status, "in_progress")) : undefined,
        roadieUserId ? eq(t.roadieUserId, roadieUserId) : undefined,
      ),
    )
    .orderBy(asc(t.createdAt))
    .all();
}

/** Active roadies with their number of in-progress transfers, fewest first (then by login). */
export async function roadieLoads(now = Date.now()) {
  const roadies = await listActiveRoadies(now);
  const loads = await db()
    .select({ roadieUserId: t.roadieUserId, n: count() })
    .from(t)
    .where(eq(t.status, "in_progress"))
    .groupBy(t.roadieUserId)
    .all();
  const byId = new Map(loads.map((l) => [l.roadieUserId, l.n]));
  return roadies
    .map((r) => ({ ...r, activeTransfers: byId.get(r.userId) ?? 0 }))
    .sort((a, b) => a.activeTransfers - b.activeTransfers || a.login.localeCompare(b.login));
}

/**
 * After 7 days without a roadie a transfer is offered to the roadie with the fewest active
 * transfers; 3 days later, to every roadie. Each offer is made once (its timestamp is the record).
 */
export async function offerUnshepherdedTransfers(now = Date.now()) {
  const appUrl = env().appUrl;
  const due = await db()
    .select({
      id: t.id,
      offeredAt: t.offeredAt,
      offeredAllAt: t.offeredAllAt,
      createdAt: t.createdAt,
      callTitle: schema.calls.title,
      packageName: schema.packages.name,
    })
    .from(t)
    .innerJoin(schema.calls, eq(schema.calls.id, t.callId))
    .innerJoin(schema.packages, eq(schema.packages.id, schema.calls.packageId))
    .where(and(eq(t.status, "in_progress"), isNull(t.roadieUserId), lte(t.createdAt, now - OFFER_AFTER_DAYS * DAY_MS)))
    .orderBy(asc(t.createdAt))
    .all();
  let single = 0;
  let all = 0;
  for (const transfer of due) {
    const mail = (to: { userId: number; email: string | null }, key: string) => {
      const { subject, react } = peopleNotice(`A transfer of ${transfer.packageName} needs a roadie`, {
        appUrl,
        heading: `${transfer.packageName} is changing hands and needs a roadie`,
        paragraphs: [
          `The ownership transfer for “${transfer.callTitle}” has had no roadie for a week. Could you shepherd it? The checklist shows what is left and who does each step.`,
        ],
        action: { href: `${appUrl}/transfers/${transfer.id}`, label: "See the transfer" },
        reason:
          "You receive this because you are a roadie on Roadies and transfers are shared out so no one carries them all.",
      });
      return {
        to: to.email!,
        subject,
        react,
        template: "people-transfer-offer",
        kind: "people-transfer-offer" as const,
        idempotencyKey: key,
        userId: to.userId,
      };
    };
    if (!transfer.offeredAt) {
      // Loads change as offers go out, so recompute per transfer.
      const [least] = (await roadieLoads(now)).filter((r) => r.email);
      if (!least) continue;
      const claimed = await db()
        .update(t)
        .set({ offeredToUserId: least.userId, offeredAt: now })
        .where(and(eq(t.id, transfer.id), isNull(t.offeredAt)))
        .returning({ id: t.id });
      if (!claimed.length) continue;
      const result = await sendEmail(mail(least, `transfer-offer:${transfer.id}:${least.userId}`));
      if (!result.ok) log.warn("transfer offer email failed", { transferId: transfer.id, error: result.error });
      single++;
    } else if (!transfer.offeredAllAt && transfer.offeredAt <= now - OFFER_ALL_AFTER_DAYS * DAY_MS) {
      const claimed = await db()
        .update(t)
        .set({ offeredAllAt: now })
        .where(and(eq(t.id, transfer.id), isNull(t.offeredAllAt)))
        .returning({ id: t.id });
      if (!claimed.length) continue;
      const roadies = (await listActiveRoadies(now)).filter((r) => r.email);
      await sendBatch(roadies.map((r) => mail(r, `transfer-offer-all:${transfer.id}:${r.userId}`)));
      all++;
    }
  }
  return { offered: single, offeredToAll: all };
}
