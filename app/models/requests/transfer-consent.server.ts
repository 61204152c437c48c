// The consent rules of an ownership transfer. Each checklist step is ticked only by its party:
// maintainer steps by a verified maintainer of the package (maintainers.server.ts), successor steps
// by the successor, roadie steps by the shepherd roadie while a roadie (powers.server.ts). The
// shepherd (or an admin) may mark a step "checked" with evidence, which never ticks it. Once every
// step is ticked, a verified maintainer and the successor each confirm; then GitHub must show the
// successor with admin or maintain on the repository. Only then is the call filled and the
// successor made a verified maintainer. Every party hears of each stage (transfer-notices.server.ts).
import { and, eq, inArray, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { decryptSecret } from "#app/utils/crypto.server.ts";
import { fetchCollaboratorRole, GitHubError, type RepositoryRole } from "#app/utils/github.server.ts";
import { log } from "#app/utils/log.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { hasRole, isEffectiveAdmin } from "#app/models/people/powers.server.ts";
import { isVerifiedMaintainer } from "#app/models/packages/maintainers.server.ts";
import { getTransfer, transferSteps, type Party, type TransferDetail } from "#app/models/requests/transfers.server.ts";
import { notifyTransferParties, transferRecipients } from "#app/models/requests/transfer-notices.server.ts";
import { notifyTransferSteps } from "#app/models/requests/transfer-inbox.server.ts";
import type { TransferConfirmingParty } from "#db/schema.ts";

const t = schema.transfers;
const st = schema.transferSteps;
const ck = schema.transferStepChecks;
const cf = schema.transferConfirmations;
const pm = schema.packageMaintainers;

/** Roles on the repository that make a verified maintainer (the same bar as maintainers.server.ts). */
const SUFFICIENT_ROLES: readonly RepositoryRole[] = ["admin", "maintain"];

export type ConsentRefusal =
  | "not-found"
  | "unknown-step"
  | "closed"
  | "not-your-step"
  | "not-shepherd"
  | "no-evidence"
  | "not-ready"
  | "not-your-side"
  | "same-person"
  | "not-confirmed"
  | "no-repository"
  | "no-permission"
  | "github-unavailable";

export type ConsentResult = { ok: true; completed?: boolean } | { ok: false; reason: ConsentRefusal; role?: string };

const refuse = (reason: ConsentRefusal, role?: string) => ({ ok: false as const, reason, ...(role ? { role } : {}) });

/** Does this person play `party` in the transfer right now? */
export async function holdsParty(userId: number, transfer: TransferDetail, party: Party, now: number) {
  switch (party) {
    case "maintainer":
      return isVerifiedMaintainer(userId, transfer.packageId);
    case "successor":
      return transfer.successorUserId === userId;
    case "roadie":
      return transfer.roadieUserId === userId && (await hasRole(userId, "roadie", now));
  }
}

const allTicked = (transfer: TransferDetail) => transfer.steps.every((s) => s.doneAt !== null);

/**
 * Ticks (or unticks) a step, for its responsible party only. Unticking withdraws both
 * confirmations: they were given for a checklist that no longer holds.
 */
export async function tickStep(
  actorUserId: number,
  transferId: number,
  stepId: string,
  done: boolean,
  now = Date.now(),
): Promise<ConsentResult> {
  const transfer = await getTransfer(transferId);
  if (!transfer) return refuse("not-found");
  const step = transferSteps.find((s) => s.id === stepId);
  if (!step) return refuse("unknown-step");
  if (transfer.status !== "in_progress") return refuse("closed");
  if (!(await holdsParty(actorUserId, transfer, step.responsible, now))) return refuse("not-your-step");
  const audit = auditEntry(
    {
      actorUserId,
      action: done ? "transfer.step_done" : "transfer.step_undone",
      objectType: "transfer",
      objectId: transfer.id,
      detail: { step: step.id, as: step.responsible },
    },
    now,
  );
  if (!done) {
    await db().batch([
      db()
        .delete(st)
        .where(and(eq(st.transferId, transfer.id), eq(st.step, step.id))),
      db().delete(cf).where(eq(cf.transferId, transfer.id)),
      db().update(t).set({ updatedAt: now }).where(eq(t.id, transfer.id)),
      audit,
    ]);
    await notifyTransferSteps(transfer.id, now);
    return { ok: true };
  }
  const [inserted] = await db().batch([
    db()
      .insert(st)
      .values({ transferId: transfer.id, step: step.id, doneByUserId: actorUserId, doneAt: now })
      .onConflictDoNothing()
      .returning({ doneAt: st.doneAt }),
    db().update(t).set({ updatedAt: now }).where(eq(t.id, transfer.id)),
    audit,
  ] as const);
  // Already ticked: nothing new happened, so nobody is told again.
  if (!inserted.length) return { ok: true };
  const after = (await getTransfer(transfer.id))!;
  const remaining = after.steps.filter((s) => !s.doneAt).length;
  const by = after.steps.find((s) => s.id === step.id)?.doneBy ?? "someone";
  await notifyTransferParties(
    after,
    `step:${step.id}:${now}`,
    { kind: "step", stepLabel: step.label, by, remaining },
    now,
  );
  if (remaining === 0) {
    // The last tick names the "ready" event: untick and tick again, and it is a new one.
    const last = Math.max(...after.steps.map((s) => s.doneAt ?? 0));
    await notifyTransferParties(after, `ready:${last}`, { kind: "ready" }, now);
  }
  await notifyTransferSteps(transfer.id, now);
  return { ok: true };
}

/**
 * The shepherd roadie (or an admin) marks a step "checked", with the evidence they saw. It is a
 * record for everyone to read; it does not tick the step.
 */
export async function checkStep(
  actorUserId: number,
  transferId: number,
  stepId: string,
  note: string,
  now = Date.now(),
): Promise<ConsentResult> {
  const transfer = await getTransfer(transferId);
  if (!transfer) return refuse("not-found");
  if (!transferSteps.some((s) => s.id === stepId)) return refuse("unknown-step");
  if (transfer.status !== "in_progress") return refuse("closed");
  const allowed =
    (await holdsParty(actorUserId, transfer, "roadie", now)) || (await isEffectiveAdmin(actorUserId, now));
  if (!allowed) return refuse("not-shepherd");
  const evidence = note.trim();
  if (!evidence) return refuse("no-evidence");
  await db().batch([
    db()
      .insert(ck)
      .values({ transferId: transfer.id, step: stepId, checkedByUserId: actorUserId, note: evidence, checkedAt: now })
      .onConflictDoUpdate({
        target: [ck.transferId, ck.step],
        set: { checkedByUserId: actorUserId, note: evidence, checkedAt: now },
      }),
    db().update(t).set({ updatedAt: now }).where(eq(t.id, transfer.id)),
    auditEntry(
      {
        actorUserId,
        action: "transfer.step_checked",
        objectType: "transfer",
        objectId: transfer.id,
        detail: { step: stepId },
      },
      now,
    ),
  ]);
  return { ok: true };
}

/**
 * One side's explicit yes, once every step is ticked: `maintainer` by a verified maintainer of the
 * package, `successor` by the successor, never both by one person. A maintainer may step down with
 * it. When both sides have said yes, the transfer completes (if GitHub agrees: completeTransfer).
 */
export async function confirmTransfer(
  actorUserId: number,
  transferId: number,
  side: TransferConfirmingParty,
  { stepDown = false }: { stepDown?: boolean } = {},
  now = Date.now(),
): Promise<ConsentResult> {
  const transfer = await getTransfer(transferId);
  if (!transfer) return refuse("not-found");
  if (transfer.status !== "in_progress") return refuse("closed");
  if (!(await holdsParty(actorUserId, transfer, side, now))) return refuse("not-your-side");
  if (!allTicked(transfer)) return refuse("not-ready");
  const other = transfer.confirmations.find((c) => c.party !== side);
  if (other && other.userId === actorUserId) return refuse("same-person");
  const [inserted] = await db().batch([
    db()
      .insert(cf)
      .values({
        transferId: transfer.id,
        party: side,
        userId: actorUserId,
        stepDown: side === "maintainer" && stepDown,
        confirmedAt: now,
      })
      .onConflictDoNothing()
      .returning({ confirmedAt: cf.confirmedAt }),
    auditEntry(
      {
        actorUserId,
        action: "transfer.confirm",
        objectType: "transfer",
        objectId: transfer.id,
        detail: { side, stepDown: side === "maintainer" && stepDown },
      },
      now,
    ),
  ] as const);
  if (inserted.length) {
    const by = (
      await db().select({ login: schema.users.login }).from(schema.users).where(eq(schema.users.id, actorUserId)).get()
    )?.login;
    await notifyTransferParties(
      transfer,
      `confirmed:${side}:${now}`,
      {
        kind: "confirmed",
        side,
        by: by ?? "someone",
        waitingFor: other ? null : side === "maintainer" ? "successor" : "maintainer",
      },
      now,
    );
  }
  if (!other) return { ok: true, completed: false };
  return completeTransfer(actorUserId, transfer.id, now);
}

/** The successor's role on the package's repository, as GitHub says now. */
async function successorRole(
  transfer: TransferDetail,
): Promise<{ ok: true; role: RepositoryRole } | { ok: false; reason: "no-repository" | "github-unavailable" }> {
  const [owner, name] = (transfer.repository ?? "").split("/");
  const login = transfer.successor?.login;
  if (!owner || !name || !login) return { ok: false, reason: "no-repository" };
  // The successor's own token first: GitHub refuses it (403/404) exactly when they cannot even push.
  // Then the maintainers' tokens, which can always ask.
  const askers = await db()
    .select({ id: schema.users.id, tokenEnc: schema.users.githubTokenEnc })
    .from(schema.users)
    .where(inArray(schema.users.id, [transfer.successorUserId ?? 0, ...transfer.maintainers.map((m) => m.userId ?? 0)]))
    .all();
  askers.sort((a, b) => Number(b.id === transfer.successorUserId) - Number(a.id === transfer.successorUserId));
  for (const asker of askers) {
    const token = asker.tokenEnc ? decryptSecret(asker.tokenEnc) : null;
    if (!token) continue;
    try {
      return { ok: true, role: await fetchCollaboratorRole(token, owner, name, login) };
    } catch (error) {
      if (!(error instanceof GitHubError)) throw error;
      const own = asker.id === transfer.successorUserId;
      if (own && (error.kind === "denied" || error.kind === "not_found")) return { ok: true, role: "none" };
      log.warn("GitHub collaborator check failed", { transferId: transfer.id, kind: error.kind, status: error.status });
    }
  }
  return { ok: false, reason: "github-unavailable" };
}

/**
 * Completes the transfer when every step is ticked, both sides confirmed and GitHub shows the
 * successor with admin or maintain on the repository: the call is filled, the successor becomes a
 * verified maintainer, a maintainer who chose to step down is removed, and every party is told.
 * Anyone taking part may ask again (after the successor was given access).
 */
export async function completeTransfer(
  actorUserId: number,
  transferId: number,
  now = Date.now(),
): Promise<ConsentResult> {
  const transfer = await getTransfer(transferId);
  if (!transfer) return refuse("not-found");
  if (transfer.status !== "in_progress") return refuse("closed");
  if (!allTicked(transfer)) return refuse("not-ready");
  const maintainerYes = transfer.confirmations.find((c) => c.party === "maintainer");
  const successorYes = transfer.confirmations.find((c) => c.party === "successor");
  if (!maintainerYes || !successorYes || !transfer.successor) return refuse("not-confirmed");
  // The maintainer who said yes must still be one (a removal since then withdraws it).
  if (!maintainerYes.userId || !(await isVerifiedMaintainer(maintainerYes.userId, transfer.packageId)))
    return refuse("not-confirmed");

  const check = await successorRole(transfer);
  if (!check.ok) return refuse(check.reason);
  await db().update(t).set({ successorPermission: check.role, permissionCheckedAt: now }).where(eq(t.id, transfer.id));
  if (!SUFFICIENT_ROLES.includes(check.role)) {
    await auditEntry(
      {
        actorUserId,
        action: "transfer.complete_refused",
        objectType: "transfer",
        objectId: transfer.id,
        detail: { successorRole: check.role },
      },
      now,
    );
    return refuse("no-permission", check.role);
  }

  const call = await db().select().from(schema.calls).where(eq(schema.calls.id, transfer.callId)).get();
  if (!call) return refuse("not-found");
  const previous = await db()
    .select()
    .from(pm)
    .where(and(eq(pm.packageId, transfer.packageId), eq(pm.userId, maintainerYes.userId)))
    .get();
  const successor = transfer.successor;
  const steppingDown = maintainerYes.stepDown && maintainerYes.userId !== successor.id;
  // Told with the parties as they were before: the maintainer who steps down hears it too.
  const recipients = await transferRecipients(transfer, now);
  const [done] = await db().batch([
    db()
      .update(t)
      .set({ status: "completed", completedAt: now, updatedAt: now })
      .where(and(eq(t.id, transfer.id), eq(t.status, "in_progress")))
      .returning({ id: t.id }),
    db()
      .update(schema.calls)
      .set({
        status: "filled",
        filledByUserId: successor.id,
        filledAt: now,
        timeToFillMs: now - call.createdAt,
        outcomeNote: call.outcomeNote ?? "Ownership transferred through the Roadies checklist.",
        updatedAt: now,
      })
      .where(and(eq(schema.calls.id, call.id), sql`${schema.calls.status} NOT IN ('filled', 'closed')`)),
    db().insert(schema.callEvents).values({
      callId: call.id,
      actorUserId,
      kind: "status_changed",
      fromStatus: call.status,
      toStatus: "filled",
      note: "Transfer confirmed by both sides",
      createdAt: now,
    }),
    // GitHub just confirmed admin or maintain, and the package's link to its repository is the one
    // its maintainer was verified with: the successor is a verified maintainer from now (an
    // invitation or claim already listed for them is verified; otherwise a row is added).
    db()
      .update(pm)
      .set({ userId: successor.id, verifiedAt: now, proof: previous?.proof ?? null })
      .where(
        and(
          eq(pm.packageId, transfer.packageId),
          sql`(${pm.userId} = ${successor.id} OR lower(${pm.githubLogin}) = lower(${successor.login}))`,
        ),
      ),
    db()
      .insert(pm)
      .values({
        packageId: transfer.packageId,
        userId: successor.id,
        githubLogin: successor.login,
        verifiedAt: now,
        proof: previous?.proof ?? null,
        addedByUserId: maintainerYes.userId,
        createdAt: now,
      })
      .onConflictDoNothing(),
    ...(steppingDown
      ? [
          db()
            .delete(pm)
            .where(and(eq(pm.packageId, transfer.packageId), eq(pm.userId, maintainerYes.userId))),
        ]
      : []),
    auditEntry(
      {
        actorUserId,
        action: "transfer.complete",
        objectType: "transfer",
        objectId: transfer.id,
        detail: { callId: call.id, successorRole: check.role, steppedDown: steppingDown ? maintainerYes.userId : null },
      },
      now,
    ),
  ] as const);
  if (!done.length) return refuse("closed");
  await notifyTransferParties(
    transfer,
    "completed",
    { kind: "completed", successor: successor.login, steppedDown: steppingDown ? [maintainerYes.by] : [] },
    now,
    recipients,
  );
  return { ok: true, completed: true };
}
