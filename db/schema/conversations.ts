// Conversations: one thread per subject (an accepted interest, a transfer, a special request, a
// programme application), the messages in it, each person's state in a thread (read up to, muted,
// joined), and the blocks people set between themselves. Who belongs to a thread is never stored:
// app/models/conversations/ derives it from the subject on every read and write.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./core.ts";

export const threadSubjectTypes = ["interest", "transfer", "request", "application"] as const;
export type ThreadSubjectType = (typeof threadSubjectTypes)[number];

/** One conversation per subject, made when the subject begins or on the first visit. */
export const threads = sqliteTable(
  "threads",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    subjectType: text("subject_type", { enum: threadSubjectTypes }).notNull(),
    /** The interest, transfer, special request or application id. */
    subjectId: integer("subject_id").notNull(),
    createdAt: integer("created_at").notNull(),
    /** The newest message's time (null before the first one). */
    lastMessageAt: integer("last_message_at"),
    /** Any change a reader should see (a message, an edit, a deletion, a join): the live version. */
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("threads_subject").on(t.subjectType, t.subjectId)],
);

/**
 * A person's own state in a thread. A row grants nothing: membership comes from the subject; a
 * working-group member's `joinedAt` counts only on a transfer's thread and only while they are one.
 */
export const threadStates = sqliteTable(
  "thread_states",
  {
    threadId: integer("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    lastReadAt: integer("last_read_at"),
    mutedAt: integer("muted_at"),
    /** A working-group member who chose to follow a transfer's thread. */
    joinedAt: integer("joined_at"),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.userId] }), index("thread_states_user").on(t.userId)],
);

/** A message: Markdown as written. Deleting keeps the row (and its place) without the text. */
export const messages = sqliteTable(
  "messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    threadId: integer("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    authorId: integer("author_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
    editedAt: integer("edited_at"),
    /** Set by the author's deletion: the page shows "message deleted" in its place. */
    deletedAt: integer("deleted_at"),
  },
  (t) => [index("messages_thread").on(t.threadId, t.createdAt), index("messages_author").on(t.authorId, t.createdAt)],
);

/** `blockerId` blocked `blockedId`: no messages from them into a shared thread, no notifications. */
export const userBlocks = sqliteTable(
  "user_blocks",
  {
    blockerId: integer("blocker_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    blockedId: integer("blocked_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.blockerId, t.blockedId] }), index("user_blocks_blocked").on(t.blockedId)],
);

export type Thread = typeof threads.$inferSelect;
export type Message = typeof messages.$inferSelect;
