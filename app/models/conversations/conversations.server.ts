// The conversations area for routes: the guard of every thread read and write, and the thread page's
// data. Membership is membership.server.ts's rule; messages, blocks and thread state their own modules.
import { getCurrentUser, signInOrNotFound } from "#app/models/people/auth.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { markThreadRead } from "#app/models/inbox/notifications.server.ts";
import { memberRoleLabels, type Subject } from "#app/models/conversations/membership.server.ts";
import { blockedAmong } from "#app/models/conversations/blocks.server.ts";
import { listMessages, peopleByIds } from "#app/models/conversations/messages.server.ts";
import {
  findThreadFor,
  getThreadState,
  markRead,
  parseThreadId,
  threadVersion,
  type ThreadAccess,
} from "#app/models/conversations/threads.server.ts";

/**
 * The signed-in person and the thread, checked on every read and write: a member, or (transfers) a
 * working-group member who may join. Signed out: sign in and come back; anyone else, a missing id
 * and a thread of a confidential request included: the same 404.
 */
export async function requireThread(request: Request, rawId: string | undefined, { audit = true } = {}) {
  const user = await getCurrentUser(request);
  if (!user) return signInOrNotFound(request);
  const access = await findThreadFor(user, parseThreadId(rawId), { audit });
  if (!access) throw notFound();
  return { user, ...access };
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

/** The thread page for a member (or the join page for a working-group member), marking it read. */
export async function threadPage(user: { id: number }, access: ThreadAccess, now = Date.now()) {
  const { thread, subject } = access;
  const state = await getThreadState(thread.id, user.id);
  const base = {
    id: thread.id,
    version: threadVersion(thread),
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
  const [messages, people] = await Promise.all([
    listMessages(thread.id, user.id, now),
    peopleByIds(subject.members.map((m) => m.userId)),
  ]);
  const blocked = await blockedAmong(
    user.id,
    people.map((p) => p.id),
  );
  const byId = new Map(people.map((p) => [p.id, p]));
  const [, markedRead] = await Promise.all([
    markRead(thread.id, user.id, now),
    markThreadRead(user.id, thread.id, now),
  ]);
  return {
    ...base,
    /** Notifications this look marked read: the header's count (loaded alongside) is one look behind. */
    markedRead,
    muted: state.mutedAt !== null,
    joined: subject.members.some((m) => m.userId === user.id && m.role === "working-group"),
    members: subject.members.map((m) => {
      const person = byId.get(m.userId)!;
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
