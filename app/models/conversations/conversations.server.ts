// The conversations area for routes: the guard of every thread read and write, and the thread page's
// data. Membership is membership.server.ts's rule; messages, blocks and thread state their own modules.
import { getCurrentUser, signInOrNotFound } from "#app/models/people/auth.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { db } from "#app/utils/db.server.ts";
import { markThreadReadWrite } from "#app/models/inbox/notifications.server.ts";
import { memberRoleLabels, type Subject } from "#app/models/conversations/membership.server.ts";
import { blockedBy } from "#app/models/conversations/blocks.server.ts";
import { listMessages } from "#app/models/conversations/messages.server.ts";
import {
  findThreadFor,
  getThread,
  getThreadState,
  markReadWrite,
  parseThreadId,
  threadVersion,
  viewAuditEntry,
} from "#app/models/conversations/threads.server.ts";

/**
 * The signed-in person and the thread, checked on every read and write: a member, or (transfers) a
 * working-group member who may join. Signed out: sign in and come back; anyone else, a missing id
 * and a thread of a confidential request included: the same 404.
 */
export async function requireThread(
  request: Request,
  rawId: string | undefined,
  { audit = true }: { audit?: boolean | "refusals" } = {},
) {
  const threadId = parseThreadId(rawId);
  const { user, thread } = await viewerAndThread(request, threadId);
  const access = await findThreadFor(user, threadId, { audit, thread });
  if (!access) throw notFound();
  return { user, ...access };
}

/** The signed-in person and the thread's row, asked side by side (one round trip). */
async function viewerAndThread(request: Request, threadId: number | null) {
  const [user, thread] = await Promise.all([
    getCurrentUser(request),
    threadId === null ? undefined : getThread(threadId),
  ]);
  if (!user) return signInOrNotFound(request);
  return { user, thread: thread ?? null };
}

/** How a person is shown in a thread: under anonymised review the applicant is "the applicant" to others. */
function displayOf(subject: Subject, viewerId: number, person: { id: number; login: string; name: string | null }) {
  if (subject.anonymousUserId === person.id && viewerId !== person.id) return { login: null, name: "The applicant" };
  return { login: person.login, name: person.name };
}

/** Where the subject's page is for this viewer (an applicant's own list, the organisers' review page). */
function subjectHref(subject: Subject, viewerId: number) {
  if (subject.type === "application" && subject.members.some((m) => m.userId === viewerId && m.role === "applicant"))
    return "/me/applications";
  return subject.href;
}

/**
 * The thread page for a member (or the join page for a working-group member), marking it read, in
 * three round trips: the session and the thread; the subject with its members, and what a member
 * sees, side by side (read for anyone signed in, dropped unseen when the checks refuse them); the
 * look's writes (read marks, the audit of a look at a confidential request's thread) in one batch.
 */
export async function threadPage(request: Request, rawId: string | undefined, now = Date.now()) {
  const threadId = parseThreadId(rawId);
  const { user, thread } = await viewerAndThread(request, threadId);
  const [access, seen] = await Promise.all([
    findThreadFor(user, threadId, { audit: "refusals", now, thread }),
    thread
      ? Promise.all([getThreadState(thread.id, user.id), listMessages(thread.id, user.id, now), blockedBy(user.id)])
      : null,
  ]);
  if (!access || !seen) throw notFound();
  const { thread: row, subject } = access;
  const [state, messages, blocked] = seen;
  const base = {
    id: row.id,
    version: threadVersion(row),
    subject: {
      type: subject.type,
      title: subject.title,
      href: subjectHref(subject, user.id),
      confidential: subject.confidential,
      open: subject.open,
      closedReason: subject.closedReason,
    },
    member: access.member,
    canJoin: access.canJoin,
  };
  if (!access.member) return { ...base, messages: [], members: [], muted: false, joined: false, markedRead: 0 };
  const look = viewAuditEntry(user, access, now);
  const [, markedRead] = await db().batch([
    markReadWrite(row.id, user.id, now),
    markThreadReadWrite(user.id, row.id, now),
    ...(look ? [look] : []),
  ]);
  return {
    ...base,
    /** Notifications this look marked read: the header's count (loaded alongside) is one look behind. */
    markedRead: markedRead.rowsAffected,
    muted: state.mutedAt !== null,
    joined: subject.members.some((m) => m.userId === user.id && m.role === "working-group"),
    members: subject.members.map((m) => {
      const person = { id: m.userId, login: m.login, name: m.name };
      return {
        id: m.userId,
        ...displayOf(subject, user.id, person),
        role: memberRoleLabels[m.role],
        self: m.userId === user.id,
        blocked: blocked.has(m.userId),
      };
    }),
    messages: messages.map((msg) => {
      const shown =
        msg.authorId !== null && msg.authorLogin !== null
          ? displayOf(subject, user.id, { id: msg.authorId, login: msg.authorLogin, name: msg.authorName })
          : { login: null, name: "A former member" };
      return { ...msg, authorLogin: shown.login, authorName: shown.name, own: msg.authorId === user.id };
    }),
  };
}
