// The working group's votes: tallies over the members who are active now, the decision and its
// effects (a new stint, or the end of one and of its powers), the outcome email, and the lists of
// proposals for the working group's pages.
import { and, asc, count, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { env } from "#app/utils/env.server.ts";
import { sendEmail } from "#app/utils/email.server.ts";
import { log } from "#app/utils/log.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { endOfRoleWrite } from "#app/models/people/powers.server.ts";
import {
  TERM_MONTHS,
  activeIn,
  addMonths,
  isRemoval,
  isWorkingGroupMember,
  listWorkingGroupMembers,
  majorityOf,
  roleOfKind,
} from "#app/models/people/roadies.server.ts";
import { notifyVoteOutcome } from "#app/models/people/vote-notices.server.ts";
import { peopleNotice } from "#emails/people-notice.tsx";
import type { ProposalKind, VoteChoice } from "#db/schema.ts";

const m = schema.memberships;
const p = schema.trustProposals;
const v = schema.trustVotes;
const u = schema.users;

export type Tally = {
  activeMembers: number;
  needed: number;
  approvals: number;
  rejections: number;
  abstentions: number;
  outcome: "approved" | "rejected" | null;
};

/**
 * Counts the votes of people who are active working-group members right now: a member whose term
 * lapsed mid-vote no longer counts, neither in the votes nor in the number needed.
 */
export async function tallyProposal(proposalId: number, now = Date.now()): Promise<Tally> {
  // Side by side: one round trip (db.server.ts).
  const [members, votes] = await Promise.all([
    listWorkingGroupMembers(now),
    db().select().from(v).where(eq(v.proposalId, proposalId)).all(),
  ]);
  return tallyOf(votes, members);
}

/** A proposal's tally from its votes: only the votes of the working group's members now count. */
function tallyOf(votes: { voterUserId: number | null; choice: VoteChoice }[], members: { userId: number }[]): Tally {
  const electorate = new Set(members.map((x) => x.userId));
  const counted = votes.filter((x) => x.voterUserId !== null && electorate.has(x.voterUserId));
  const approvals = counted.filter((x) => x.choice === "approve").length;
  const rejections = counted.filter((x) => x.choice === "reject").length;
  const abstentions = counted.filter((x) => x.choice === "abstain").length;
  const needed = majorityOf(members.length);
  const outcome =
    members.length === 0 ? null : approvals >= needed ? "approved" : rejections >= needed ? "rejected" : null;
  return { activeMembers: members.length, needed, approvals, rejections, abstentions, outcome };
}

export type VoteResult =
  | { ok: true; tally: Tally; decided: boolean }
  | { ok: false; reason: "not-member" | "no-such-proposal" | "closed" | "own-proposal" };

export async function castVote(
  voterUserId: number,
  proposalId: number,
  choice: VoteChoice,
  comment: string | null,
  now = Date.now(),
): Promise<VoteResult> {
  const proposal = await db().select().from(p).where(eq(p.id, proposalId)).get();
  if (!proposal) return { ok: false, reason: "no-such-proposal" };
  if (!(await isWorkingGroupMember(voterUserId, now))) return { ok: false, reason: "not-member" };
  if (proposal.status !== "open") return { ok: false, reason: "closed" };
  if (proposal.subjectUserId === voterUserId) return { ok: false, reason: "own-proposal" };
  await db().batch([
    db()
      .insert(v)
      .values({ proposalId, voterUserId, choice, comment: comment || null, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [v.proposalId, v.voterUserId],
        set: { choice, comment: comment || null, updatedAt: now },
      }),
    auditEntry(
      {
        actorUserId: voterUserId,
        action: "proposal.vote",
        objectType: "proposal",
        objectId: proposalId,
        detail: { choice },
      },
      now,
    ),
  ]);
  const { tally, decided } = await settleProposal(proposalId, now);
  return { ok: true, tally, decided };
}

/** Decides the proposal when its tally has an outcome; safe to call again (decides once). */
export async function settleProposal(
  proposalId: number,
  now = Date.now(),
): Promise<{ tally: Tally; decided: boolean }> {
  const tally = await tallyProposal(proposalId, now);
  if (!tally.outcome) return { tally, decided: false };
  const proposal = await db().select().from(p).where(eq(p.id, proposalId)).get();
  if (!proposal || proposal.status !== "open") return { tally, decided: false };
  const role = roleOfKind(proposal.kind);
  const effects = [];
  if (tally.outcome === "approved") {
    if (isRemoval(proposal.kind)) {
      effects.push(
        db()
          .update(m)
          .set({ status: "removed", endedAt: now })
          .where(and(eq(m.userId, proposal.subjectUserId), activeIn(role, now))),
        endOfRoleWrite(role, sql`${proposal.subjectUserId}`, now),
      );
    } else {
      // Guarded so a concurrent decision cannot start a second stint.
      effects.push(
        db().run(sql`INSERT INTO memberships (user_id, role, status, started_at, term_ends_at, terms, proposal_id)
          SELECT ${proposal.subjectUserId}, ${role}, 'active', ${now}, ${addMonths(now, TERM_MONTHS)}, 1, ${proposal.id}
          WHERE EXISTS (SELECT 1 FROM trust_proposals WHERE id = ${proposal.id} AND decided_at = ${now} AND status = 'approved')
            AND NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = ${proposal.subjectUserId} AND role = ${role}
              AND status = 'active' AND term_ends_at > ${now})`),
      );
    }
  }
  const [updated] = await db().batch([
    db()
      .update(p)
      .set({ status: tally.outcome, decidedAt: now })
      .where(and(eq(p.id, proposalId), eq(p.status, "open")))
      .returning({ id: p.id }),
    ...effects,
    auditEntry(
      {
        actorUserId: null,
        action: `proposal.${tally.outcome}`,
        objectType: "proposal",
        objectId: proposalId,
        detail: {
          kind: proposal.kind,
          subjectUserId: proposal.subjectUserId,
          approvals: tally.approvals,
          rejections: tally.rejections,
        },
      },
      now,
    ),
  ] as const);
  if (!updated.length) return { tally, decided: false };
  await notifyVoteOutcome(proposal, tally.outcome, now);
  await emailOutcome(proposal.id, proposal.kind, proposal.subjectUserId, tally.outcome);
  return { tally, decided: true };
}

const kindWords: Record<ProposalKind, { what: string; approved: string; rejected: string }> = {
  roadie_application: {
    what: "your application to become a roadie",
    approved:
      "Welcome aboard: you are now a roadie for the next six months. Your profile shows the roadie badge, and you can volunteer to shepherd ownership transfers from the working group's page.",
    rejected:
      "The working group did not approve it this time. You are welcome to apply again later; a member can tell you what would help.",
  },
  wg_invitation: {
    what: "your invitation to the working group",
    approved:
      "The working group voted you in for a six-month term. You can now vote on applications and help triage nominations.",
    rejected: "The working group did not approve the invitation this time.",
  },
  roadie_removal: {
    what: "the proposal to end your roadie term",
    approved: "The working group voted to end your term as a roadie. Your history on Roadies is kept.",
    rejected: "The working group did not approve it: you stay a roadie.",
  },
  wg_removal: {
    what: "the proposal to end your working-group term",
    approved: "The working group voted to end your term as a member. Your history on Roadies is kept.",
    rejected: "The working group did not approve it: you stay a member.",
  },
};

async function emailOutcome(proposalId: number, kind: ProposalKind, userId: number, outcome: "approved" | "rejected") {
  const person = await db()
    .select({ id: u.id, email: deliveryAddress, login: u.login })
    .from(u)
    .where(eq(u.id, userId))
    .get();
  if (!person?.email) return;
  const words = kindWords[kind];
  const appUrl = env().appUrl;
  const heading = `The working group ${outcome} ${words.what}`;
  const { subject, react } = peopleNotice(
    kind === "roadie_application" && outcome === "approved" ? "You are now a roadie" : `Roadies: ${heading}`,
    {
      appUrl,
      heading,
      paragraphs: [words[outcome]],
      action: { href: `${appUrl}/people/${person.login}`, label: "See your profile" },
      reason:
        "You receive this because the Roadies working group decided something about your account. We send it once.",
    },
  );
  const result = await sendEmail({
    to: person.email,
    subject,
    react,
    template: "people-proposal-outcome",
    kind: "people-proposal-outcome",
    idempotencyKey: `proposal-outcome:${proposalId}`,
    userId: person.id,
  });
  if (!result.ok) log.warn("proposal outcome email failed", { proposalId, userId, error: result.error });
}

export type ProposalView = {
  id: number;
  kind: ProposalKind;
  status: string;
  motivation: string;
  evidence: string[];
  createdAt: number;
  decidedAt: number | null;
  subject: { id: number; login: string; name: string | null; githubCreatedAt: number | null };
  proposedBy: string | null;
  votes: { voter: string | null; choice: VoteChoice; comment: string | null; counted: boolean }[];
  myVote: VoteChoice | null;
  tally: Tally;
};

/** Open proposals (or recently decided ones) with their votes, for the working group's pages. */
export async function listProposals(
  viewerUserId: number,
  { status = "open", kinds }: { status?: "open" | "decided"; kinds?: ProposalKind[] } = {},
  now = Date.now(),
): Promise<ProposalView[]> {
  const subject = schema.users;
  const rows = await db()
    .select({
      proposal: p,
      subject: { id: subject.id, login: subject.login, name: subject.name, githubCreatedAt: subject.githubCreatedAt },
    })
    .from(p)
    .innerJoin(subject, eq(subject.id, p.subjectUserId))
    .where(
      and(status === "open" ? eq(p.status, "open") : ne(p.status, "open"), kinds ? inArray(p.kind, kinds) : undefined),
    )
    .orderBy(status === "open" ? asc(p.createdAt) : desc(p.decidedAt))
    .limit(100)
    .all();
  if (!rows.length) return [];
  const ids = rows.map((r) => r.proposal.id);
  // The rest asked side by side: one round trip (db.server.ts).
  const [memberRows, votes, proposers] = await Promise.all([
    listWorkingGroupMembers(now),
    db()
      .select({
        proposalId: v.proposalId,
        voterUserId: v.voterUserId,
        voter: u.login,
        choice: v.choice,
        comment: v.comment,
      })
      .from(v)
      .leftJoin(u, eq(u.id, v.voterUserId))
      .where(inArray(v.proposalId, ids))
      .orderBy(asc(v.createdAt))
      .all(),
    db()
      .select({ id: u.id, login: u.login })
      .from(u)
      .where(
        inArray(
          u.id,
          rows.map((r) => r.proposal.proposedByUserId ?? 0),
        ),
      )
      .all(),
  ]);
  const members = new Set(memberRows.map((x) => x.userId));
  const result: ProposalView[] = [];
  for (const r of rows) {
    const mine = votes.filter((x) => x.proposalId === r.proposal.id);
    result.push({
      id: r.proposal.id,
      kind: r.proposal.kind,
      status: r.proposal.status,
      motivation: r.proposal.motivation,
      evidence: r.proposal.evidence,
      createdAt: r.proposal.createdAt,
      decidedAt: r.proposal.decidedAt,
      subject: r.subject,
      proposedBy: proposers.find((x) => x.id === r.proposal.proposedByUserId)?.login ?? null,
      votes: mine.map((x) => ({
        voter: x.voter,
        choice: x.choice,
        comment: x.comment,
        counted: x.voterUserId !== null && members.has(x.voterUserId),
      })),
      myVote: mine.find((x) => x.voterUserId === viewerUserId)?.choice ?? null,
      tally: tallyOf(mine, memberRows),
    });
  }
  return result;
}

export function countOpenProposals() {
  return db().select({ kind: p.kind, n: count() }).from(p).where(eq(p.status, "open")).groupBy(p.kind).all();
}

/** Re-checks open votes: a shrinking electorate can turn existing votes into a majority. */
export async function settleOpenProposals(now = Date.now()) {
  const open = await db().select({ id: p.id }).from(p).where(eq(p.status, "open")).all();
  for (const row of open) await settleProposal(row.id, now);
}
