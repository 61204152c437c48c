// The trust ladder: roadies and working-group members, their 6-month terms, and the votes that
// let people in or take them out. One set of rules for both roles, so they cannot drift apart.
import { and, asc, count, desc, eq, gt, inArray, lte, ne, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { sendEmail } from "#app/utils/email.server.ts";
import { createSignedToken, verifySignedToken } from "#app/utils/signed-token.server.ts";
import { auditEntry, recordAudit } from "#app/models/moderation/audit.server.ts";
import {
  countEffectiveAdmins,
  endOfRoleWrite,
  hasRoleSql,
  isAdminSql,
  isEffectiveAdmin,
} from "#app/models/people/powers.server.ts";
import { requireUser } from "#app/utils/auth.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { peopleNotice } from "#emails/people-notice.tsx";
import type { ProposalKind, TrustRole, VoteChoice } from "#db/schema.ts";

export const DAY_MS = 24 * 60 * 60 * 1000;
/** GitHub accounts younger than this cannot apply to be a roadie. */
export const MIN_GITHUB_ACCOUNT_AGE_DAYS = 90;
export const TERM_MONTHS = 6;
/** Days before a term ends when the "stay on" email goes out. */
export const RENEWAL_REMINDER_DAYS = [14, 3] as const;
export const RENEW_TOKEN_PURPOSE = "renew-term";

const m = schema.memberships;
const p = schema.trustProposals;
const v = schema.trustVotes;
const u = schema.users;

/** The same day of the month, `months` later (clamped to the month's last day), in UTC. */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

const activeIn = (role: TrustRole, now: number) => and(eq(m.role, role), eq(m.status, "active"), gt(m.termEndsAt, now));
const notSuspended = sql`NOT EXISTS (SELECT 1 FROM account_suspensions s WHERE s.user_id = ${u.id})`;

/** Holds the role now: a current stint and not suspended (the rule lives in powers.server.ts). */
async function hasActive(userId: number, role: TrustRole, now: number) {
  const row = await db()
    .select({ id: u.id })
    .from(u)
    .where(and(eq(u.id, userId), hasRoleSql(u.id, [role], now)))
    .get();
  return Boolean(row);
}

export const isActiveRoadie = (userId: number, now = Date.now()) => hasActive(userId, "roadie", now);
export const isWorkingGroupMember = (userId: number, now = Date.now()) => hasActive(userId, "working_group", now);

export type TrustMember = {
  userId: number;
  login: string;
  name: string | null;
  avatarUrl: string | null;
  email: string | null;
  membershipId: number;
  startedAt: number;
  termEndsAt: number;
  isAdmin: boolean;
};

function listActive(role: TrustRole, now: number): Promise<TrustMember[]> {
  return db()
    .select({
      userId: u.id,
      login: u.login,
      name: u.name,
      avatarUrl: u.avatarUrl,
      email: u.email,
      membershipId: m.id,
      startedAt: m.startedAt,
      termEndsAt: m.termEndsAt,
      isAdmin: isAdminSql(u.id, now),
    })
    .from(m)
    .innerJoin(u, eq(u.id, m.userId))
    .where(and(activeIn(role, now), notSuspended))
    .orderBy(asc(sql`lower(${u.login})`))
    .all();
}

/** Active roadies (not suspended), by login. */
export const listActiveRoadies = (now = Date.now()) => listActive("roadie", now);
/** Active working-group members (not suspended), by login: the electorate of every vote. */
export const listWorkingGroupMembers = (now = Date.now()) => listActive("working_group", now);

/** Working-group admins now: the flag, a current working-group stint, not suspended. */
export function listWorkingGroupAdmins(now = Date.now()) {
  return db()
    .select({ userId: u.id, login: u.login, name: u.name, email: u.email })
    .from(u)
    .where(isAdminSql(u.id, now))
    .orderBy(asc(sql`lower(${u.login})`))
    .all();
}

/** The votes needed to decide: a majority of active working-group members, 50% + 1. */
export const majorityOf = (activeMembers: number) => Math.floor(activeMembers / 2) + 1;

export function roleOfKind(kind: ProposalKind): TrustRole {
  return kind === "roadie_application" || kind === "roadie_removal" ? "roadie" : "working_group";
}
export const isRemoval = (kind: ProposalKind) => kind === "roadie_removal" || kind === "wg_removal";

/** The insert that starts a fresh 6-month stint. */
export function membershipStart(userId: number, role: TrustRole, now: number, proposalId: number | null = null) {
  return db()
    .insert(m)
    .values({
      userId,
      role,
      status: "active",
      startedAt: now,
      termEndsAt: addMonths(now, TERM_MONTHS),
      terms: 1,
      proposalId,
    });
}

// ---------------------------------------------------------------------------------------------
// Applying

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
  const suspended = await db()
    .select({ id: schema.accountSuspensions.userId })
    .from(schema.accountSuspensions)
    .where(eq(schema.accountSuspensions.userId, user.id))
    .get();
  if (suspended) return { ok: false, reason: "suspended" };
  // An unknown creation date counts as brand new: trust is given, not assumed.
  const created = user.githubCreatedAt ?? now;
  const canApplyFrom = created + MIN_GITHUB_ACCOUNT_AGE_DAYS * DAY_MS;
  if (canApplyFrom > now) return { ok: false, reason: "too-young", canApplyFrom };
  if (await isActiveRoadie(user.id, now)) return { ok: false, reason: "already-roadie" };
  const pending = await openProposalFor(user.id, "roadie_application");
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
      evidence: JSON.stringify(input.evidence),
      createdAt: now,
    })
    .returning({ id: p.id });
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
      .values({ kind, subjectUserId, proposedByUserId: actor.id, motivation: reason, evidence: "[]", createdAt: now })
      .returning({ id: p.id }),
  ]);
  return { ok: true, proposalId: row!.id };
}

// ---------------------------------------------------------------------------------------------
// Voting

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
  const members = await listWorkingGroupMembers(now);
  const electorate = new Set(members.map((x) => x.userId));
  const votes = await db().select().from(v).where(eq(v.proposalId, proposalId)).all();
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
  const person = await db().select({ id: u.id, email: u.email, login: u.login }).from(u).where(eq(u.id, userId)).get();
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
  const members = new Set((await listWorkingGroupMembers(now)).map((x) => x.userId));
  const votes = await db()
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
    .all();
  const proposers = await db()
    .select({ id: u.id, login: u.login })
    .from(u)
    .where(
      inArray(
        u.id,
        rows.map((r) => r.proposal.proposedByUserId ?? 0),
      ),
    )
    .all();
  const result: ProposalView[] = [];
  for (const r of rows) {
    const mine = votes.filter((x) => x.proposalId === r.proposal.id);
    result.push({
      id: r.proposal.id,
      kind: r.proposal.kind,
      status: r.proposal.status,
      motivation: r.proposal.motivation,
      evidence: parseList(r.proposal.evidence),
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
      tally: await tallyProposal(r.proposal.id, now),
    });
  }
  return result;
}

export function parseList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export function countOpenProposals() {
  return db().select({ kind: p.kind, n: count() }).from(p).where(eq(p.status, "open")).groupBy(p.kind).all();
}

// ---------------------------------------------------------------------------------------------
// Terms: renewals, lapses, stepping down

export function renewalToken(membershipId: number, termEndsAt: number) {
  // The term's end is part of the subject: once renewed, the same link cannot renew again.
  return createSignedToken({
    purpose: RENEW_TOKEN_PURPOSE,
    subject: `${membershipId}:${termEndsAt}`,
    expiresAt: termEndsAt,
  });
}

export async function describeRenewal(token: string, now = Date.now()) {
  const subject = verifySignedToken(token, RENEW_TOKEN_PURPOSE, now);
  if (!subject) return null;
  const [id, end] = subject.split(":").map(Number);
  const row = await db()
    .select({ membership: m, login: u.login, name: u.name })
    .from(m)
    .innerJoin(u, eq(u.id, m.userId))
    .where(eq(m.id, id!))
    .get();
  if (!row) return null;
  const renewed = row.membership.termEndsAt !== end;
  return { ...row, renewed, usable: !renewed && row.membership.status === "active" && row.membership.termEndsAt > now };
}

/** Extends the term named by the token by 6 months from its current end. Once per token. */
export async function renewWithToken(token: string, now = Date.now()) {
  const info = await describeRenewal(token, now);
  if (!info || !info.usable) return { ok: false as const };
  const ms = info.membership;
  const newEnd = addMonths(ms.termEndsAt, TERM_MONTHS);
  const [updated] = await db().batch([
    db()
      .update(m)
      .set({ termEndsAt: newEnd, terms: ms.terms + 1 })
      .where(and(eq(m.id, ms.id), eq(m.termEndsAt, ms.termEndsAt), eq(m.status, "active")))
      .returning({ id: m.id }),
    auditEntry(
      {
        actorUserId: ms.userId,
        action: "term.renew",
        objectType: "membership",
        objectId: ms.id,
        detail: { role: ms.role, termEndsAt: newEnd },
      },
      now,
    ),
  ] as const);
  return updated.length ? { ok: true as const, termEndsAt: newEnd, role: ms.role } : { ok: false as const };
}

/**
 * Ends the person's active stint in `role` now, without a vote. The last admin cannot step down
 * from the working group (it would end their admin rights and leave nobody to grant them).
 */
export async function stepDown(
  userId: number,
  role: TrustRole,
  now = Date.now(),
): Promise<{ ok: true; ended: boolean } | { ok: false; reason: "last-admin" }> {
  if (role === "working_group" && (await isEffectiveAdmin(userId, now)) && (await countEffectiveAdmins(now)) <= 1)
    return { ok: false, reason: "last-admin" };
  const [ended] = await db().batch([
    db()
      .update(m)
      .set({ status: "stepped_down", endedAt: now })
      .where(and(eq(m.userId, userId), activeIn(role, now)))
      .returning({ id: m.id }),
    endOfRoleWrite(role, sql`${userId}`, now),
    auditEntry(
      { actorUserId: userId, action: "term.step_down", objectType: "user", objectId: userId, detail: { role } },
      now,
    ),
  ] as const);
  if (ended.length) await settleOpenProposals(now);
  return { ok: true, ended: ended.length > 0 };
}

/** Re-checks open votes: a shrinking electorate can turn existing votes into a majority. */
export async function settleOpenProposals(now = Date.now()) {
  const open = await db().select({ id: p.id }).from(p).where(eq(p.status, "open")).all();
  for (const row of open) await settleProposal(row.id, now);
}

const roleWords: Record<TrustRole, string> = { roadie: "roadie", working_group: "working-group member" };

/**
 * The daily terms job: reminds people 14 and 3 days before their term ends (each reminder once,
 * by idempotency key), marks ended terms as lapsed, and settles votes the lapses decided.
 */
export async function runTermsJob(now = Date.now()) {
  const appUrl = env().appUrl;
  const soon = await db()
    .select({ membership: m, email: u.email, login: u.login, name: u.name })
    .from(m)
    .innerJoin(u, eq(u.id, m.userId))
    .where(
      and(eq(m.status, "active"), gt(m.termEndsAt, now), lte(m.termEndsAt, now + RENEWAL_REMINDER_DAYS[0] * DAY_MS)),
    )
    .all();
  let reminded = 0;
  for (const row of soon) {
    if (!row.email) continue;
    const ms = row.membership;
    const daysLeft = (ms.termEndsAt - now) / DAY_MS;
    const stage = daysLeft <= RENEWAL_REMINDER_DAYS[1] ? RENEWAL_REMINDER_DAYS[1] : RENEWAL_REMINDER_DAYS[0];
    const role = roleWords[ms.role];
    const endDate = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(ms.termEndsAt);
    const { subject, react } = peopleNotice(`Your ${role} term ends in ${stage} days`, {
      appUrl,
      heading: `Your ${role} term ends on ${endDate}`,
      paragraphs: [
        `Thank you for serving as a ${role}. Your current term ends on ${endDate}. If you would like to stay on for another six months, one click is enough: no sign-in needed.`,
        "If you do nothing, your term simply ends: your history stays on Roadies and you can apply again whenever you like.",
      ],
      action: {
        href: `${appUrl}/terms/renew?token=${encodeURIComponent(renewalToken(ms.id, ms.termEndsAt))}`,
        label: "Stay on for another term",
      },
      reason: `You receive this because you are a ${role} on Roadies. We send two reminders per term, 14 and 3 days before it ends.`,
    });
    const result = await sendEmail({
      to: row.email,
      subject,
      react,
      template: "people-term-renewal",
      idempotencyKey: `term-renewal:${ms.id}:${ms.termEndsAt}:${stage}`,
      userId: ms.userId,
    });
    if (result.ok && !("skipped" in result && result.skipped)) reminded++;
    if (!result.ok) log.warn("term renewal email failed", { membershipId: ms.id, error: result.error });
  }
  // Who lapses now, per role; the powers behind those roles end in the same write.
  const lapsing = (role: TrustRole) =>
    sql`SELECT user_id FROM memberships WHERE role = ${role} AND status = 'active' AND term_ends_at <= ${now}`;
  const [, , lapsed] = await db().batch([
    // Guarded by "no longer holds the role" at `now`, which a lapsing term already does not.
    endOfRoleWrite("working_group", lapsing("working_group"), now),
    endOfRoleWrite("roadie", lapsing("roadie"), now),
    db()
      .update(m)
      .set({ status: "lapsed", endedAt: sql`${m.termEndsAt}` })
      .where(and(eq(m.status, "active"), lte(m.termEndsAt, now)))
      .returning({ id: m.id, userId: m.userId, role: m.role }),
  ] as const);
  if (lapsed.length) {
    await db().batch(
      lapsed.map((x) =>
        auditEntry(
          {
            actorUserId: null,
            action: "term.lapse",
            objectType: "membership",
            objectId: x.id,
            detail: { role: x.role, userId: x.userId },
          },
          now,
        ),
      ) as [ReturnType<typeof auditEntry>, ...ReturnType<typeof auditEntry>[]],
    );
  }
  try {
    await settleOpenProposals(now);
  } catch (error) {
    log.error("settling proposals failed", errorFields(error));
  }
  return { reminded, lapsed: lapsed.length };
}

/** Every stint a person had, newest first: shown on their profile and in the export. */
export function listMemberships(userId: number) {
  return db().select().from(m).where(eq(m.userId, userId)).orderBy(desc(m.startedAt)).all();
}

export type AdminChangeResult =
  { ok: true } | { ok: false; reason: "not-allowed" | "not-member" | "suspended" | "last-admin"; message: string };

const adminChangeMessages = {
  "not-allowed": "Only a working-group admin can grant or remove the admin role.",
  "not-member": "Only current working-group members can be admins: invite them first.",
  suspended: "That account is suspended.",
  "last-admin": "This is the last working-group admin: make another member an admin first.",
} as const;
const refuse = (reason: keyof typeof adminChangeMessages): AdminChangeResult => ({
  ok: false,
  reason,
  message: adminChangeMessages[reason],
});

/**
 * Makes a working-group member an admin. `actorUserId` must be an admin now; null is the operator's
 * `npm run admin:grant`, the only way in without one, which also starts a working-group stint (an
 * admin is always a member: admin rights derive from the membership).
 */
export async function grantAdmin(
  userId: number,
  actorUserId: number | null,
  now = Date.now(),
): Promise<AdminChangeResult> {
  if (actorUserId !== null && !(await isEffectiveAdmin(actorUserId, now))) return refuse("not-allowed");
  const suspended = await db()
    .select({ id: schema.accountSuspensions.userId })
    .from(schema.accountSuspensions)
    .where(eq(schema.accountSuspensions.userId, userId))
    .get();
  if (suspended) return refuse("suspended");
  const member = await isWorkingGroupMember(userId, now);
  if (!member && actorUserId !== null) return refuse("not-member");
  await db().batch([
    db().update(u).set({ adminFlag: true, updatedAt: now }).where(eq(u.id, userId)),
    ...(member ? [] : [membershipStart(userId, "working_group", now)]),
    auditEntry({ actorUserId, action: "admin.grant", objectType: "user", objectId: userId }, now),
  ]);
  return { ok: true };
}

/**
 * Removes someone's admin flag. Only an admin (now) may, and never the last one: the check is
 * inside the write, so two admins removing each other at the same moment cannot both succeed.
 */
export async function revokeAdmin(userId: number, actorUserId: number, now = Date.now()): Promise<AdminChangeResult> {
  if (!(await isEffectiveAdmin(actorUserId, now))) return refuse("not-allowed");
  const updated = await db()
    .update(u)
    .set({ adminFlag: false, updatedAt: now })
    .where(
      and(
        eq(u.id, userId),
        isAdminSql(actorUserId, now),
        sql`EXISTS (SELECT 1 FROM users other WHERE other.id <> ${userId} AND ${isAdminSql(sql`other.id`, now)})`,
      ),
    )
    .returning({ id: u.id });
  if (!updated.length) return refuse((await isEffectiveAdmin(actorUserId, now)) ? "last-admin" : "not-allowed");
  await recordAudit({ actorUserId, action: "admin.revoke", objectType: "user", objectId: userId }, now);
  return { ok: true };
}

/** Users who are neither suspended nor deleted, for pickers: login lookups only. */
export function findUserIdByLogin(login: string) {
  return db()
    .select({ id: u.id })
    .from(u)
    .where(sql`lower(${u.login}) = lower(${login})`)
    .get();
}

// ---------------------------------------------------------------------------------------------
// Guards for the working group's pages

/** A working-group member or admin; everyone else gets 403 (signed-out people go to sign in). */
export async function requireWorkingGroup(request: Request, now = Date.now()) {
  const user = await requireUser(request);
  if (!user.isAdmin && !(await isWorkingGroupMember(user.id, now))) throw new Response("Forbidden", { status: 403 });
  return user;
}

/** Roadies triage nominations and shepherd transfers; the working group may too. */
export async function requireRoadieOrWorkingGroup(request: Request, now = Date.now()) {
  const user = await requireUser(request);
  if (user.isAdmin || (await isWorkingGroupMember(user.id, now)) || (await isActiveRoadie(user.id, now))) return user;
  throw new Response("Forbidden", { status: 403 });
}
