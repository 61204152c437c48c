// [inbox] The working group's votes in people's inboxes: a vote to cast (to every member who may
// vote on it), and the outcome (to the person it was about, and to the voters). The outcome email
// to the subject is sent by votes.server.ts; these are the inbox's rows.
import { eq } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { notify } from "#app/models/inbox/notifications.server.ts";
import { listWorkingGroupMembers } from "#app/models/people/roadies.server.ts";
import type { ProposalKind } from "#db/schema.ts";

/** Where the working group votes on each kind of proposal. */
export function votePage(kind: ProposalKind): string {
  return kind === "roadie_application" || kind === "roadie_removal" ? "/admin/roadies" : "/admin/working-group";
}

function whatFor(kind: ProposalKind, login: string): string {
  switch (kind) {
    case "roadie_application":
      return `@${login}’s application to become a roadie`;
    case "wg_invitation":
      return `inviting @${login} to the working group`;
    case "roadie_removal":
      return `ending @${login}’s roadie term`;
    case "wg_removal":
      return `ending @${login}’s working-group term`;
  }
}

const yourWhat: Record<ProposalKind, string> = {
  roadie_application: "your application to become a roadie",
  wg_invitation: "your invitation to the working group",
  roadie_removal: "the proposal to end your roadie term",
  wg_removal: "the proposal to end your working-group term",
};

async function subjectLogin(userId: number): Promise<string> {
  const row = await db()
    .select({ login: schema.users.login })
    .from(schema.users)
    .where(eq(schema.users.id, userId))
    .get();
  return row?.login ?? "someone";
}

/** A new proposal: every working-group member but its subject has a vote to cast. */
export async function notifyVoteNeeded(
  proposal: { id: number; kind: ProposalKind; subjectUserId: number },
  now = Date.now(),
) {
  const [members, login] = await Promise.all([listWorkingGroupMembers(now), subjectLogin(proposal.subjectUserId)]);
  await notify(
    members
      .filter((m) => m.userId !== proposal.subjectUserId)
      .map((m) => ({
        userId: m.userId,
        kind: "vote-needed" as const,
        title: `Vote needed: ${whatFor(proposal.kind, login)}`,
        href: votePage(proposal.kind),
        key: `vote-needed:${proposal.id}`,
      })),
    now,
  );
}

/** A decided proposal: its subject hears the outcome, the members who could vote see it closed. */
export async function notifyVoteOutcome(
  proposal: { id: number; kind: ProposalKind; subjectUserId: number },
  outcome: "approved" | "rejected",
  now = Date.now(),
) {
  const [members, login] = await Promise.all([listWorkingGroupMembers(now), subjectLogin(proposal.subjectUserId)]);
  await notify(
    [
      {
        userId: proposal.subjectUserId,
        kind: "vote-outcome" as const,
        title: `The working group ${outcome} ${yourWhat[proposal.kind]}`,
        href: `/people/${login}`,
        key: `vote-outcome:${proposal.id}`,
      },
      ...members
        .filter((m) => m.userId !== proposal.subjectUserId)
        .map((m) => ({
          userId: m.userId,
          kind: "vote-closed" as const,
          title: `Vote closed: ${whatFor(proposal.kind, login)} was ${outcome}`,
          href: votePage(proposal.kind),
          key: `vote-closed:${proposal.id}`,
        })),
    ],
    now,
  );
}
