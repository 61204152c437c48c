// The digest's render step: one person's email built from their stored items (a pure function of
// them, so a rerun builds the same email), and what a dry run shows instead of sending.
import { closeSync, openSync, writeSync } from "node:fs";
import { env } from "#app/utils/env.server.ts";
import type { OutgoingEmail } from "#app/utils/email.server.ts";
import { unsubscribeToken } from "#app/models/digest/digest.server.ts";
import { listUnsubscribeHeaders, unsubscribePageUrl } from "#app/utils/email-preferences.server.ts";
import { digestEmail, type DigestEmailItem } from "#emails/digest-weekly.tsx";
import type { DigestFrequency } from "#db/schema/digest.ts";
import { digestEmailKey, type DigestItem, type Recipient } from "#app/jobs/digest-plan.server.ts";

export type DryRunRecipient = {
  login: string;
  email: string;
  matches: { kind: string; id: string; url: string; title: string; score: number; reasons: string[] }[];
};

const frequencyWords: Record<DigestFrequency, string> = {
  weekly: "every week",
  biweekly: "every 2 weeks",
  monthly: "every 4 weeks",
  off: "never",
};

/** The email of one delivery: a pure function of the stored items, so a rerun builds the same one. */
export function buildDigestEmail(
  recipient: Pick<Recipient, "id" | "login" | "name" | "email" | "prefs">,
  week: string,
  items: DigestItem[],
): OutgoingEmail {
  const appUrl = env().appUrl;
  const token = unsubscribeToken(recipient.id, week);
  const unsubscribe = unsubscribePageUrl(token);
  const emailItems: DigestEmailItem[] = items.map((i) => ({
    kind: i.kind,
    section: i.section,
    title: i.title,
    packageName: i.packageName,
    url: `${appUrl}${i.path}`,
    reasons: i.reasons,
  }));
  const { subject, react, html, text } = digestEmail({
    login: recipient.login,
    name: recipient.name,
    week,
    frequency: frequencyWords[recipient.prefs.frequency],
    items: emailItems,
    appUrl,
    preferencesUrl: `${appUrl}/settings/notifications`,
    unsubscribeUrl: unsubscribe,
  });
  return {
    to: recipient.email ?? "",
    subject,
    react,
    html,
    text,
    template: "digest",
    kind: "digest",
    idempotencyKey: digestEmailKey(week, recipient.id),
    userId: recipient.id,
    // The digest's token names its week, so a rerun of the week builds the same email.
    headers: listUnsubscribeHeaders(recipient.id, "digest", token),
  };
}

/** What a dry run reports for one person instead of sending them their digest. */
export function dryRunRecipient(recipient: Pick<Recipient, "login" | "email">, items: DigestItem[]): DryRunRecipient {
  const appUrl = env().appUrl;
  return {
    login: recipient.login,
    email: recipient.email ?? "",
    matches: items.map((i) => ({
      kind: i.kind,
      id: i.id,
      url: `${appUrl}${i.path}`,
      title: i.title,
      score: i.score,
      reasons: i.reasons,
    })),
  };
}

/**
 * The dry run's JSON file, written as recipients come: the same text as
 * `JSON.stringify({ week, recipients }, null, 2)`, without holding every recipient in memory.
 */
export function openDryRunJson(file: string, week: string) {
  const fd = openSync(file, "w");
  let pending = `{\n  "week": ${JSON.stringify(week)},\n  "recipients": [`;
  let count = 0;
  const flush = () => {
    writeSync(fd, pending);
    pending = "";
  };
  return {
    write(recipient: DryRunRecipient) {
      pending += `${count === 0 ? "" : ","}\n    ${JSON.stringify(recipient, null, 2).replace(/\n/g, "\n    ")}`;
      count += 1;
      if (pending.length > 1 << 16) flush();
    },
    close() {
      pending += count === 0 ? "]\n}\n" : "\n  ]\n}\n";
      flush();
      closeSync(fd);
    },
  };
}
