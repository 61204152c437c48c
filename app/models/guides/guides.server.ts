// The guides: reading them, publishing revisions (the one writer of a guide's text and of its search
// rows), freshness ("due for review" after 12 months) and the owner. Suggestions are in
// suggestions.server.ts, search in search.server.ts.
import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, schema, type Database } from "#app/utils/db.server.ts";
import { markdownSections } from "#app/utils/markdown.server.ts";
import { hasRoleSql } from "#app/models/people/powers.server.ts";
import { referenceGuides } from "#db/reference/guides.ts";
import { guidePath } from "#app/models/guides/paths.ts";

const g = schema.guides;
const r = schema.guideRevisions;

/** A guide not reviewed for this many months is due for review. */
export const REVIEW_AFTER_MONTHS = 12;

/** When a guide last reviewed at `lastReviewedAt` falls due: the same day, 12 months later (UTC). */
export function reviewDueAt(lastReviewedAt: number): number {
  const d = new Date(lastReviewedAt);
  d.setUTCMonth(d.getUTCMonth() + REVIEW_AFTER_MONTHS);
  return d.getTime();
}

export function isDueForReview(lastReviewedAt: number, now: number): boolean {
  return now >= reviewDueAt(lastReviewedAt);
}

/** A guide text as stored: LF line breaks, no trailing spaces at the end, one final newline. */
export function normaliseBody(body: string): string {
  return `${body.replace(/\r\n?/g, "\n").trimEnd()}\n`;
}

const owner = alias(schema.users, "guide_owner");
const reviewer = alias(schema.users, "guide_reviewer");

const summaryColumns = {
  id: g.id,
  slug: g.slug,
  title: g.title,
  summary: g.summary,
  position: g.position,
  currentRevision: g.currentRevision,
  lastReviewedAt: g.lastReviewedAt,
  updatedAt: g.updatedAt,
  ownerLogin: owner.login,
  ownerName: owner.name,
  reviewerLogin: reviewer.login,
};

function withFreshness<T extends { lastReviewedAt: number }>(row: T, now: number) {
  return { ...row, reviewDueAt: reviewDueAt(row.lastReviewedAt), due: isDueForReview(row.lastReviewedAt, now) };
}

export type GuideSummary = Awaited<ReturnType<typeof listGuides>>[number];

/** Every guide with a published text, in index order, with its freshness. */
export async function listGuides(now = Date.now()) {
  const rows = await db()
    .select(summaryColumns)
    .from(g)
    .leftJoin(owner, eq(owner.id, g.ownerUserId))
    .leftJoin(reviewer, eq(reviewer.id, g.lastReviewedByUserId))
    .where(gt(g.currentRevision, 0))
    .orderBy(asc(g.position), asc(g.id));
  return rows.map((row) => withFreshness(row, now));
}

/** A guide and its current text, or null. */
export async function getGuide(slug: string, now = Date.now()) {
  const row = await db()
    .select({ ...summaryColumns, ownerUserId: g.ownerUserId, body: r.body, revisionCreatedAt: r.createdAt })
    .from(g)
    .innerJoin(r, and(eq(r.guideId, g.id), eq(r.number, g.currentRevision)))
    .leftJoin(owner, eq(owner.id, g.ownerUserId))
    .leftJoin(reviewer, eq(reviewer.id, g.lastReviewedByUserId))
    .where(eq(g.slug, slug))
    .get();
  return row ? withFreshness(row, now) : null;
}

export type GuideWithText = NonNullable<Awaited<ReturnType<typeof getGuide>>>;

const author = alias(schema.users, "revision_author");
const publisher = alias(schema.users, "revision_publisher");

/** A guide's revisions, newest first, with who wrote and who published each. */
export async function listRevisions(guideId: number) {
  return db()
    .select({
      number: r.number,
      note: r.note,
      createdAt: r.createdAt,
      suggestionId: r.suggestionId,
      authorLogin: author.login,
      authorName: author.name,
      publisherLogin: publisher.login,
    })
    .from(r)
    .leftJoin(author, eq(author.id, r.authorUserId))
    .leftJoin(publisher, eq(publisher.id, r.publishedByUserId))
    .where(eq(r.guideId, guideId))
    .orderBy(desc(r.number));
}

export async function getRevisionBody(guideId: number, number: number): Promise<string | null> {
  const row = await db()
    .select({ body: r.body })
    .from(r)
    .where(and(eq(r.guideId, guideId), eq(r.number, number)))
    .get();
  return row?.body ?? null;
}

type PublishInput = {
  guideId: number;
  /** The new revision's number: the current one plus one. */
  number: number;
  body: string;
  note: string;
  authorUserId: number | null;
  publishedByUserId: number | null;
  suggestionId?: number | null;
  now: number;
};

/**
 * The writes that publish a revision, for the caller's batch: the revision (unique per guide and
 * number, so of two reviewers publishing at once the second batch fails whole), the guide's current
 * number and review date, and the guide's search rows, one per section of the new text.
 */
export function publishWrites(database: Database, input: PublishInput) {
  const body = normaliseBody(input.body);
  const sections = markdownSections(body);
  return [
    database.insert(r).values({
      guideId: input.guideId,
      number: input.number,
      body,
      note: input.note,
      authorUserId: input.authorUserId,
      publishedByUserId: input.publishedByUserId,
      suggestionId: input.suggestionId ?? null,
      createdAt: input.now,
    }),
    database
      .update(g)
      .set({
        currentRevision: input.number,
        lastReviewedAt: input.now,
        lastReviewedByUserId: input.publishedByUserId,
        updatedAt: input.now,
      })
      .where(and(eq(g.id, input.guideId), eq(g.currentRevision, input.number - 1))),
    database.run(sql`DELETE FROM guides_fts WHERE guide_id = ${input.guideId}`),
    ...sections.map((s) =>
      database.run(
        sql`INSERT INTO guides_fts (guide_id, anchor, heading, body) VALUES (${input.guideId}, ${s.anchor}, ${s.heading}, ${s.text})`,
      ),
    ),
  ] as const;
}

/** True when the error is the unique index of revision numbers: someone published first. */
export function isRevisionRace(error: unknown): boolean {
  const text =
    String((error as { message?: unknown })?.message ?? error) + String((error as { cause?: unknown })?.cause ?? "");
  return /UNIQUE constraint failed: guide_revisions\.guide_id, guide_revisions\.number/.test(text);
}

/**
 * The project's guides from db/reference/guides/*.md: a guide missing from the database is created
 * with the file's text as revision 1 (written by the project); the title, summary and order follow
 * the file at each start. An existing guide's text is never replaced: it is kept on the site.
 */
export async function seedGuides(database: Database, now = Date.now()): Promise<void> {
  const files = referenceGuides();
  const existing = await database.select({ slug: g.slug, id: g.id, currentRevision: g.currentRevision }).from(g);
  const bySlug = new Map(existing.map((e) => [e.slug, e]));
  for (const file of files) {
    const reviewedAt = Date.parse(`${file.reviewed}T00:00:00Z`);
    const found = bySlug.get(file.slug);
    if (found && found.currentRevision > 0) {
      await database
        .update(g)
        .set({ title: file.title, summary: file.summary, position: file.position })
        .where(
          and(
            eq(g.id, found.id),
            sql`(${g.title} IS NOT ${file.title} OR ${g.summary} IS NOT ${file.summary} OR ${g.position} IS NOT ${file.position})`,
          ),
        );
      continue;
    }
    const id =
      found?.id ??
      (
        await database
          .insert(g)
          .values({
            slug: file.slug,
            title: file.title,
            summary: file.summary,
            position: file.position,
            lastReviewedAt: reviewedAt,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoNothing()
          .returning({ id: g.id })
      )[0]?.id;
    if (id === undefined) continue; // another instance created it at the same moment
    const [first, ...rest] = publishWrites(database, {
      guideId: id,
      number: 1,
      body: file.body,
      note: "First version, written by the Roadies project.",
      authorUserId: null,
      publishedByUserId: null,
      now: reviewedAt,
    });
    try {
      await database.batch([first, ...rest]);
    } catch (error) {
      if (!isRevisionRace(error)) throw error;
    }
  }
}

/** Whether this person may review guides: a working-group member or a roadie, not suspended. */
export async function isGuideReviewer(userId: number, now = Date.now()): Promise<boolean> {
  const row = await db()
    .select({ ok: sql<number>`${hasRoleSql(userId, ["working_group", "roadie"], now)}` })
    .from(schema.users)
    .where(eq(schema.users.id, userId))
    .get();
  return Boolean(row?.ok);
}

export type MarkReviewedResult = { ok: true } | { ok: false; reason: "stale" };

/**
 * "Reviewed, no change": the reviewer checked the current text. Refused when the guide changed since
 * the reviewer's page was loaded (they checked a text that is no longer the current one).
 */
export async function markReviewed(
  guideId: number,
  reviewerId: number,
  seenRevision: number,
  now = Date.now(),
): Promise<MarkReviewedResult> {
  const done = await db()
    .update(g)
    .set({ lastReviewedAt: now, lastReviewedByUserId: reviewerId, updatedAt: now })
    .where(and(eq(g.id, guideId), eq(g.currentRevision, seenRevision)))
    .returning({ id: g.id });
  return done.length ? { ok: true } : { ok: false, reason: "stale" };
}

export type SetOwnerResult = { ok: true } | { ok: false; reason: "not-reviewer" };

/** Names the person who keeps the guide current (a working-group member or roadie), or none. */
export async function setOwner(guideId: number, ownerLogin: string | null, now = Date.now()): Promise<SetOwnerResult> {
  let ownerUserId: number | null = null;
  if (ownerLogin) {
    const person = await db()
      .select({ id: schema.users.id })
      .from(schema.users)
      .where(sql`lower(${schema.users.login}) = ${ownerLogin.toLowerCase()}`)
      .get();
    if (!person || !(await isGuideReviewer(person.id, now))) return { ok: false, reason: "not-reviewer" };
    ownerUserId = person.id;
  }
  await db().update(g).set({ ownerUserId, updatedAt: now }).where(eq(g.id, guideId));
  return { ok: true };
}

/** The people who may own a guide, for the owner picker. */
export async function reviewerChoices(now = Date.now()) {
  return db()
    .select({ login: schema.users.login, name: schema.users.name })
    .from(schema.users)
    .where(hasRoleSql(schema.users.id, ["working_group", "roadie"], now))
    .orderBy(asc(sql`lower(${schema.users.login})`));
}

/** Published revisions, newest first (the Atom feed), with the guide they belong to. */
export async function recentRevisions(limit: number) {
  return db()
    .select({
      slug: g.slug,
      title: g.title,
      number: r.number,
      note: r.note,
      createdAt: r.createdAt,
      authorLogin: author.login,
      authorName: author.name,
    })
    .from(r)
    .innerJoin(g, eq(g.id, r.guideId))
    .leftJoin(author, eq(author.id, r.authorUserId))
    .orderBy(desc(r.createdAt), desc(r.id))
    .limit(limit);
}

/**
 * The guides part of a month's report: the revisions published in [from, to) by guide, and the
 * guides due for review at `at` (the month's end, or now for the current month). Called by the
 * monthly report's assembly (app/models/ecosystem/ecosystem.server.ts).
 */
export async function guidesReportSection(from: number, to: number, at = to) {
  // Side by side: one round trip (db.server.ts).
  const [changed, guides] = await Promise.all([
    db()
      .select({
        slug: g.slug,
        title: g.title,
        revisions: sql<number>`count(*)`,
        lastNote: sql<string>`(SELECT note FROM ${r} r2 WHERE r2.guide_id = ${g.id} AND r2.created_at < ${to} ORDER BY r2.number DESC LIMIT 1)`,
      })
      .from(r)
      .innerJoin(g, eq(g.id, r.guideId))
      .where(and(sql`${r.createdAt} >= ${from}`, sql`${r.createdAt} < ${to}`))
      .groupBy(g.id)
      .orderBy(asc(g.position)),
    listGuides(at),
  ]);
  const due = guides
    .filter((x) => x.due)
    .map((x) => ({ slug: x.slug, title: x.title, href: guidePath(x.slug), lastReviewedAt: x.lastReviewedAt }));
  return { changed: changed.map((c) => ({ ...c, revisions: Number(c.revisions), href: guidePath(c.slug) })), due };
}

/** Guides due for review now and pending suggestions: the working-group dashboard's line. */
export async function guidesNeedingAttention(now = Date.now()) {
  // Side by side: one round trip (db.server.ts batches a request's reads).
  const [guides, [pending]] = await Promise.all([
    listGuides(now),
    db()
      .select({ n: sql<number>`count(*)` })
      .from(schema.guideSuggestions)
      .where(eq(schema.guideSuggestions.status, "pending")),
  ]);
  return { due: guides.filter((x) => x.due), pendingSuggestions: Number(pending?.n ?? 0) };
}

/** Ids of guides, by slug (tests and demo). */
export async function guideIdsBySlug(slugs: string[]) {
  if (!slugs.length) return new Map<string, number>();
  const rows = await db().select({ id: g.id, slug: g.slug }).from(g).where(inArray(g.slug, slugs));
  return new Map(rows.map((x) => [x.slug, x.id]));
}
