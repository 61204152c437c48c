// One reminder per survey, REMINDER_DAYS before it closes, to each verified maintainer who has not
// answered it. Run by the "survey-reminders" job; the idempotency key names the survey and the person, so a
// second run (or a crash half-way) never sends twice. The send path skips people who switched the
// kind off and suppressed addresses.
import { and, eq, gt, lte, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { env } from "#app/utils/env.server.ts";
import { DAY_MS, formatDate } from "#app/utils/dates.ts";
import { log } from "#app/utils/log.server.ts";
import { sendBatch, BATCH_LIMIT, type OutgoingEmail } from "#app/utils/email.server.ts";
import { isSwitchedOff, switchedOffAmong } from "#app/utils/email-preferences.server.ts";
import { surveyRespondentSql } from "#app/models/surveys/answers.server.ts";
import { surveyReminderEmail } from "#emails/surveys-reminder.tsx";

/** The reminder goes this many days before the survey closes. */
export const REMINDER_DAYS = 3;

const s = schema.surveys;
const u = schema.users;
const r = schema.surveyResponses;

export const reminderKey = (surveyId: number, userId: number) => `survey-reminder:${surveyId}:${userId}`;

/**
 * Sends the reminders due at `now`: for each open survey closing within REMINDER_DAYS (and open for
 * at least a day, so a short survey does not remind at its opening), to each maintainer without a
 * response. Returns how many emails were sent (not counting ones sent before).
 */
export async function sendSurveyReminders(now = Date.now()): Promise<number> {
  const due = await db()
    .select()
    .from(s)
    .where(and(lte(s.opensAt, now - DAY_MS), gt(s.closesAt, now), lte(s.closesAt, now + REMINDER_DAYS * DAY_MS)))
    .all();
  const appUrl = env().appUrl;
  let sent = 0;
  for (const survey of due) {
    const questions = await db()
      .select({ n: sql<number>`count(*)` })
      .from(schema.surveyQuestions)
      .where(eq(schema.surveyQuestions.surveyId, survey.id))
      .get();
    const people = await db()
      .select({ id: u.id, login: u.login, email: deliveryAddress })
      .from(u)
      .where(
        and(
          surveyRespondentSql(u.id),
          sql`${deliveryAddress} IS NOT NULL`,
          sql`NOT EXISTS (SELECT 1 FROM ${r} WHERE ${r.surveyId} = ${survey.id} AND ${r.userId} = ${u.id})`,
        ),
      )
      .all();
    // Those who switched the reminders off are left out here, not only refused by the send path,
    // so an hourly run does not log a refusal for each of them every hour.
    const off = await switchedOffAmong(people.map((p) => ({ userId: p.id, kind: "surveys-reminder" as const })));
    const wanting = people.filter((p) => !isSwitchedOff(off, p.id, "surveys-reminder"));
    const closesOn = formatDate(survey.closesAt - 1);
    const emails: OutgoingEmail[] = wanting.map((person) => {
      const { subject, react } = surveyReminderEmail({
        login: person.login,
        title: survey.title,
        closesOn,
        questions: Number(questions?.n ?? 0),
        surveyUrl: `${appUrl}/surveys/${survey.id}`,
        appUrl,
      });
      return {
        to: person.email!,
        subject,
        react,
        template: "surveys-reminder",
        kind: "surveys-reminder",
        idempotencyKey: reminderKey(survey.id, person.id),
        userId: person.id,
      };
    });
    for (let i = 0; i < emails.length; i += BATCH_LIMIT) {
      const results = await sendBatch(emails.slice(i, i + BATCH_LIMIT));
      for (const result of results) {
        if (result.ok && !result.skipped) sent++;
        if (!result.ok) log.warn("survey reminder not sent", { surveyId: survey.id, error: result.error });
      }
    }
  }
  return sent;
}
