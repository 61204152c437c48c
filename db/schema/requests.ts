// Special requests: a verified maintainer asks the experts of one kind (security, funding …) for
// help with a package. Routed to one pool member at a time, with an acknowledgement deadline.
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { packages, users } from "./core.ts";

export const requestKinds = ["security", "funding", "transfer", "licensing", "infrastructure"] as const;
export type RequestKind = (typeof requestKinds)[number];

export const requestSeverities = ["critical", "high", "medium", "low", "none"] as const;
export type RequestSeverity = (typeof requestSeverities)[number];

/** new -> acknowledged -> in_progress -> resolved -> closed (closed also from any open state). */
export const requestStates = ["new", "acknowledged", "in_progress", "resolved", "closed"] as const;
export type RequestState = (typeof requestStates)[number];

export const specialRequests = sqliteTable(
  "special_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    packageId: integer("package_id")
      .notNull()
      .references(() => packages.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: requestKinds }).notNull(),
    title: text("title").notNull(),
    /** Markdown as written. */
    details: text("details").notNull(),
    /** Security requests only. */
    severity: text("severity", { enum: requestSeverities }),
    /** Security requests are always confidential; others when the maintainer asks. */
    confidential: integer("confidential", { mode: "boolean" }).notNull(),
    state: text("state", { enum: requestStates }).notNull().default("new"),
    filedByUserId: integer("filed_by_user_id").references(() => users.id, { onDelete: "set null" }),
    assigneeUserId: integer("assignee_user_id").references(() => users.id, { onDelete: "set null" }),
    /** When the current assignee must acknowledge by; null once acknowledged or while unassigned. */
    ackDueAt: integer("ack_due_at"),
    acknowledgedAt: integer("acknowledged_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("special_requests_package").on(t.packageId),
    index("special_requests_assignee").on(t.assigneeUserId, t.state),
    index("special_requests_ack_due").on(t.ackDueAt),
    index("special_requests_public").on(t.confidential, t.state),
  ],
);

/** Everyone who was ever assigned a request: past assignees keep their access to it. */
export const requestAssignments = sqliteTable(
  "request_assignments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: integer("request_id")
      .notNull()
      .references(() => specialRequests.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    assignedAt: integer("assigned_at").notNull(),
    endedAt: integer("ended_at"),
    /** "expired" (not acknowledged in time) or "left-pool". */
    endReason: text("end_reason"),
  },
  (t) => [index("request_assignments_request").on(t.requestId), index("request_assignments_user").on(t.userId)],
);

export const requestEventTypes = ["filed", "assigned", "reassigned", "unassigned", "state", "comment"] as const;
export type RequestEventType = (typeof requestEventTypes)[number];

/** The timeline of a request: every event, comments included. Never updated. */
export const requestEvents = sqliteTable(
  "request_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: integer("request_id")
      .notNull()
      .references(() => specialRequests.id, { onDelete: "cascade" }),
    type: text("type", { enum: requestEventTypes }).notNull(),
    actorUserId: integer("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    /** The assignee for assigned/reassigned events. */
    subjectUserId: integer("subject_user_id").references(() => users.id, { onDelete: "set null" }),
    fromState: text("from_state", { enum: requestStates }),
    toState: text("to_state", { enum: requestStates }),
    /** Markdown of a comment. */
    body: text("body"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("request_events_request").on(t.requestId, t.createdAt)],
);

export const poolMemberStatuses = ["pending", "active", "rejected"] as const;
export type PoolMemberStatus = (typeof poolMemberStatuses)[number];

/** One row per person and pool (kind): their application, admission and availability. */
export const expertPoolMembers = sqliteTable(
  "expert_pool_members",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: requestKinds }).notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: poolMemberStatuses }).notNull(),
    /** What the person showed to join: advisories handled, grants won … (Markdown). */
    evidence: text("evidence").notNull(),
    paused: integer("paused", { mode: "boolean" }).notNull().default(false),
    /** For round-robin among equally loaded members: least recently assigned goes first. */
    lastAssignedAt: integer("last_assigned_at"),
    appliedAt: integer("applied_at").notNull(),
    decidedAt: integer("decided_at"),
    decidedByUserId: integer("decided_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /**
     * Admitted without an admin because the person was a roadie or working-group member then: such
     * a seat lasts only while they still are one (app/models/people/powers.server.ts).
     */
    viaTrustRole: integer("via_trust_role", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    uniqueIndex("expert_pool_members_kind_user").on(t.kind, t.userId),
    index("expert_pool_members_user").on(t.userId),
  ],
);

/** Acknowledgement deadlines set by admins; a missing row means the default in the model. */
export const requestDeadlineSettings = sqliteTable("request_deadline_settings", {
  /** A severity ("critical" …) for security requests, or "other" for every other kind. */
  key: text("key").primaryKey(),
  days: integer("days").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export type SpecialRequest = typeof specialRequests.$inferSelect;
export type RequestEvent = typeof requestEvents.$inferSelect;
export type ExpertPoolMember = typeof expertPoolMembers.$inferSelect;
