// The catalogue of notification kinds: every event that lands in a person's inbox. Pure (no server
// code), so pages and emails can show the labels. `emailKind` is the email catalogue's kind whose
// per-person switch decides whether the notification is also emailed (db/schema/notifications.ts);
// `sentByOwnEmail` says the event already sends its own email where it happens, so the notification
// email job must not email it a second time (it only marks it dealt with).
import type { EmailKind } from "#db/schema/notifications.ts";

export type NotificationKindInfo = {
  /** What the inbox calls this kind of entry (its filter and the screen-reader text). */
  label: string;
  /** The email kind whose switch decides whether it is emailed. */
  emailKind: EmailKind;
  /** True when the event sends its own email today: the notification email job skips it. */
  sentByOwnEmail: boolean;
};

export const notificationCatalogue = {
  "interest-new": {
    label: "New offer of help",
    emailKind: "calls-interest",
    sentByOwnEmail: true,
  },
  "interest-accepted": {
    label: "Offer of help accepted",
    emailKind: "calls-interest-decision",
    sentByOwnEmail: true,
  },
  "interest-declined": {
    label: "Offer of help declined",
    emailKind: "calls-interest-decision",
    sentByOwnEmail: true,
  },
  "vote-needed": {
    label: "Vote to cast",
    emailKind: "people-votes",
    sentByOwnEmail: false,
  },
  /** To the person a working-group vote was about (the applicant, the subject). */
  "vote-outcome": {
    label: "Decision about you",
    emailKind: "people-proposal-outcome",
    sentByOwnEmail: true,
  },
  /** To the voters, when a vote they could cast on has closed. */
  "vote-closed": {
    label: "Vote closed",
    emailKind: "people-votes",
    sentByOwnEmail: false,
  },
  "transfer-step": {
    label: "Handover step to tick",
    emailKind: "people-transfer-progress",
    sentByOwnEmail: true,
  },
  "request-assigned": {
    label: "Request assigned to you",
    emailKind: "requests-assigned",
    sentByOwnEmail: true,
  },
  /** A special request assigned to the person still waits for its acknowledgement. */
  "deadline-approaching": {
    label: "Deadline approaching",
    emailKind: "inbox-deadlines",
    sentByOwnEmail: false,
  },
  /** A call of the person's package expires soon (the expiry reminder email already says so). */
  "call-expiring": {
    label: "Call expiring",
    emailKind: "calls-expiry",
    sentByOwnEmail: true,
  },
  /** A programme the person started an application to closes soon. */
  "programme-closing": {
    label: "Applications closing",
    emailKind: "inbox-deadlines",
    sentByOwnEmail: false,
  },
  "decision-sent": {
    label: "Programme decision",
    emailKind: "programs-decision",
    sentByOwnEmail: true,
  },
  /** To the author of a suggested guide edit: accepted (published) or declined with a reason. */
  "guide-suggestion-decided": {
    label: "Guide suggestion decided",
    emailKind: "guides-suggestion-outcome",
    sentByOwnEmail: true,
  },
  /** To the author of a suggested guide edit, when a reviewer comments on it. */
  "guide-suggestion-comment": {
    label: "Comment on your guide suggestion",
    emailKind: "guides-suggestion-outcome",
    sentByOwnEmail: false,
  },
  message: {
    label: "New message",
    emailKind: "conversations-messages",
    sentByOwnEmail: false,
  },
} as const satisfies Record<string, NotificationKindInfo>;

export type NotificationKind = keyof typeof notificationCatalogue;
export const notificationKinds = Object.keys(notificationCatalogue) as NotificationKind[];

export function isNotificationKind(value: string): value is NotificationKind {
  return Object.hasOwn(notificationCatalogue, value);
}

/** The label of a stored kind; an unknown (retired) kind reads as a plain "Notification". */
export function notificationLabel(kind: string): string {
  return isNotificationKind(kind) ? notificationCatalogue[kind].label : "Notification";
}
