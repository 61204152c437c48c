// Applying to be a roadie, and the working group's proposals to invite or remove someone: each
// opens a proposal that the working group then votes on (votes.server.ts).
import { and, eq } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { isEffectiveAdmin } from "#app/models/people/powers.server.ts";
import {
  MIN_GITHUB_ACCOUNT_AGE_DAYS,
  hasActive,
  isActiveRoadie,
  isRemoval,
  isWorkingGroupMember,
  roleOfKind,
} from "#app/models/people/roadies.server.ts";
import { notifyVoteNeeded } from "#app/models/people/vote-notices.server.ts";
import type { ProposalKind } from "#db/schema.ts";
import { DAY_MS } from "#app/utils/dates.ts";

const p = schema.trustProposals;
const u = schema.users;

export type ApplyCheck =
  | { ok: true }
  | { ok: false; reason: "too-young"; canApplyFrom: number }
  | { ok: false; reason: "already-roadie" }
  | { ok: false; reason: "pending"; proposalId: number }
  | { ok: false; reason: "suspended" };

/** Whether this person may apply now; accounts younger than 90 days learn the day they can. */
export async function checkCanApply(
  user: { id: number; githubCreatedAt: number | null },
  now = Date.now(),
): Promise<ApplyCheck> {
  // The three questions side by side (one round trip), answered in this order.
  const [suspended, roadie, pending] = await Promise.all([
    db()
      .select({ id: schema.accountSuspensions.userId })
      .from(schema.accountSuspensions)
      .where(eq(schema.accountSuspensions.userId, user.id))
      .get(),
    isActiveRoadie(user.id, now),
    openProposalFor(user.id, "roadie_application"),
  ]);
  if (suspended) return { ok: false, reason: "suspended" };
  // An unknown creation date counts as brand new: trust is given, not assumed.
  const created = user.githubCreatedAt ?? now;
  const canApplyFrom = created + MIN_GITHUB_ACCOUNT_AGE_DAYS * DAY_MS;
  if (canApplyFrom > now) return { ok: false, reason: "too-young", canApplyFrom };
  if (roadie) return { ok: false, reason: "already-roadie" };
  if (pending) return { ok: false, reason: "pending", proposalId: pending.id };
  return { ok: true };
}

function openProposalFor(userId: number, kind: ProposalKind) {
  return db()
    .select({ id: p.id })
    .from(p)
    .where(and(eq(p.subjectUserId, userId), eq(p.kind, kind), eq(p.status, "open")))
    .get();
}

export async function applyAsRoadie(
  user: { id: number; githubCreatedAt: number | null },
  input: { motivation: string; evidence: string[] },
  now = Date.now(),
): Promise<{ ok: true; proposalId: number } | Exclude<ApplyCheck, { ok: true }>> {
  const check = await checkCanApply(user, now);
  if (!check.ok) return check;
  const [row] = await db()
    .insert(p)
    .values({
      kind: "roadie_application",
      subjectUserId: user.id,
      proposedByUserId: user.id,
      motivation: input.motivation,
      evidence: input.evidence,
      createdAt: now,
    })
    .returning({ id: p.id });
  await notifyVoteNeeded({ id: row!.id, kind: "roadie_application", subjectUserId: user.id }, now);
  return { ok: true, proposalId: row!.id };
}

export type ProposeResult =
  | { ok: true; proposalId: number }
  | { ok: false; reason: "not-allowed" | "no-such-user" | "already-member" | "not-member" | "pending" };

/**
 * A working-group member proposes removing a roadie or member; an admin invites a new member.
 * The proposer's own vote is not implied: they vote like everyone else.
 */
export async function proposeChange(
  actor: { id: number },
  kind: Exclude<ProposalKind, "roadie_application">,
  subjectUserId: number,
  reason: string,
  now = Date.now(),
): Promise<ProposeResult> {
  // Asked of the database, not of the caller's copy of the user: powers are derived at the source.
  if (!(await isWorkingGroupMember(actor.id, now))) return { ok: false, reason: "not-allowed" };
  if (kind === "wg_invitation" && !(await isEffectiveAdmin(actor.id, now))) return { ok: false, reason: "not-allowed" };
  const subject = await db().select({ id: u.id }).from(u).where(eq(u.id, subjectUserId)).get();
  if (!subject) return { ok: false, reason: "no-such-user" };
  const role = roleOfKind(kind);
  const member = await hasActive(subjectUserId, role, now);
  if (isRemoval(kind) && !member) return { ok: false, reason: "not-member" };
  if (!isRemoval(kind) && member) return { ok: false, reason: "already-member" };
  if (await openProposalFor(subjectUserId, kind)) return { ok: false, reason: "pending" };
  const [, [row]] = await db().batch([
    auditEntry({ actorUserId: actor.id, action: `proposal.${kind}`, objectType: "user", objectId: subjectUserId }, now),
    db()
      .insert(p)
      .values({ kind, subjectUserId, proposedByUserId: actor.id, motivation: reason, evidence: [], createdAt: now })
      .returning({ id: p.id }),
  ]);
  await notifyVoteNeeded({ id: row!.id, kind, subjectUserId }, now);
  return { ok: true, proposalId: row!.id };
}
