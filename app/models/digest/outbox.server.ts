// Demo mode's outbox: the emails the app would have sent, kept in the database instead.
import { desc, eq, sql } from "drizzle-orm";
import { db } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { emailDeliveries, outboxEmails } from "#db/schema.ts";

export type OutboxEntry = { id: number; to: string; subject: string; createdAt: number };
export type OutboxEmail = typeof outboxEmails.$inferSelect & {
  /** The extra headers (List-Unsubscribe, Reply-To …), parsed; `{}` when there were none. */
  headerList: [string, string][];
  /** The key that made this email exactly-once, and its template, from its delivery record. */
  idempotencyKey: string | null;
  template: string | null;
  /** Local addresses the stored email linked to, other than this server's: its links are shown pointing here. */
  relinkedFrom: string[];
};

// A link to a server on this machine: in the demo outbox, one this app wrote, perhaps under another port.
const LOCAL_ORIGIN = /\bhttps?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?(?![\w.:-])/g;

/**
 * [experience] Points the links an email made to a local server at `appUrl` instead: the demo's
 * outbox keeps working after the demo moves to another port (or a command wrote a stale address).
 */
export function relinkLocalOrigins(content: string, appUrl: string): { content: string; from: string[] } {
  const here = new URL(appUrl).origin;
  const from = new Set<string>();
  const relinked = content.replace(LOCAL_ORIGIN, (origin) => {
    if (origin === here) return origin;
    from.add(origin);
    return here;
  });
  return { content: relinked, from: [...from] };
}

/** The newest emails first. */
export async function listOutbox(limit = 200): Promise<OutboxEntry[]> {
  return db()
    .select({
      id: outboxEmails.id,
      to: outboxEmails.to,
      subject: outboxEmails.subject,
      createdAt: outboxEmails.createdAt,
    })
    .from(outboxEmails)
    .orderBy(desc(outboxEmails.createdAt), desc(outboxEmails.id))
    .limit(limit);
}

// A reviewer checks these first; any other stored header follows in name order.
const HEADER_ORDER = ["List-Unsubscribe", "List-Unsubscribe-Post", "Reply-To"];

function parseHeaders(json: string): [string, string][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return [];
  const rank = (name: string) => {
    const i = HEADER_ORDER.findIndex((h) => h.toLowerCase() === name.toLowerCase());
    return i === -1 ? HEADER_ORDER.length : i;
  };
  return Object.entries(parsed as Record<string, unknown>)
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

export async function getOutboxEmail(id: number): Promise<OutboxEmail | null> {
  // The demo delivery records the outbox row as its provider id ("outbox-<id>", email.server.ts).
  const [row] = await db()
    .select({ email: outboxEmails, idempotencyKey: emailDeliveries.idempotencyKey, template: emailDeliveries.template })
    .from(outboxEmails)
    .leftJoin(emailDeliveries, eq(emailDeliveries.providerId, sql`'outbox-' || ${outboxEmails.id}`))
    .where(eq(outboxEmails.id, id))
    .limit(1);
  if (!row) return null;
  const appUrl = env().appUrl;
  const html = relinkLocalOrigins(row.email.html, appUrl);
  const text = relinkLocalOrigins(row.email.text, appUrl);
  const headers = relinkLocalOrigins(row.email.headers, appUrl);
  return {
    ...row.email,
    html: html.content,
    text: text.content,
    relinkedFrom: [...new Set([...html.from, ...text.from, ...headers.from])],
    headerList: parseHeaders(headers.content),
    idempotencyKey: row.idempotencyKey ?? null,
    template: row.template ?? null,
  };
}
