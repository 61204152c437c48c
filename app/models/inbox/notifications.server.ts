// The inbox's notifications: the one writer (`notify`) and the reads and marks of a person's own
// inbox. A notification names its event by a key (`interest-new:12`), so a second notify() for the
// same person and event is a no-op: a retried job or a double submit never notifies twice.
// Suspended people get nothing new. The title is one line shown in the inbox and, through the
// email job, in email: never a confidential request's title or another person's address (the
// callers write titles from what the person may already see).
import { and, desc, eq, inArray, isNull, lt, lte, notInArray, sql, type SQL } from "drizzle-orm";
import { db, prepared, preparedSql, schema } from "#app/utils/db.server.ts";
import { oncePerRequest } from "#app/utils/request-context.server.ts";
import { safeRedirectPath } from "#app/utils/redirects.ts";
import { hasRoleSql } from "#app/models/people/powers.server.ts";
import { memberSql } from "#app/models/conversations/membership.server.ts";
import type { NotificationKind } from "#app/models/inbox/catalogue.ts";

const n = schema.notifications;

export type NotifyItem = {
  userId: number;
  kind: NotificationKind;
  /** One line; cut to TITLE_MAX characters. */
  title: string;
  /** A path on this site ("/calls/12"). */
  href: string;
  threadId?: number | null;
  /** Names the event for ever, e.g. `interest-new:12`; unique per person. */
  key: string;
};

export const TITLE_MAX = 200;
/** Rows per INSERT statement, well under SQLite's limit of bound values. */
const CHUNK = 400;

function clean(item: NotifyItem) {
  const title = item.title.replace(/\s+/g, " ").trim();
  // Only a path on this site: the inbox link redirects to it.
  const href = safeRedirectPath(item.href, "/inbox");
  return {
    userId: item.userId,
    kind: item.kind,
    title: title.length > TITLE_MAX ? `${title.slice(0, TITLE_MAX - 1)}…` : title,
    href,
    threadId: item.threadId ?? null,
    key: item.key,
  };
}

function unique(items: NotifyItem[]) {
  const seen = new Set<string>();
  const out: ReturnType<typeof clean>[] = [];
  for (const item of items) {
    const id = `${item.userId}\u0000${item.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(clean(item));
  }
  return out;
}

/**
 * The writes that add `items`, for a caller's own `db().batch([...])` so the event and its
 * notifications commit together (an empty list when there is nothing to add). Skips suspended or
 * deleted people and events a person was already notified of.
 */
export function notificationWrites(items: NotifyItem[], now = Date.now()) {
  const rows = unique(items);
  const writes = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = sql.join(
      rows
        .slice(i, i + CHUNK)
        .map((r) => sql`(${r.userId}, ${r.kind}, ${r.title}, ${r.href}, ${r.threadId}, ${r.key})`),
      sql`, `,
    );
    const col = (c: { name: string }) => sql.identifier(c.name);
    writes.push(
      db()
        .run(sql`INSERT INTO ${n} (${col(n.userId)}, ${col(n.kind)}, ${col(n.title)}, ${col(n.href)}, ${col(n.threadId)}, ${col(n.key)}, ${col(n.createdAt)})
        SELECT v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, ${now}
        FROM (VALUES ${values}) AS v
        WHERE EXISTS (SELECT 1 FROM ${schema.users} WHERE ${schema.users.id} = v.column1)
          AND NOT EXISTS (SELECT 1 FROM ${schema.accountSuspensions} WHERE ${schema.accountSuspensions.userId} = v.column1)
        ON CONFLICT (${col(n.userId)}, ${col(n.key)}) DO NOTHING`),
    );
  }
  return writes;
}

/** Adds notifications, idempotent per person and key, in one batch. */
export async function notify(items: NotifyItem[], now = Date.now()): Promise<void> {
  const writes = notificationWrites(items, now);
  const [first, ...rest] = writes;
  if (!first) return;
  await db().batch([first, ...rest]);
}

/** Kinds about the working group's votes: shown while the person is in the working group. */
const workingGroupKinds: NotificationKind[] = ["vote-needed", "vote-closed"];

/** A user id or a time: a number, or a prepared query's placeholder (`sql\`${sql.placeholder("userId")}\``). */
type Value = number | SQL;

/**
 * Hides what a person may no longer see: powers end when their source ends. A notification of a
 * thread is shown while the person is a member of it (the conversation's own rule); a vote's while
 * they are in the working group. The rest lead to pages that check access themselves, and their
 * titles are written to be safe for the person they were sent to.
 */
function visibleSql(userId: Value, now: Value = Date.now()): SQL {
  return sql`(${threadVisibility(userId, now)}
    AND (${notInArray(n.kind, workingGroupKinds)} OR ${hasRoleSql(userId, ["working_group"], now)}))`;
}

/**
 * SQL: the notification's thread, if it has one, is one the person is a member of now (THE rule of
 * conversations/membership.server.ts, which the inbox imports and never re-derives).
 */
function threadVisibility(userId: Value, now: Value): SQL {
  const th = schema.threads;
  return sql`(${n.threadId} IS NULL OR EXISTS (SELECT 1 FROM ${th}
    WHERE ${th.id} = ${n.threadId} AND ${memberSql(userId, now)}))`;
}

/** The placeholders of the inbox's prepared reads: filled with the person's id and the time. */
const userIdValue = sql`${sql.placeholder("userId")}`;
const nowValue = sql`${sql.placeholder("now")}`;

/**
 * The header's question on every signed-in page, a 7 KB statement: built once. Two scalar
 * subqueries in one statement: the count reads only the person's unread rows (index user_id,
 * read_at), the newest id only the person's rows from the newest down.
 */
const versionQuery = preparedSql<{ unread: number | null; newestId: number | null }>(
  () => sql`SELECT
    (SELECT count(*) FROM ${n} WHERE ${n.userId} = ${userIdValue} AND ${n.readAt} IS NULL AND ${visibleSql(userIdValue, nowValue)}) AS unread,
    (SELECT ${n.id} FROM ${n} WHERE ${n.userId} = ${userIdValue} AND ${visibleSql(userIdValue, nowValue)} ORDER BY ${n.id} DESC LIMIT 1) AS newestId`,
);

/**
 * What changes when the inbox changes: the unread count and the newest notification's id (a new
 * notification, or one read elsewhere, changes it). The live hook's ETag. Asked once per request:
 * the root (the header's count) and /inbox ask it side by side.
 */
export function inboxVersion(userId: number): Promise<{ unread: number; newestId: number }> {
  return oncePerRequest(`inbox-version:${userId}`, async () => {
    const [row] = await versionQuery({ userId, now: Date.now() });
    return { unread: Number(row?.unread ?? 0), newestId: Number(row?.newestId ?? 0) };
  });
}

/** The person's unread count (the header's figure, read through the same statement). */
export async function unreadCount(userId: number): Promise<number> {
  const [row] = await versionQuery({ userId, now: Date.now() });
  return Number(row?.unread ?? 0);
}

export type InboxEntry = {
  id: number;
  kind: string;
  title: string;
  href: string;
  threadId: number | null;
  createdAt: number;
  readAt: number | null;
  /** The person muted the notification's thread. */
  muted: boolean;
};

export const INBOX_PAGE_SIZE = 25;

/** One page of the inbox, prepared once for each of its four shapes (unread only or not, paged or not). */
function inboxPageQuery(unreadOnly: boolean, paged: boolean) {
  return prepared((d) => {
    const ts = schema.threadStates;
    return d
      .select({
        id: n.id,
        kind: n.kind,
        title: n.title,
        href: n.href,
        threadId: n.threadId,
        createdAt: n.createdAt,
        readAt: n.readAt,
        // Qualified by hand: drizzle writes a single-table query's columns unqualified, and a bare
        // "thread_id" inside the subquery would be thread_states' own.
        muted:
          sql<boolean>`EXISTS (SELECT 1 FROM ${ts} ib_ts WHERE ib_ts.${sql.identifier(ts.threadId.name)} = ${n}.${sql.identifier(n.threadId.name)}
          AND ib_ts.${sql.identifier(ts.userId.name)} = ${userIdValue} AND ib_ts.${sql.identifier(ts.mutedAt.name)} IS NOT NULL)`.mapWith(
            (v) => Boolean(Number(v)),
          ),
      })
      .from(n)
      .where(
        and(
          eq(n.userId, sql.placeholder("userId")),
          unreadOnly ? isNull(n.readAt) : undefined,
          paged ? lt(n.id, sql.placeholder("before")) : undefined,
          visibleSql(userIdValue, nowValue),
        ),
      )
      .orderBy(desc(n.id))
      .limit(sql.placeholder("limit"))
      .prepare();
  });
}

const inboxPages = [
  [inboxPageQuery(false, false), inboxPageQuery(false, true)],
  [inboxPageQuery(true, false), inboxPageQuery(true, true)],
] as const;

/**
 * One page of the person's inbox, newest first. Paged by id (`before`: the last id of the previous
 * page), so a notification arriving meanwhile does not shift the next page.
 */
export async function listInbox(
  userId: number,
  options: { unreadOnly?: boolean; before?: number | null; limit?: number } = {},
): Promise<{ entries: InboxEntry[]; nextBefore: number | null }> {
  const limit = options.limit ?? INBOX_PAGE_SIZE;
  const before = options.before || null;
  const query = inboxPages[options.unreadOnly ? 1 : 0][before ? 1 : 0]();
  const rows = await query.all({ userId, now: Date.now(), before, limit: limit + 1 });
  const more = rows.length > limit;
  if (more) rows.length = limit;
  return { entries: rows, nextBefore: more ? (rows.at(-1)?.id ?? null) : null };
}

/** Marks some of the person's own notifications read (ids of others are ignored). Returns how many. */
export async function markRead(userId: number, ids: number[], now = Date.now()): Promise<number> {
  if (!ids.length) return 0;
  const result = await db()
    .update(n)
    .set({ readAt: now })
    .where(and(eq(n.userId, userId), inArray(n.id, ids), isNull(n.readAt)));
  return result.rowsAffected;
}

/**
 * Marks everything read, up to the newest notification the person saw (`upToId`, from the page):
 * one that arrived after the page was shown stays unread.
 */
export async function markAllRead(userId: number, now = Date.now(), upToId?: number | null): Promise<number> {
  const result = await db()
    .update(n)
    .set({ readAt: now })
    .where(and(eq(n.userId, userId), isNull(n.readAt), upToId ? lte(n.id, upToId) : undefined));
  return result.rowsAffected;
}

/** Opening one notification: marks it read and gives where it leads; null when it is not theirs. */
export async function openNotification(userId: number, id: number, now = Date.now()): Promise<string | null> {
  const row = await db()
    .select({ href: n.href })
    .from(n)
    .where(and(eq(n.id, id), eq(n.userId, userId), visibleSql(userId)))
    .get();
  if (!row) return null;
  await markRead(userId, [id], now);
  return row.href;
}

/** Marks read everything of one thread for the person (opening the thread does it). */
export async function markThreadRead(userId: number, threadId: number, now = Date.now()): Promise<number> {
  const result = await markThreadReadWrite(userId, threadId, now);
  return result.rowsAffected;
}

/** markThreadRead's write, to run inside a `db().batch([...])` with the page's other writes. */
export function markThreadReadWrite(userId: number, threadId: number, now: number) {
  return db()
    .update(n)
    .set({ readAt: now })
    .where(and(eq(n.userId, userId), eq(n.threadId, threadId), isNull(n.readAt)));
}

/** Marks read the person's notifications that lead to one page (opening it from elsewhere). */
export async function markHrefRead(userId: number, href: string, now = Date.now()): Promise<number> {
  const result = await db()
    .update(n)
    .set({ readAt: now })
    .where(and(eq(n.userId, userId), eq(n.href, href), isNull(n.readAt)));
  return result.rowsAffected;
}

/** The inbox's ETag for a version: weak, since it names the state, not the bytes. */
export function inboxEtag(version: { unread: number; newestId: number }): string {
  return `W/"inbox-${version.unread}-${version.newestId}"`;
}
