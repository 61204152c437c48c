// The catalogue of every kind of email Roadies sends, and the person's switches for them. The one
// list: the send path (app/utils/email.server.ts) takes a kind from here with every email, skips a
// kind the person switched off, and adds List-Unsubscribe to the periodic and bulk ones; the
// notification settings page lists the kinds from here. A new kind of email starts here.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./core.ts";

export type EmailKindInfo = {
  /** What the settings page calls it. */
  label: string;
  /** One line: what it is and when it comes. */
  description: string;
  /** True when the person can switch it off; otherwise the sentence saying why they cannot. */
  switchable: true | { reason: string };
  /**
   * Periodic or bulk: each such email carries `List-Unsubscribe` with a one-click URL for its own
   * kind (RFC 8058). Only switchable kinds can be.
   */
  periodic?: true;
};

export const emailCatalogue = {
  welcome: {
    label: "Welcome",
    description: "One email after your first sign-in, with where to start.",
    switchable: { reason: "Sent once, when your account is created, before you could choose anything." },
  },
  "calls-interest": {
    label: "Someone answered your call",
    description: "A volunteer offered to help on a call of a package you maintain.",
    switchable: true,
  },
  "calls-interest-decision": {
    label: "Answers to your offers of help",
    description: "A maintainer accepted or declined your offer to help on their call.",
    switchable: true,
  },
  "calls-expiry": {
    label: "Call expiry reminders",
    description: "A call of your package expires within a week; one click renews it.",
    switchable: true,
    periodic: true,
  },
  digest: {
    label: "Match digest",
    description: "Calls, people and projects that fit your profile; how often is set in the digest settings below.",
    switchable: true,
    periodic: true,
  },
  "ecosystem-checkin": {
    label: "Dormant package check-ins",
    description: "Once a quarter at most, when a package you maintain looks quiet: is it still maintained?",
    switchable: true,
    periodic: true,
  },
  "programs-submitted": {
    label: "Application received",
    description: "Confirms that your application to a mentoring programme was submitted.",
    switchable: true,
  },
  "programs-decision": {
    label: "Programme decisions",
    description: "The outcome of your application to a mentoring programme, and waitlist offers.",
    switchable: {
      reason: "It answers an application you made, and a place offered from the waitlist has to be taken up in time.",
    },
  },
  "programs-group": {
    label: "Programme groups",
    description: "The group and the people you are with, when a programme you joined announces its groups.",
    switchable: true,
    periodic: true,
  },
  "requests-assigned": {
    label: "Request assignments",
    description: "A special request (possibly a confidential security report) was assigned to you in a pool.",
    switchable: {
      reason:
        "A security report cannot wait for you to visit the site: if you cannot take requests, pause your availability on the pools page instead.",
    },
  },
  "requests-admins": {
    label: "Unanswered requests (working-group admins)",
    description: "A request was not acknowledged in time or found nobody in its pool.",
    switchable: {
      reason:
        "Working-group admins are the last safety net for requests nobody else took, some of them security reports.",
    },
  },
  "requests-comment": {
    label: "Comments on requests",
    description: "Someone commented on a special request of your package or one assigned to you.",
    switchable: true,
  },
  "people-proposal-outcome": {
    label: "Working-group decisions about you",
    description: "The working group approved or rejected a proposal about your account, such as becoming a roadie.",
    switchable: { reason: "It changes what your account may do, so you are always told." },
  },
  "people-term-renewal": {
    label: "Term renewal reminders",
    description:
      "14 and 3 days before your term as a roadie or working-group member ends; without them it simply ends.",
    switchable: true,
    periodic: true,
  },
  "people-transfer-offer": {
    label: "Transfers needing a roadie",
    description: "A package handover has had no roadie for a week; could you shepherd it? (Roadies only.)",
    switchable: true,
    periodic: true,
  },
  "people-transfer-progress": {
    label: "Handovers you take part in",
    description: "Each stage of a package handover where you are the maintainer, the successor or the roadie.",
    switchable: {
      reason: "A handover moves a package and its secrets: every party hears about each stage it is part of.",
    },
  },
  "people-nomination-outcome": {
    label: "Nomination outcomes",
    description: "What happened to a package you nominated as needing a new maintainer.",
    switchable: true,
  },
  "people-nomination-request": {
    label: "Nominations of your package",
    description:
      "Someone nominated a package you maintain for a new-maintainer call; nothing is published without your yes.",
    switchable: { reason: "Nothing is published in your name without your yes, so you are always asked." },
  },
  "account-security": {
    label: "Account and security notices",
    description:
      "Changes to your powers or to the packages you are a verified maintainer of, and anything else that affects your account's security.",
    switchable: { reason: "You need to know when someone changes what your account controls." },
  },
  "guides-suggestion-outcome": {
    label: "Your suggestions to the guides",
    description: "A reviewer accepted or declined an edit you suggested to a guide, or commented on it.",
    switchable: true,
  },
  "surveys-reminder": {
    label: "Maintainer survey reminders",
    description:
      "One reminder per survey, a few days before it closes, while you have not answered it (verified maintainers only).",
    switchable: true,
    periodic: true,
  },
  "moderation-report": {
    label: "Outcome of your reports",
    description: "What the moderators did about something you reported.",
    switchable: true,
  },
  // [inbox] events that had no email before the inbox: emailed from the inbox's notifications.
  "conversations-messages": {
    label: "Messages",
    description: "New messages in the conversations you take part in, at most one email per conversation at a time.",
    switchable: true,
  },
  "people-votes": {
    label: "Votes to cast",
    description:
      "A roadie application or working-group proposal waits for your vote, and when a vote you could cast closes.",
    switchable: true,
  },
  "inbox-deadlines": {
    label: "Deadlines approaching",
    description:
      "A request assigned to you still waits for your acknowledgement, or a programme you started applying to closes soon.",
    switchable: true,
  },
  // [conversations] email as a messenger: the verification link of an added address, and the
  // summary of unread notifications (app/jobs/inbox-email.server.ts).
  "account-email-verification": {
    label: "Address verification",
    description: "The link that confirms an email address you added in your email settings, sent to that address.",
    switchable: { reason: "You asked for it, and it is the only email an address gets before it is verified." },
  },
  "inbox-summary": {
    label: "Summary of unread notifications",
    description:
      "What is still unread in your inbox (votes, deadlines and the like), at most once every six hours; messages come in their own email.",
    switchable: true,
    periodic: true,
  },
} as const satisfies Record<string, EmailKindInfo>;

export type EmailKind = keyof typeof emailCatalogue;
export const emailKinds = Object.keys(emailCatalogue) as EmailKind[];

/** The kinds a person can switch off. */
export const switchableEmailKinds = emailKinds.filter((k) => isSwitchable(k));

export function isSwitchable(kind: EmailKind): boolean {
  return (emailCatalogue[kind] as EmailKindInfo).switchable === true;
}

export function isPeriodic(kind: EmailKind): boolean {
  return (emailCatalogue[kind] as EmailKindInfo).periodic === true;
}

/**
 * One row per kind a person switched off; no row means on. The digest's own switch lives in its
 * preferences (`digest_preferences`: unsubscribed, or "never"), which the send path reads too.
 */
export const emailOptOuts = sqliteTable(
  "email_opt_outs",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").$type<EmailKind>().notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/**
 * The inbox: one row per event that concerns a person (a new interest, a vote needed, a step to
 * tick, a new message…). `notify()` in app/models/inbox/ is the one writer. The header's unread
 * count and /inbox read it; the notification email job (grouping by thread) reads `emailedAt`.
 */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** What happened, a kind of the notification catalogue (app/models/inbox/). */
    kind: text("kind").notNull(),
    /** One line for the inbox; never a confidential request's title or another person's address. */
    title: text("title").notNull(),
    /** Where it leads, a path on this site (`/threads/12`, `/transfers/3`). */
    href: text("href").notNull(),
    /** The conversation it belongs to, when there is one: notifications are grouped by it. */
    threadId: integer("thread_id"),
    /** Names the event for ever: a second notify() with the same key for the same person is a no-op. */
    key: text("key").notNull(),
    createdAt: integer("created_at").notNull(),
    readAt: integer("read_at"),
    /** Set when the email job has dealt with it (sent it, grouped it, or skipped it by the settings). */
    emailedAt: integer("emailed_at"),
  },
  (t) => [
    uniqueIndex("notifications_user_key").on(t.userId, t.key),
    index("notifications_user_unread").on(t.userId, t.readAt),
    index("notifications_unemailed").on(t.emailedAt, t.createdAt),
  ],
);
