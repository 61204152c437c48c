// Messages in a thread: posting (rate-limited per person, refused to someone a member blocked),
// editing by the author for a short while, deleting by the author (the place stays, marked
// "message deleted"), the page's list, and the notification of each new message to every member
// but the author, members who muted the thread and members who blocked the author.
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { hitRateLimit, type RateRule } from "#app/utils/rate-limit.server.ts";
import { HOUR_MS, MINUTE_MS } from "#app/utils/dates.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";
import { hiddenSql } from "#app/models/moderation/hides.server.ts";
import { notificationWrites } from "#app/models/inbox/notifications.server.ts";
import { blockersOf } from "#app/models/conversations/blocks.server.ts";
import { isMember, type Subject } from "#app/models/conversations/membership.server.ts";
import { ensureThread, findThreadFor, mutedUserIds, touchThread } from "#app/models/conversations/threads.server.ts";
import type { Thread, ThreadSubjectType } from "#db/schema.ts";

const m = schema.messages;

/** How long the author may still edit a message. */
export const EDIT_WINDOW_MS = 15 * MINUTE_MS;

/** Messages per person, over every thread, counted in the database (shared by all instances). */
export const MESSAGE_RATE_RULE: RateRule = { name: "thread-message", limit: 60, windowMs: HOUR_MS };

export type PostProblem = "closed" | "not_member" | "blocked" | "rate_limited";

export type PostResult = { ok: true; messageId: number } | { ok: false; problem: PostProblem; message: string };

/**
 * Posts a message as `author`, who must be a member of the open thread and blocked by no other
 * member; notifies the members who should hear of it in the same write.
 */
export async function postMessage(
  author: { id: number },
  thread: Pick<Thread, "id">,
  subject: Subject,
  body: string,
  now = Date.now(),
): Promise<PostResult> {
  if (!isMember(subject, author.id))
    return { ok: false, problem: "not_member", message: "You are not in this conversation." };
  if (!subject.open)
    return { ok: false, problem: "closed", message: subject.closedReason ?? "This conversation is closed." };
  const others = subject.members.map((x) => x.userId).filter((id) => id !== author.id);
  const blockers = await blockersOf(author.id, others);
  if (blockers.size > 0) {
    return {
      ok: false,
      problem: "blocked",
      message:
        "Someone in this conversation has blocked you, so you cannot post in it. If this is about shared work, ask the working group for help.",
    };
  }
  const rate = await hitRateLimit(MESSAGE_RATE_RULE, String(author.id), now);
  if (!rate.allowed) {
    const minutes = Math.ceil(rate.retryAfterSeconds / 60);
    return {
      ok: false,
      problem: "rate_limited",
      message: `You have sent many messages in a short time. You can write again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    };
  }
  const [inserted] = await db()
    .insert(m)
    .values({ threadId: thread.id, authorId: author.id, body, createdAt: now })
    .returning({ id: m.id });
  const messageId = inserted!.id;
  const recipients = await messageRecipients(thread.id, subject, author.id);
  await db().batch([
    touchThread(thread.id, now, { message: true }),
    ...notificationWrites(
      recipients.map((userId) => ({
        userId,
        kind: "message" as const,
        title: `New message on ${subject.safeTitle}`,
        href: `/threads/${thread.id}#message-${messageId}`,
        threadId: thread.id,
        key: `message:${messageId}`,
      })),
      now,
    ),
  ]);
  return { ok: true, messageId };
}

/** Who hears of a new message: every member but the author, those who muted, those who blocked the author. */
export async function messageRecipients(threadId: number, subject: Subject, authorId: number): Promise<number[]> {
  const others = subject.members.map((x) => x.userId).filter((id) => id !== authorId);
  const [muted, blockers] = await Promise.all([mutedUserIds(threadId), blockersOf(authorId, others)]);
  return others.filter((id) => !muted.has(id) && !blockers.has(id));
}

export function getMessage(threadId: number, messageId: number) {
  return db()
    .select()
    .from(m)
    .where(and(eq(m.id, messageId), eq(m.threadId, threadId)))
    .get();
}

export type ChangeResult = { ok: true } | { ok: false; message: string };

/** The author may edit their message while it is younger than EDIT_WINDOW_MS and not deleted. */
export function canEdit(
  message: { authorId: number | null; createdAt: number; deletedAt: number | null },
  userId: number,
  now = Date.now(),
) {
  return message.authorId === userId && message.deletedAt === null && now - message.createdAt < EDIT_WINDOW_MS;
}

export async function editMessage(
  author: { id: number },
  thread: Pick<Thread, "id">,
  messageId: number,
  body: string,
  now = Date.now(),
): Promise<ChangeResult> {
  const message = await getMessage(thread.id, messageId);
  if (!message || message.authorId !== author.id || message.deletedAt !== null)
    return { ok: false, message: "That message cannot be edited." };
  if (!canEdit(message, author.id, now))
    return { ok: false, message: "Messages can be edited for 15 minutes after sending. This one can no longer be." };
  await db().batch([
    db()
      .update(m)
      .set({ body, editedAt: now })
      .where(and(eq(m.id, messageId), isNull(m.deletedAt), sql`${m.createdAt} > ${now - EDIT_WINDOW_MS}`)),
    touchThread(thread.id, now),
  ]);
  return { ok: true };
}

/** The author deletes their message: its text goes, a "message deleted" trace stays in its place. */
export async function deleteMessage(
  author: { id: number },
  thread: Pick<Thread, "id">,
  messageId: number,
  now = Date.now(),
): Promise<ChangeResult> {
  const message = await getMessage(thread.id, messageId);
  if (!message || message.authorId !== author.id) return { ok: false, message: "That message cannot be deleted." };
  if (message.deletedAt !== null) return { ok: false, message: "That message was already deleted." };
  await db().batch([
    db()
      .update(m)
      .set({ body: "", deletedAt: now })
      .where(and(eq(m.id, messageId), isNull(m.deletedAt))),
    touchThread(thread.id, now),
  ]);
  return { ok: true };
}

export type ThreadMessage = {
  id: number;
  authorId: number | null;
  authorLogin: string | null;
  authorName: string | null;
  /** Safe HTML of the Markdown; empty for a deleted or hidden message. */
  html: string;
  /** The Markdown, for the author's edit form (only while they may edit). */
  body: string | null;
  createdAt: number;
  editedAt: number | null;
  deletedAt: number | null;
  hidden: boolean;
  editable: boolean;
};

/** The thread's messages as `viewerId` sees them, oldest first. */
export async function listMessages(threadId: number, viewerId: number, now = Date.now()): Promise<ThreadMessage[]> {
  const u = schema.users;
  const rows = await db()
    .select({
      id: m.id,
      authorId: m.authorId,
      authorLogin: u.login,
      authorName: u.name,
      body: m.body,
      createdAt: m.createdAt,
      editedAt: m.editedAt,
      deletedAt: m.deletedAt,
      hidden: sql<number>`${hiddenSql("message", m.id)}`,
    })
    .from(m)
    .leftJoin(u, eq(u.id, m.authorId))
    .where(eq(m.threadId, threadId))
    .orderBy(asc(m.createdAt), asc(m.id))
    .all();
  return rows.map((r) => {
    const hidden = Boolean(r.hidden);
    const gone = hidden || r.deletedAt !== null;
    const editable = !hidden && canEdit(r, viewerId, now);
    return {
      id: r.id,
      authorId: r.authorId,
      authorLogin: r.authorLogin,
      authorName: r.authorName,
      html: gone ? "" : renderMarkdown(r.body),
      body: editable ? r.body : null,
      createdAt: r.createdAt,
      editedAt: r.editedAt,
      deletedAt: r.deletedAt,
      hidden,
      editable,
    };
  });
}

/** The thread a message is in, for reports: message ids are global. */
export function threadOfMessage(messageId: number) {
  return db()
    .select({ threadId: m.threadId, authorId: m.authorId, deletedAt: m.deletedAt })
    .from(m)
    .where(eq(m.id, messageId))
    .get();
}

/**
 * A message someone may report: in a thread they are in now (a look, audited for a confidential
 * request's thread), not their own, not deleted. Null otherwise, the same for a missing id. The
 * message and its thread are asked beside the viewer (`viewerPending`, the session being read).
 */
export async function findReportableMessage(viewerPending: { id: number } | Promise<{ id: number }>, rawId: string) {
  if (!/^[1-9]\d{0,11}$/.test(rawId)) return null;
  const [row, viewer] = await Promise.all([
    db()
      .select({ authorId: m.authorId, deletedAt: m.deletedAt, thread: schema.threads })
      .from(m)
      .innerJoin(schema.threads, eq(schema.threads.id, m.threadId))
      .where(eq(m.id, Number(rawId)))
      .get(),
    viewerPending,
  ]);
  if (!row || row.authorId === viewer.id || row.deletedAt !== null) return null;
  const access = await findThreadFor(viewer, row.thread.id, { thread: row.thread });
  if (!access?.member) return null;
  return { id: Number(rawId), threadId: row.thread.id };
}

/**
 * What the working group reads of a reported message in its queue: the author and the text (a
 * thread's page is for its members only). The report itself is the reason to show it.
 */
export async function messageForModeration(rawId: string) {
  if (!/^[1-9]\d{0,11}$/.test(rawId)) return null;
  const u = schema.users;
  const row = await db()
    .select({ body: m.body, deletedAt: m.deletedAt, login: u.login })
    .from(m)
    .leftJoin(u, eq(u.id, m.authorId))
    .where(eq(m.id, Number(rawId)))
    .get();
  if (!row) return null;
  return { author: row.login, text: row.deletedAt !== null ? "(deleted by its author)" : row.body };
}

/**
 * The subject's conversation once the subject began (an interest accepted: its write made the
 * thread), with the opening note as its first message when there is one. Returns the thread's path,
 * or null when the subject has no conversation. The note is not notified on its own: the event that
 * opened the thread is.
 */
export async function openThread(
  type: ThreadSubjectType,
  subjectId: number,
  first: { authorId: number; body: string } | null,
  now = Date.now(),
): Promise<string | null> {
  const thread = await ensureThread(type, subjectId, now);
  if (!thread) return null;
  const body = first?.body.trim();
  if (first && body) {
    await db().batch([
      db().insert(m).values({ threadId: thread.id, authorId: first.authorId, body, createdAt: now }),
      touchThread(thread.id, now, { message: true }),
    ]);
  }
  return `/threads/${thread.id}`;
}
