// Guides: the working group's best-practice documents, kept as Markdown revisions. A guide's text is
// its newest revision; a suggestion is a proposed full text that a reviewer accepts (a new revision
// crediting its author) or declines with a reason. The search index (guides_fts, a custom migration)
// holds one row per section of each guide's current text, written with the revision.
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./core.ts";

export const guides = sqliteTable(
  "guides",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The URL's last segment (/guides/<slug>): never changes once published. */
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    /** One sentence for the index, search results and the page's description. */
    summary: text("summary").notNull(),
    /** Order on the guides index (smallest first). */
    position: integer("position").notNull().default(0),
    /** The working-group member or roadie who keeps it current; null: the working group as a whole. */
    ownerUserId: integer("owner_user_id").references(() => users.id, { onDelete: "set null" }),
    /** The number of the newest revision (the text readers see). */
    currentRevision: integer("current_revision").notNull().default(0),
    /** When a reviewer last checked it (a new revision or "reviewed, no change"). */
    lastReviewedAt: integer("last_reviewed_at").notNull(),
    lastReviewedByUserId: integer("last_reviewed_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("guides_slug").on(t.slug)],
);

export const guideRevisions = sqliteTable(
  "guide_revisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    guideId: integer("guide_id")
      .notNull()
      .references(() => guides.id, { onDelete: "cascade" }),
    /** 1, 2, 3… per guide. */
    number: integer("number").notNull(),
    body: text("body").notNull(),
    /** Who wrote the text: null is the project itself (the first revisions, from db/reference/guides). */
    authorUserId: integer("author_user_id").references(() => users.id, { onDelete: "set null" }),
    /** Who published it (accepted the suggestion); null for the project's own revisions. */
    publishedByUserId: integer("published_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /** What changed and why, one line. */
    note: text("note").notNull(),
    suggestionId: integer("suggestion_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("guide_revisions_number").on(t.guideId, t.number),
    index("guide_revisions_created").on(t.createdAt),
  ],
);

export const guideSuggestionStatuses = ["pending", "accepted", "declined", "withdrawn"] as const;
export type GuideSuggestionStatus = (typeof guideSuggestionStatuses)[number];

export const guideSuggestions = sqliteTable(
  "guide_suggestions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    guideId: integer("guide_id")
      .notNull()
      .references(() => guides.id, { onDelete: "cascade" }),
    authorUserId: integer("author_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The revision the author edited: the diff shows their change against it. */
    baseRevision: integer("base_revision").notNull(),
    /** The full edited text. */
    body: text("body").notNull(),
    note: text("note").notNull(),
    status: text("status", { enum: guideSuggestionStatuses }).notNull().default("pending"),
    decidedByUserId: integer("decided_by_user_id").references(() => users.id, { onDelete: "set null" }),
    decidedAt: integer("decided_at"),
    /** The reviewer's reason for declining, sent to the author. */
    declineReason: text("decline_reason"),
    /** The revision accepting it published. */
    publishedRevision: integer("published_revision"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("guide_suggestions_status").on(t.status, t.createdAt),
    index("guide_suggestions_author").on(t.authorUserId, t.createdAt),
  ],
);

export const guideSuggestionComments = sqliteTable(
  "guide_suggestion_comments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    suggestionId: integer("suggestion_id")
      .notNull()
      .references(() => guideSuggestions.id, { onDelete: "cascade" }),
    authorUserId: integer("author_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("guide_suggestion_comments_suggestion").on(t.suggestionId, t.createdAt)],
);

export type Guide = typeof guides.$inferSelect;
export type GuideRevision = typeof guideRevisions.$inferSelect;
export type GuideSuggestion = typeof guideSuggestions.$inferSelect;
