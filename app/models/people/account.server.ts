// A person's own data: the export of everything Roadies holds about them, and deleting the account.
import { and, eq, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { getProfile } from "#app/models/people/profile.server.ts";
import { listMemberships } from "#app/models/people/roadies.server.ts";
import { listOwnReports } from "#app/models/moderation/reports.server.ts";
import { exportAddresses } from "#app/models/people/emails.server.ts";

const u = schema.users;

/** Everything Roadies holds about a person, as plain JSON (no secrets: the GitHub token stays out). */
export async function exportAccount(userId: number) {
  const user = await db().select().from(u).where(eq(u.id, userId)).get();
  if (!user) return null;
  const { githubTokenEnc: _token, ...account } = user;
  void _token;
  const q = (text: ReturnType<typeof sql>) =>
    db()
      .all<Record<string, unknown>>(text)
      .catch(() => []);
  return {
    exportedAt: new Date().toISOString(),
    account,
    // The addresses the person added, verified or not, and the one chosen for email.
    emailAddresses: await exportAddresses(userId),
    profile: await getProfile(user),
    memberships: await listMemberships(userId),
    // What the person wrote, and the outcome of votes about them once decided. An open proposal by
    // someone else (a removal, an invitation), its reason and its proposer stay with the voters, as
    // in the app.
    applicationsAndProposals: await q(sql`
      SELECT id, kind, status, created_at, decided_at,
        CASE WHEN proposed_by_user_id = ${userId} THEN motivation END AS motivation,
        CASE WHEN proposed_by_user_id = ${userId} THEN evidence END AS evidence
      FROM trust_proposals
      WHERE subject_user_id = ${userId} AND (proposed_by_user_id = ${userId} OR status <> 'open')`),
    votes: await q(
      sql`SELECT proposal_id, choice, comment, created_at FROM trust_votes WHERE voter_user_id = ${userId}`,
    ),
    nominations: await q(sql`SELECT * FROM nominations WHERE nominator_user_id = ${userId}`),
    maintainedPackages: await q(
      sql`SELECT p.name, pm.verified_at, pm.created_at FROM package_maintainers pm JOIN packages p ON p.id = pm.package_id WHERE pm.user_id = ${userId}`,
    ),
    calls: await q(sql`SELECT * FROM calls WHERE posted_by_user_id = ${userId}`),
    interests: await q(sql`SELECT * FROM call_interests WHERE user_id = ${userId}`),
    // A decision is the applicant's once it is sent; until then it is the organisers' (and who
    // decided stays with them).
    programApplications: await q(sql`
      SELECT id, program_id, role_id, status, project_ranking, timezone, available_from, available_to,
        CASE WHEN decision_sent_at IS NOT NULL THEN decision END AS decision,
        decision_sent_at, declined_at, submitted_at, withdrawn_at, created_at, updated_at
      FROM applications WHERE user_id = ${userId}`),
    transfers: await q(sql`SELECT * FROM transfers WHERE successor_user_id = ${userId} OR roadie_user_id = ${userId}`),
    sessions: await q(sql`SELECT user_agent, created_at, last_used_at FROM sessions WHERE user_id = ${userId}`),
    emailsSent: await q(
      sql`SELECT template, status, created_at, sent_at FROM email_deliveries WHERE user_id = ${userId}`,
    ),
    ...(await ownSettingsAndRecords(userId)),
  };
}

/**
 * The rest of what the person set or wrote: settings, pools, answers, requests, dismissals,
 * compatibility reports, check-in answers and moderation reports. Who decided on them (an admin, an
 * organiser) stays out, as in the app; a report's note is theirs once the report is decided.
 */
async function ownSettingsAndRecords(userId: number) {
  const s = schema;
  return {
    preferences: {
      digest:
        (await db()
          .select({
            frequency: s.digestPreferences.frequency,
            pausedUntil: s.digestPreferences.pausedUntil,
            sections: s.digestPreferences.sections,
            dayOfWeek: s.digestPreferences.dayOfWeek,
            unsubscribedAt: s.digestPreferences.unsubscribedAt,
            updatedAt: s.digestPreferences.updatedAt,
          })
          .from(s.digestPreferences)
          .where(eq(s.digestPreferences.userId, userId))
          .get()) ?? null,
      emailsSwitchedOff: await db()
        .select({ kind: s.emailOptOuts.kind, since: s.emailOptOuts.createdAt })
        .from(s.emailOptOuts)
        .where(eq(s.emailOptOuts.userId, userId))
        .all(),
    },
    poolMemberships: await db()
      .select({
        pool: s.expertPoolMembers.kind,
        status: s.expertPoolMembers.status,
        evidence: s.expertPoolMembers.evidence,
        paused: s.expertPoolMembers.paused,
        appliedAt: s.expertPoolMembers.appliedAt,
        decidedAt: s.expertPoolMembers.decidedAt,
      })
      .from(s.expertPoolMembers)
      .where(eq(s.expertPoolMembers.userId, userId))
      .all(),
    programApplicationAnswers: await db()
      .select({
        applicationId: s.applicationAnswers.applicationId,
        question: s.programQuestions.label,
        answer: s.applicationAnswers.value,
        updatedAt: s.applicationAnswers.updatedAt,
      })
      .from(s.applicationAnswers)
      .innerJoin(s.applications, eq(s.applications.id, s.applicationAnswers.applicationId))
      .innerJoin(s.programQuestions, eq(s.programQuestions.id, s.applicationAnswers.questionId))
      .where(eq(s.applications.userId, userId))
      .all(),
    // What they wrote, confidential or not: it is theirs. Who it was assigned to is not.
    requestsFiled: await db()
      .select({
        id: s.specialRequests.id,
        package: s.packages.name,
        kind: s.specialRequests.kind,
        title: s.specialRequests.title,
        details: s.specialRequests.details,
        severity: s.specialRequests.severity,
        confidential: s.specialRequests.confidential,
        state: s.specialRequests.state,
        createdAt: s.specialRequests.createdAt,
      })
      .from(s.specialRequests)
      .innerJoin(s.packages, eq(s.packages.id, s.specialRequests.packageId))
      .where(eq(s.specialRequests.filedByUserId, userId))
      .all(),
    requestComments: await db()
      .select({
        requestId: s.requestEvents.requestId,
        body: s.requestEvents.body,
        createdAt: s.requestEvents.createdAt,
      })
      .from(s.requestEvents)
      .where(and(eq(s.requestEvents.actorUserId, userId), eq(s.requestEvents.type, "comment")))
      .all(),
    notForMe: await db()
      .select({ kind: s.matchDismissals.itemKind, id: s.matchDismissals.itemId, at: s.matchDismissals.createdAt })
      .from(s.matchDismissals)
      .where(eq(s.matchDismissals.userId, userId))
      .all(),
    compatibilityReports: await db()
      .select({
        package: s.packages.name,
        djangoVersion: s.compatReports.version,
        status: s.compatReports.status,
        updatedAt: s.compatReports.updatedAt,
      })
      .from(s.compatReports)
      .innerJoin(s.packages, eq(s.packages.id, s.compatReports.packageId))
      .where(eq(s.compatReports.reportedByUserId, userId))
      .all(),
    checkinAnswers: await db()
      .select({
        package: s.packages.name,
        quarter: s.maintenanceCheckins.quarter,
        answer: s.maintenanceCheckins.answer,
        answeredAt: s.maintenanceCheckins.answeredAt,
      })
      .from(s.maintenanceCheckins)
      .innerJoin(s.packages, eq(s.packages.id, s.maintenanceCheckins.packageId))
      .where(eq(s.maintenanceCheckins.userId, userId))
      .all(),
    reportsFiled: await listOwnReports(userId),
    // Conversations: what the person wrote (a deleted message keeps only its trace), whom they
    // blocked, and their inbox.
    messagesWritten: await db()
      .select({
        threadId: s.messages.threadId,
        body: s.messages.body,
        createdAt: s.messages.createdAt,
        editedAt: s.messages.editedAt,
        deletedAt: s.messages.deletedAt,
      })
      .from(s.messages)
      .where(eq(s.messages.authorId, userId))
      .all(),
    blocked: await db()
      .select({ login: s.users.login, createdAt: s.userBlocks.createdAt })
      .from(s.userBlocks)
      .innerJoin(s.users, eq(s.users.id, s.userBlocks.blockedId))
      .where(eq(s.userBlocks.blockerId, userId))
      .all(),
    notifications: await db()
      .select({
        kind: s.notifications.kind,
        title: s.notifications.title,
        href: s.notifications.href,
        createdAt: s.notifications.createdAt,
        readAt: s.notifications.readAt,
      })
      .from(s.notifications)
      .where(eq(s.notifications.userId, userId))
      .all(),
    guideSuggestions: await db()
      .select({
        guide: s.guides.slug,
        note: s.guideSuggestions.note,
        body: s.guideSuggestions.body,
        status: s.guideSuggestions.status,
        declineReason: s.guideSuggestions.declineReason,
        createdAt: s.guideSuggestions.createdAt,
      })
      .from(s.guideSuggestions)
      .innerJoin(s.guides, eq(s.guides.id, s.guideSuggestions.guideId))
      .where(eq(s.guideSuggestions.authorUserId, userId))
      .all(),
    // The person's own survey answers: results are shown in aggregate only, but what they said is theirs.
    surveyAnswers: await db()
      .select({
        survey: s.surveys.title,
        question: s.surveyQuestions.prompt,
        choices: s.surveyAnswers.choices,
        scale: s.surveyAnswers.scale,
        text: s.surveyAnswers.text,
        updatedAt: s.surveyResponses.updatedAt,
      })
      .from(s.surveyAnswers)
      .innerJoin(s.surveyResponses, eq(s.surveyResponses.id, s.surveyAnswers.responseId))
      .innerJoin(s.surveys, eq(s.surveys.id, s.surveyResponses.surveyId))
      .innerJoin(s.surveyQuestions, eq(s.surveyQuestions.id, s.surveyAnswers.questionId))
      .where(eq(s.surveyResponses.userId, userId))
      .all(),
  };
}

/**
 * Deletes an account: the users row goes, and with it (by foreign keys) sessions, skills, profile,
 * memberships and suspensions; votes keep their row with the person's id cleared, so votes stay
 * counted anonymously. Audit entries are not touched at all (the database refuses to): their actor
 * id has no foreign key and, once no account has it, is a pseudonym. Calls stay with the package
 * (see [calls]'s foreign key), shown as "a former maintainer".
 */
export async function deleteAccount(userId: number, now = Date.now()) {
  await db().batch([
    auditEntry({ actorUserId: null, action: "account.delete", objectType: "user", objectId: userId }, now),
    db().delete(u).where(eq(u.id, userId)),
  ]);
}
