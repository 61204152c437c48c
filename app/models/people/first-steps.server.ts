// The home page of a signed-in person: their next useful step (a profile to complete, calls that fit
// their skills, digest preferences to set) and what is waiting for their answer (interests in their
// calls, working-group votes, programme applications to review, special requests assigned to them).
// One query: every figure is a subquery of the person's row, each built on the rule's one home.
import { eq, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { hasRoleSql, isAdminSql } from "#app/models/people/powers.server.ts";
import { verifiedMaintainerSql } from "#app/models/packages/maintainers.server.ts";
import { listedCallSql } from "#app/models/calls/listing.server.ts";
import { notSuspendedSql } from "#app/models/people/suspension.server.ts";

/** "missing": nothing said yet; "thin": skills or time zone or hours missing; "complete". */
export type ProfileState = "missing" | "thin" | "complete";

export type NextStep = {
  id: "profile" | "matching-calls" | "digest" | "find-calls";
  title: string;
  body: string;
  to: string;
  cta: string;
};

export type WaitingItem = {
  id: "interests" | "votes" | "applications" | "requests";
  count: number;
  label: string;
  to: string;
};

export type FirstSteps = {
  profile: ProfileState;
  matchingCalls: number;
  /** The skill of theirs that most listed calls ask for; the link to the matching calls filters on it. */
  topSkill: string | null;
  digestSet: boolean;
  steps: NextStep[];
  waiting: WaitingItem[];
};

const u = schema.users;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The person's next steps and what waits for them, from one query. */
export async function firstStepsFor(userId: number, now = Date.now()): Promise<FirstSteps> {
  const c = schema.calls;
  const ci = schema.callInterests;
  const cs = schema.callSkills;
  const us = schema.userSkills;
  const tp = schema.trustProposals;
  const tv = schema.trustVotes;
  const a = schema.applications;
  const pr = schema.programs;
  const po = schema.programOrganisers;
  const sc = schema.applicationScores;
  const sr = schema.specialRequests;
  const vp = schema.volunteerProfiles;
  const dp = schema.digestPreferences;

  // Listed calls asking for one of the person's skills, not their own.
  const matchingCallsFrom = sql`FROM ${c} WHERE ${listedCallSql(now)}
    AND (${c.postedByUserId} IS NULL OR ${c.postedByUserId} <> ${u.id})
    AND EXISTS (SELECT 1 FROM ${cs} JOIN ${us} ON ${us.skillId} = ${cs.skillId}
      WHERE ${cs.callId} = ${c.id} AND ${us.userId} = ${u.id})`;
  // Pending interests in the open calls of packages the person is a verified maintainer of.
  const interestsFrom = sql`FROM ${ci} JOIN ${c} ON ${c.id} = ${ci.callId}
    WHERE ${ci.status} = 'pending' AND ${c.status} = 'open' AND ${verifiedMaintainerSql(u.id, c.packageId)}
      AND ${notSuspendedSql(ci.userId)}`;
  // Open proposals a working-group member has not voted on (never one about themselves).
  const votesFrom = sql`FROM ${tp} WHERE ${tp.status} = 'open' AND ${tp.subjectUserId} <> ${u.id}
    AND ${hasRoleSql(u.id, ["working_group"], now)}
    AND NOT EXISTS (SELECT 1 FROM ${tv} WHERE ${tv.proposalId} = ${tp.id} AND ${tv.voterUserId} = ${u.id})`;
  // Submitted, undecided applications of programmes they organise (admins organise all), unscored by them.
  const applicationsFrom = sql`FROM ${a} JOIN ${pr} ON ${pr.id} = ${a.programId}
    WHERE ${a.status} = 'submitted' AND ${a.decision} IS NULL AND ${a.userId} <> ${u.id}
      AND (${isAdminSql(u.id, now)} OR EXISTS (SELECT 1 FROM ${po} WHERE ${po.programId} = ${a.programId}
        AND ${po.userId} = ${u.id} AND ${notSuspendedSql(po.userId)}))
      AND NOT EXISTS (SELECT 1 FROM ${sc} WHERE ${sc.applicationId} = ${a.id} AND ${sc.reviewerUserId} = ${u.id})`;
  // Special requests assigned to them and not yet resolved.
  const requestsFrom = sql`FROM ${sr} WHERE ${sr.assigneeUserId} = ${u.id} AND ${sr.state} IN ('new', 'acknowledged', 'in_progress')`;

  const row = await db()
    .select({
      timezone: u.timezone,
      availabilityHours: u.availabilityHours,
      bio: u.bio,
      hasProfile: sql<number>`${vp.userId} IS NOT NULL`,
      skillCount: sql<number>`(SELECT count(*) FROM ${us} WHERE ${us.userId} = ${u.id})`,
      digestSet: sql<number>`${dp.userId} IS NOT NULL`,
      matchingCalls: sql<number>`(SELECT count(*) ${matchingCallsFrom})`,
      topSkill: sql<string | null>`(SELECT ${cs.skillId} FROM ${cs} JOIN ${us} ON ${us.skillId} = ${cs.skillId}
        AND ${us.userId} = ${u.id} WHERE ${cs.callId} IN (SELECT ${c.id} ${matchingCallsFrom})
        GROUP BY ${cs.skillId} ORDER BY count(*) DESC, ${cs.skillId} LIMIT 1)`,
      interests: sql<number>`(SELECT count(*) ${interestsFrom})`,
      interestsCall: sql<number | null>`(SELECT min(${c.id}) ${interestsFrom})`,
      votes: sql<number>`(SELECT count(*) ${votesFrom})`,
      votesAboutRoadies: sql<number>`(SELECT count(*) ${votesFrom} AND ${tp.kind} IN ('roadie_application', 'roadie_removal'))`,
      applications: sql<number>`(SELECT count(*) ${applicationsFrom})`,
      applicationsSlug: sql<string | null>`(SELECT ${pr.slug} ${applicationsFrom} ORDER BY ${a.submittedAt} LIMIT 1)`,
      requests: sql<number>`(SELECT count(*) ${requestsFrom})`,
      requestsFirst: sql<number | null>`(SELECT min(${sr.id}) ${requestsFrom})`,
    })
    .from(u)
    // The joins also make drizzle name each column with its table, which the subqueries rely on.
    .leftJoin(vp, eq(vp.userId, u.id))
    .leftJoin(dp, eq(dp.userId, u.id))
    .where(eq(u.id, userId))
    .get();
  if (!row) throw new Error(`no user ${userId}`);

  const skillCount = Number(row.skillCount);
  const profile: ProfileState =
    !row.hasProfile && skillCount === 0
      ? "missing"
      : skillCount === 0 || !row.timezone || !row.availabilityHours || !row.bio?.trim()
        ? "thin"
        : "complete";
  const matchingCalls = Number(row.matchingCalls);
  const digestSet = Boolean(Number(row.digestSet));

  const steps: NextStep[] = [];
  if (profile !== "complete") {
    steps.push({
      id: "profile",
      title: profile === "missing" ? "Tell maintainers what you can do" : "Complete your profile",
      body:
        profile === "missing"
          ? "Add your skills, time zone and the hours you can give: calls and the weekly digest are matched on them."
          : "Your profile is missing skills, your time zone, your hours or a few words about you: matches need them.",
      to: "/settings/profile",
      cta: profile === "missing" ? "Fill in my profile" : "Complete my profile",
    });
  }
  if (matchingCalls > 0 && row.topSkill) {
    steps.push({
      id: "matching-calls",
      title: `${plural(matchingCalls, "open call asks", "open calls ask")} for your skills`,
      body: "Maintainers are looking for someone with what you know. Say you are interested in one that fits.",
      to: `/calls?skill=${encodeURIComponent(row.topSkill)}`,
      cta: "See calls that match me",
    });
  } else if (profile === "complete") {
    steps.push({
      id: "find-calls",
      title: "Find a call to help with",
      body: "No open call asks for your skills right now; the most urgent ones are listed first.",
      to: "/calls?sort=urgent",
      cta: "Browse open calls",
    });
  }
  if (!digestSet) {
    steps.push({
      id: "digest",
      title: "Choose your weekly digest",
      body: "One email a week with the calls and people that fit you. Pick the day and what it includes.",
      to: "/settings/notifications",
      cta: "Set digest preferences",
    });
  }

  const waiting: WaitingItem[] = [];
  const interests = Number(row.interests);
  if (interests > 0 && row.interestsCall !== null) {
    waiting.push({
      id: "interests",
      count: interests,
      label: `${plural(interests, "interest waits", "interests wait")} for your answer`,
      to: `/calls/${row.interestsCall}/manage`,
    });
  }
  const votes = Number(row.votes);
  if (votes > 0) {
    waiting.push({
      id: "votes",
      count: votes,
      label: `${plural(votes, "working-group proposal waits", "working-group proposals wait")} for your vote`,
      to: Number(row.votesAboutRoadies) > 0 ? "/admin/roadies" : "/admin/working-group",
    });
  }
  const applications = Number(row.applications);
  if (applications > 0 && row.applicationsSlug) {
    waiting.push({
      id: "applications",
      count: applications,
      label: `${plural(applications, "programme application waits", "programme applications wait")} for your review`,
      to: `/programs/${row.applicationsSlug}/review`,
    });
  }
  const requests = Number(row.requests);
  if (requests > 0 && row.requestsFirst !== null) {
    waiting.push({
      id: "requests",
      count: requests,
      label: `${plural(requests, "special request is", "special requests are")} assigned to you`,
      to: requests === 1 ? `/requests/${row.requestsFirst}` : "/requests",
    });
  }

  return { profile, matchingCalls, topSkill: row.topSkill, digestSet, steps, waiting };
}
