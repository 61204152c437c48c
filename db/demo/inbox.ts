// Demo data for the inbox: the notifications the demo's own events would have made (offers of help
// to the maintainers, answers to the volunteers, votes to cast, request assignments, programme
// decisions), with the older ones read. Derived from the rows the other seeders made, so every
// link leads to a real demo page. Runs after every other area.
import { sql } from "drizzle-orm";
import type { Database } from "../../app/utils/db.server.ts";
import { kindLabels } from "../../app/models/requests/forms.ts";
import {
  accountSuspensions,
  applications,
  callInterests,
  calls,
  memberships,
  notifications,
  packageMaintainers,
  packages,
  programs,
  specialRequests,
  trustProposals,
  users,
} from "../schema.ts";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

export async function seedInbox(db: Database, now: number): Promise<void> {
  const n = notifications;
  // What older than two days reads as read: the demo inbox has both.
  const readAt = (created: unknown) => sql`CASE WHEN ${created} < ${now - 2 * DAY} THEN ${created} + ${HOUR} END`;
  const notSuspended = (userId: unknown) =>
    sql`NOT EXISTS (SELECT 1 FROM ${accountSuspensions} WHERE ${accountSuspensions.userId} = ${userId})`;
  const columns = sql`(user_id, kind, title, href, key, created_at, read_at)`;
  const i = callInterests;
  const c = calls;
  const p = packages;
  const pm = packageMaintainers;
  const u = users;
  const kindLabel = sql`CASE ${specialRequests.kind} ${sql.join(
    Object.entries(kindLabels).map(([kind, label]) => sql`WHEN ${kind} THEN ${label}`),
    sql` `,
  )} END`;
  await db.batch([
    // A new offer of help, to each verified maintainer of the call's package.
    db.run(sql`INSERT OR IGNORE INTO ${n} ${columns}
      SELECT ${pm.userId}, 'interest-new',
        '@' || ${u.login} || ' offered to help on “' || ${c.title} || '” (' || ${p.name} || ')',
        '/calls/' || ${c.id} || '/manage', 'interest-new:' || ${i.id} || ':' || ${i.createdAt},
        ${i.createdAt}, ${readAt(i.createdAt)}
      FROM ${i} JOIN ${c} ON ${c.id} = ${i.callId} JOIN ${p} ON ${p.id} = ${c.packageId}
        JOIN ${u} ON ${u.id} = ${i.userId}
        JOIN ${pm} ON ${pm.packageId} = ${p.id} AND ${pm.verifiedAt} IS NOT NULL AND ${pm.userId} IS NOT NULL
      WHERE ${notSuspended(pm.userId)}`),
    // The answer, to the volunteer.
    db.run(sql`INSERT OR IGNORE INTO ${n} ${columns}
      SELECT ${i.userId}, 'interest-' || ${i.status},
        'Your offer of help on “' || ${c.title} || '” (' || ${p.name} || ') was ' || ${i.status},
        '/me/interests', 'interest-' || ${i.status} || ':' || ${i.id} || ':' || COALESCE(${i.decidedAt}, ${i.updatedAt}),
        COALESCE(${i.decidedAt}, ${i.updatedAt}), ${readAt(sql`COALESCE(${i.decidedAt}, ${i.updatedAt})`)}
      FROM ${i} JOIN ${c} ON ${c.id} = ${i.callId} JOIN ${p} ON ${p.id} = ${c.packageId}
      WHERE ${i.status} IN ('accepted', 'declined') AND ${notSuspended(i.userId)}`),
    // A vote to cast, to each working-group member but the proposal's subject.
    db.run(sql`INSERT OR IGNORE INTO ${n} ${columns}
      SELECT ${memberships.userId}, 'vote-needed',
        'Vote needed: ' || CASE ${trustProposals.kind}
          WHEN 'roadie_application' THEN '@' || ${u.login} || '’s application to become a roadie'
          WHEN 'wg_invitation' THEN 'inviting @' || ${u.login} || ' to the working group'
          WHEN 'roadie_removal' THEN 'ending @' || ${u.login} || '’s roadie term'
          ELSE 'ending @' || ${u.login} || '’s working-group term' END,
        CASE WHEN ${trustProposals.kind} IN ('roadie_application', 'roadie_removal') THEN '/admin/roadies'
          ELSE '/admin/working-group' END,
        'vote-needed:' || ${trustProposals.id}, ${trustProposals.createdAt}, NULL
      FROM ${trustProposals} JOIN ${u} ON ${u.id} = ${trustProposals.subjectUserId}
        JOIN ${memberships} ON ${memberships.role} = 'working_group' AND ${memberships.status} = 'active'
          AND ${memberships.termEndsAt} > ${now} AND ${memberships.userId} <> ${trustProposals.subjectUserId}
      WHERE ${trustProposals.status} = 'open' AND ${notSuspended(memberships.userId)}`),
    // A request assigned to an expert: a confidential one says only that there is one.
    db.run(sql`INSERT OR IGNORE INTO ${n} ${columns}
      SELECT ${specialRequests.assigneeUserId}, 'request-assigned',
        CASE WHEN ${specialRequests.confidential} THEN 'A confidential request was assigned to you'
          ELSE ${kindLabel} || ' request for ' || ${p.name} || ' assigned to you: “' || ${specialRequests.title} || '”' END,
        '/requests/' || ${specialRequests.id},
        'request-assigned:' || ${specialRequests.id} || ':' || ${specialRequests.assigneeUserId},
        ${specialRequests.createdAt}, ${readAt(specialRequests.createdAt)}
      FROM ${specialRequests} JOIN ${p} ON ${p.id} = ${specialRequests.packageId}
      WHERE ${specialRequests.assigneeUserId} IS NOT NULL AND ${notSuspended(specialRequests.assigneeUserId)}`),
    // A programme decision sent, to the applicant.
    db.run(sql`INSERT OR IGNORE INTO ${n} ${columns}
      SELECT ${applications.userId}, 'decision-sent',
        'Your application to ' || ${programs.name} || ': ' || ${applications.decision},
        '/me/applications', 'decision-sent:' || ${applications.id} || ':' || ${applications.decision},
        ${applications.decisionSentAt}, ${readAt(applications.decisionSentAt)}
      FROM ${applications} JOIN ${programs} ON ${programs.id} = ${applications.programId}
      WHERE ${applications.decisionSentAt} IS NOT NULL AND ${applications.decision} IS NOT NULL
        AND ${notSuspended(applications.userId)}`),
  ]);
}
