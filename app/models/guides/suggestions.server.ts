// Suggested edits to a guide: any signed-in person proposes a full edited text with a note; a
// working-group member or roadie (isGuideReviewer) comments, accepts or declines it with a reason.
// Accepting publishes a new revision crediting the author. A suggestion made on an older revision
// is merged onto the current text when the changes do not touch the same lines; otherwise it is
// refused (409) and the author updates it on the current text. The author hears the outcome in the
// inbox and by email (their switch for "guides-suggestion-outcome" is honoured by the send path).
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { sendEmail } from "#app/utils/email.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { renderMarkdownDocument } from "#app/utils/markdown.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { notificationWrites, notify } from "#app/models/inbox/notifications.server.ts";
import {
  getRevisionBody,
  isGuideReviewer,
  isRevisionRace,
  normaliseBody,
  publishWrites,
  type GuideWithText,
} from "#app/models/guides/guides.server.ts";
import { mergeOnto } from "#app/models/guides/diff.ts";
import { guidePath, suggestionPath } from "#app/models/guides/paths.ts";
import type { SuggestionStatusFilter } from "#app/models/guides/labels.ts";
import { guideSuggestionOutcomeEmail } from "#emails/guides-suggestion-outcome.tsx";

const s = schema.guideSuggestions;
const g = schema.guides;
const sc = schema.guideSuggestionComments;

/** Pending suggestions one person may have at once, across all guides. */
export const PENDING_LIMIT = 5;

type Person = { id: number };

export type CreateResult =
  | { ok: true; id: number }
  | { ok: false; reason: "unchanged" | "too-many" | "no-revision" | "removes-linked-anchor"; anchors?: string[] };

/**
 * Files a suggestion. Refused when the text is the same as the revision it was edited from, when
 * the person already has PENDING_LIMIT waiting, and when it removes a section anchor the site links
 * to (`linkedAnchors`, from the best-practice checks and compatibility drives).
 */
export async function createSuggestion(
  person: Person,
  guide: Pick<GuideWithText, "id" | "slug">,
  input: { body: string; note: string; baseRevision: number },
  linkedAnchors: readonly string[],
  now = Date.now(),
): Promise<CreateResult> {
  const base = await getRevisionBody(guide.id, input.baseRevision);
  if (base === null) return { ok: false, reason: "no-revision" };
  const body = normaliseBody(input.body);
  if (body === normaliseBody(base)) return { ok: false, reason: "unchanged" };
  const missing = missingAnchors(body, linkedAnchors);
  if (missing.length) return { ok: false, reason: "removes-linked-anchor", anchors: missing };
  const [pending] = await db()
    .select({ n: sql<number>`count(*)` })
    .from(s)
    .where(and(eq(s.authorUserId, person.id), eq(s.status, "pending")));
  if (Number(pending?.n ?? 0) >= PENDING_LIMIT) return { ok: false, reason: "too-many" };
  const [row] = await db()
    .insert(s)
    .values({
      guideId: guide.id,
      authorUserId: person.id,
      baseRevision: input.baseRevision,
      body,
      note: input.note,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: s.id });
  return { ok: true, id: row!.id };
}

/** The anchors of `linkedAnchors` that the text no longer has. */
export function missingAnchors(body: string, linkedAnchors: readonly string[]): string[] {
  const ids = new Set(renderMarkdownDocument(body).headings.map((h) => h.id));
  return linkedAnchors.filter((a) => !ids.has(a));
}

const author = alias(schema.users, "suggestion_author");
const decider = alias(schema.users, "suggestion_decider");

const suggestionColumns = {
  id: s.id,
  guideId: s.guideId,
  guideSlug: g.slug,
  guideTitle: g.title,
  guideRevision: g.currentRevision,
  authorUserId: s.authorUserId,
  authorLogin: author.login,
  authorName: author.name,
  baseRevision: s.baseRevision,
  note: s.note,
  status: s.status,
  decidedAt: s.decidedAt,
  deciderLogin: decider.login,
  declineReason: s.declineReason,
  publishedRevision: s.publishedRevision,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
};

function suggestionQuery() {
  return db()
    .select({ ...suggestionColumns, body: s.body })
    .from(s)
    .innerJoin(g, eq(g.id, s.guideId))
    .innerJoin(author, eq(author.id, s.authorUserId))
    .leftJoin(decider, eq(decider.id, s.decidedByUserId));
}

export type Suggestion = NonNullable<Awaited<ReturnType<typeof loadSuggestion>>>;

async function loadSuggestion(id: number) {
  return (await suggestionQuery().where(eq(s.id, id)).get()) ?? null;
}

/**
 * A suggestion as this person may see it: its author and reviewers only (null otherwise, the same
 * as a missing id). `reviewer` says whether the viewer may decide it.
 */
export async function suggestionFor(viewer: Person, id: number, now = Date.now()) {
  // Asked side by side (one round trip); the suggestion is returned only to whom the rule below allows.
  const [suggestion, reviewer] = await Promise.all([loadSuggestion(id), isGuideReviewer(viewer.id, now)]);
  if (!suggestion) return null;
  if (!reviewer && suggestion.authorUserId !== viewer.id) return null;
  return { suggestion, reviewer, own: suggestion.authorUserId === viewer.id };
}

/** Suggestions a person may see: every one for a reviewer, their own for anyone else. Newest first. */
export async function listSuggestions(
  viewer: Person,
  { status, reviewer }: { status: SuggestionStatusFilter; reviewer: boolean },
) {
  const conditions: SQL[] = [];
  if (!reviewer) conditions.push(eq(s.authorUserId, viewer.id));
  if (status !== "all") conditions.push(eq(s.status, status));
  return db()
    .select(suggestionColumns)
    .from(s)
    .innerJoin(g, eq(g.id, s.guideId))
    .innerJoin(author, eq(author.id, s.authorUserId))
    .leftJoin(decider, eq(decider.id, s.decidedByUserId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(status === "pending" ? asc(s.createdAt) : desc(s.updatedAt), desc(s.id))
    .limit(200);
}

const commenter = alias(schema.users, "comment_author");

export async function listComments(suggestionId: number) {
  return db()
    .select({ id: sc.id, body: sc.body, createdAt: sc.createdAt, login: commenter.login, name: commenter.name })
    .from(sc)
    .innerJoin(commenter, eq(commenter.id, sc.authorUserId))
    .where(eq(sc.suggestionId, suggestionId))
    .orderBy(asc(sc.createdAt), asc(sc.id));
}

/** A comment by the author or a reviewer (the caller checked they may see it). Tells the author when a reviewer writes. */
export async function addComment(viewer: Person, suggestion: Suggestion, body: string, now = Date.now()) {
  const [row] = await db()
    .insert(sc)
    .values({ suggestionId: suggestion.id, authorUserId: viewer.id, body, createdAt: now })
    .returning({ id: sc.id });
  if (viewer.id !== suggestion.authorUserId) {
    await notify(
      [
        {
          userId: suggestion.authorUserId,
          kind: "guide-suggestion-comment",
          title: `A reviewer commented on your suggestion to “${suggestion.guideTitle}”`,
          href: suggestionPath(suggestion.id),
          key: `guide-suggestion-comment:${row!.id}`,
        },
      ],
      now,
    );
  }
}

export type AcceptPlan =
  | { kind: "clean"; text: string }
  | { kind: "merged"; text: string; currentText: string }
  | { kind: "conflict"; currentText: string };

/**
 * What accepting would publish: the suggested text when it was made on the current revision; when
 * the guide changed since, the suggestion's change merged onto the current text, or a conflict.
 */
export async function acceptPlan(suggestion: Suggestion): Promise<AcceptPlan> {
  if (suggestion.baseRevision === suggestion.guideRevision) return { kind: "clean", text: suggestion.body };
  const [base, current] = await Promise.all([
    getRevisionBody(suggestion.guideId, suggestion.baseRevision),
    getRevisionBody(suggestion.guideId, suggestion.guideRevision),
  ]);
  if (base === null || current === null) throw new Error(`guide ${suggestion.guideId}: revision missing`);
  const merged = mergeOnto(base, suggestion.body, current);
  return merged === null
    ? { kind: "conflict", currentText: current }
    : { kind: "merged", text: merged, currentText: current };
}

export type DecideResult =
  | { ok: true; revision?: number }
  | {
      ok: false;
      reason: "not-pending" | "own" | "stale" | "conflict" | "not-reviewer" | "removes-linked-anchor";
      anchors?: string[];
    };

/**
 * Accepts a pending suggestion: publishes its text (merged onto the current one when the guide
 * changed since it was made) as the next revision, crediting its author. `seenRevision` is the
 * guide's revision on the reviewer's page: a newer one refuses ("stale") so they see what changed.
 */
export async function acceptSuggestion(
  reviewer: Person,
  id: number,
  {
    seenRevision,
    note,
    linkedAnchors,
  }: { seenRevision: number; note?: string | undefined; linkedAnchors: readonly string[] },
  now = Date.now(),
): Promise<DecideResult> {
  if (!(await isGuideReviewer(reviewer.id, now))) return { ok: false, reason: "not-reviewer" };
  const suggestion = await loadSuggestion(id);
  if (!suggestion || suggestion.status !== "pending") return { ok: false, reason: "not-pending" };
  if (suggestion.authorUserId === reviewer.id) return { ok: false, reason: "own" };
  if (suggestion.guideRevision !== seenRevision) return { ok: false, reason: "stale" };
  const plan = await acceptPlan(suggestion);
  if (plan.kind === "conflict") return { ok: false, reason: "conflict" };
  const missing = missingAnchors(plan.text, linkedAnchors);
  if (missing.length) return { ok: false, reason: "removes-linked-anchor", anchors: missing };
  const number = suggestion.guideRevision + 1;
  const database = db();
  const writes = [
    ...publishWrites(database, {
      guideId: suggestion.guideId,
      number,
      body: plan.text,
      note: note?.trim() || suggestion.note,
      authorUserId: suggestion.authorUserId,
      publishedByUserId: reviewer.id,
      suggestionId: suggestion.id,
      now,
    }),
    database
      .update(s)
      .set({
        status: "accepted",
        decidedByUserId: reviewer.id,
        decidedAt: now,
        publishedRevision: number,
        updatedAt: now,
      })
      .where(and(eq(s.id, suggestion.id), eq(s.status, "pending"))),
    auditEntry(
      {
        actorUserId: reviewer.id,
        action: "guide.suggestion.accept",
        objectType: "guide",
        objectId: suggestion.guideId,
        detail: { suggestion: suggestion.id, revision: number },
      },
      now,
    ),
    ...notificationWrites([outcomeNotification(suggestion, "accepted")], now),
  ];
  try {
    const [first, ...rest] = writes;
    await database.batch([first!, ...rest]);
  } catch (error) {
    if (isRevisionRace(error)) return { ok: false, reason: "stale" };
    throw error;
  }
  await sendOutcomeEmail(suggestion, { outcome: "accepted", revision: number });
  return { ok: true, revision: number };
}

/** Declines a pending suggestion with a reason the author reads. */
export async function declineSuggestion(
  reviewer: Person,
  id: number,
  reason: string,
  now = Date.now(),
): Promise<DecideResult> {
  if (!(await isGuideReviewer(reviewer.id, now))) return { ok: false, reason: "not-reviewer" };
  const suggestion = await loadSuggestion(id);
  if (!suggestion || suggestion.status !== "pending") return { ok: false, reason: "not-pending" };
  const database = db();
  const done = await database
    .update(s)
    .set({ status: "declined", decidedByUserId: reviewer.id, decidedAt: now, declineReason: reason, updatedAt: now })
    .where(and(eq(s.id, suggestion.id), eq(s.status, "pending")))
    .returning({ id: s.id });
  if (!done.length) return { ok: false, reason: "not-pending" };
  const writes = [
    auditEntry(
      {
        actorUserId: reviewer.id,
        action: "guide.suggestion.decline",
        objectType: "guide",
        objectId: suggestion.guideId,
        detail: { suggestion: suggestion.id },
      },
      now,
    ),
    ...notificationWrites(
      suggestion.authorUserId === reviewer.id ? [] : [outcomeNotification(suggestion, "declined")],
      now,
    ),
  ];
  const [first, ...rest] = writes;
  await database.batch([first!, ...rest]);
  if (suggestion.authorUserId !== reviewer.id) await sendOutcomeEmail(suggestion, { outcome: "declined", reason });
  return { ok: true };
}

/** The author takes back a pending suggestion. */
export async function withdrawSuggestion(person: Person, id: number, now = Date.now()): Promise<DecideResult> {
  const done = await db()
    .update(s)
    .set({ status: "withdrawn", decidedAt: now, decidedByUserId: person.id, updatedAt: now })
    .where(and(eq(s.id, id), eq(s.authorUserId, person.id), eq(s.status, "pending")))
    .returning({ id: s.id });
  return done.length ? { ok: true } : { ok: false, reason: "not-pending" };
}

/**
 * The author replaces the text of their pending suggestion, edited from `baseRevision` (normally
 * the current one: that is how a suggestion that conflicts with a newer revision is brought up to date).
 */
export async function updateSuggestion(
  person: Person,
  suggestion: Suggestion,
  input: { body: string; note: string; baseRevision: number },
  linkedAnchors: readonly string[],
  now = Date.now(),
): Promise<CreateResult> {
  if (suggestion.authorUserId !== person.id || suggestion.status !== "pending")
    return { ok: false, reason: "no-revision" };
  const base = await getRevisionBody(suggestion.guideId, input.baseRevision);
  if (base === null) return { ok: false, reason: "no-revision" };
  const body = normaliseBody(input.body);
  if (body === normaliseBody(base)) return { ok: false, reason: "unchanged" };
  const missing = missingAnchors(body, linkedAnchors);
  if (missing.length) return { ok: false, reason: "removes-linked-anchor", anchors: missing };
  const done = await db()
    .update(s)
    .set({ body, note: input.note, baseRevision: input.baseRevision, updatedAt: now })
    .where(and(eq(s.id, suggestion.id), eq(s.status, "pending")))
    .returning({ id: s.id });
  return done.length ? { ok: true, id: suggestion.id } : { ok: false, reason: "no-revision" };
}

function outcomeNotification(suggestion: Suggestion, outcome: "accepted" | "declined") {
  return {
    userId: suggestion.authorUserId,
    kind: "guide-suggestion-decided" as const,
    title:
      outcome === "accepted"
        ? `Your suggestion to “${suggestion.guideTitle}” was accepted and published`
        : `Your suggestion to “${suggestion.guideTitle}” was declined`,
    href: suggestionPath(suggestion.id),
    key: `guide-suggestion-decided:${suggestion.id}`,
  };
}

async function sendOutcomeEmail(
  suggestion: Suggestion,
  outcome: { outcome: "accepted"; revision: number } | { outcome: "declined"; reason: string },
) {
  try {
    const person = await db()
      .select({ login: schema.users.login, name: schema.users.name, email: deliveryAddress })
      .from(schema.users)
      .where(eq(schema.users.id, suggestion.authorUserId))
      .get();
    if (!person?.email) return;
    const appUrl = env().appUrl;
    const email = guideSuggestionOutcomeEmail({
      appUrl,
      name: person.name ?? person.login,
      guideTitle: suggestion.guideTitle,
      note: suggestion.note,
      suggestionUrl: `${appUrl}${suggestionPath(suggestion.id)}`,
      guideUrl: `${appUrl}${guidePath(suggestion.guideSlug)}`,
      ...outcome,
    });
    await sendEmail({
      to: person.email,
      ...email,
      template: "guides-suggestion-outcome",
      kind: "guides-suggestion-outcome",
      idempotencyKey: `guide-suggestion-outcome:${suggestion.id}`,
      userId: suggestion.authorUserId,
    });
  } catch (error) {
    log.error("guide suggestion outcome email failed", { suggestion: suggestion.id, ...errorFields(error) });
  }
}
