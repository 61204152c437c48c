// People: volunteer profiles, the trust ladder (roadies and the working group, with their terms
// and votes), nominations, moderation and suspensions.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users, type SkillLevel } from "./core.ts";
import { calls, type CallKind, type CallUrgency } from "./calls.ts";

export const profileRoles = ["co-maintainer", "new-owner", "triager-reviewer", "mentor", "mentee"] as const;
export type ProfileRole = (typeof profileRoles)[number];

export const profileVisibilities = ["public", "users", "hidden"] as const;
export type ProfileVisibility = (typeof profileVisibilities)[number];

/** What a volunteer tells Roadies beyond users.timezone/bio/availability_hours and user_skills. */
export const volunteerProfiles = sqliteTable("volunteer_profiles", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  rolesWanted: text("roles_wanted", { mode: "json" }).$type<ProfileRole[]>().notNull().default([]),
  /** Django versions ("4.2", "5.2"). */
  djangoVersions: text("django_versions", { mode: "json" }).$type<string[]>().notNull().default([]),
  /** Package category names. */
  categories: text("categories", { mode: "json" }).$type<string[]>().notNull().default([]),
  openToTakeover: integer("open_to_takeover", { mode: "boolean" }).notNull().default(false),
  visibility: text("visibility", { enum: profileVisibilities }).notNull().default("public"),
  updatedAt: integer("updated_at").notNull(),
});

export const trustRoles = ["roadie", "working_group"] as const;
export type TrustRole = (typeof trustRoles)[number];

export const membershipStatuses = ["active", "lapsed", "stepped_down", "removed"] as const;

/**
 * One row per stint as a roadie or working-group member. A stint is active while its status is
 * "active" AND its term has not ended: a term that nobody renewed ends by itself even before the
 * job marks it lapsed. Rows are kept after a stint ends: that is the history.
 */
export const memberships = sqliteTable(
  "memberships",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: trustRoles }).notNull(),
    status: text("status", { enum: membershipStatuses }).notNull(),
    startedAt: integer("started_at").notNull(),
    termEndsAt: integer("term_ends_at").notNull(),
    /** How many terms this stint has run (1 + renewals). */
    terms: integer("terms").notNull().default(1),
    endedAt: integer("ended_at"),
    /** The proposal that approved this stint, when a vote did. */
    proposalId: integer("proposal_id"),
  },
  (t) => [
    index("memberships_role_status").on(t.role, t.status, t.termEndsAt),
    index("memberships_user").on(t.userId, t.role),
  ],
);

export const proposalKinds = ["roadie_application", "roadie_removal", "wg_invitation", "wg_removal"] as const;
export type ProposalKind = (typeof proposalKinds)[number];
export const proposalStatuses = ["open", "approved", "rejected", "withdrawn"] as const;

/** Anything the working group votes on: roadie applications, invitations and removals. */
export const trustProposals = sqliteTable(
  "trust_proposals",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: proposalKinds }).notNull(),
    subjectUserId: integer("subject_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    proposedByUserId: integer("proposed_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /** Markdown: the applicant's motivation, or the reason for an invitation or removal. */
    motivation: text("motivation").notNull(),
    /** URLs. */
    evidence: text("evidence", { mode: "json" }).$type<string[]>().notNull().default([]),
    status: text("status", { enum: proposalStatuses }).notNull().default("open"),
    createdAt: integer("created_at").notNull(),
    decidedAt: integer("decided_at"),
  },
  (t) => [index("trust_proposals_status").on(t.status, t.kind), index("trust_proposals_subject").on(t.subjectUserId)],
);

export const voteChoices = ["approve", "reject", "abstain"] as const;
export type VoteChoice = (typeof voteChoices)[number];

/** A vote; the voter becomes null when their account is deleted, so the vote stays counted anonymously. */
export const trustVotes = sqliteTable(
  "trust_votes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => trustProposals.id, { onDelete: "cascade" }),
    voterUserId: integer("voter_user_id").references(() => users.id, { onDelete: "set null" }),
    choice: text("choice", { enum: voteChoices }).notNull(),
    comment: text("comment"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("trust_votes_voter").on(t.proposalId, t.voterUserId)],
);

/** Suspended accounts: no sessions, no sign-in, public content hidden. Deleting the row lifts it. */
export const accountSuspensions = sqliteTable("account_suspensions", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  reason: text("reason").notNull(),
  suspendedByUserId: integer("suspended_by_user_id").references(() => users.id, { onDelete: "set null" }),
  createdAt: integer("created_at").notNull(),
});

export const hideableTypes = ["call", "interest", "profile", "message"] as const;
export type HideableType = (typeof hideableTypes)[number];

/** Content a working-group admin hid, with the reason. Unhiding deletes the row (the audit log keeps it). */
export const moderationHides = sqliteTable(
  "moderation_hides",
  {
    objectType: text("object_type", { enum: hideableTypes }).notNull(),
    objectId: text("object_id").notNull(),
    reason: text("reason").notNull(),
    hiddenByUserId: integer("hidden_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.objectType, t.objectId] })],
);

export const nominationReasons = ["unmaintained", "blocking-release", "new-home"] as const;
/**
 * open -> contacted -> proposed (a draft call waits for a verified maintainer's yes) -> published
 * (in the accepting maintainer's name, or as a community nomination in nobody's) | declined (a
 * maintainer said no, with a reason); open, contacted or proposed -> closed by a roadie.
 */
export const nominationStatuses = ["open", "contacted", "proposed", "published", "declined", "closed"] as const;
export type NominationStatus = (typeof nominationStatuses)[number];

/** How a nomination's call went out: in the accepting maintainer's name, or in nobody's. */
export const nominationPublications = ["maintainer", "community"] as const;

/** The call a roadie drafts from a nomination: what the maintainer accepts, or the community call. */
export type NominationCallDraft = {
  kind: CallKind;
  title: string;
  description: string;
  hoursPerWeek: number;
  djangoVersions: string[];
  urgency: CallUrgency;
  skills: { skillId: string; level: SkillLevel }[];
  expiresOn?: string | undefined;
};

/** "This package needs help", from any signed-in user; roadies triage them. */
export const nominations = sqliteTable(
  "nominations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    packageName: text("package_name").notNull(),
    normalizedName: text("normalized_name").notNull(),
    reason: text("reason", { enum: nominationReasons }).notNull(),
    /** URLs. */
    evidence: text("evidence", { mode: "json" }).$type<string[]>().notNull().default([]),
    details: text("details").notNull().default(""),
    nominatorUserId: integer("nominator_user_id").references(() => users.id, { onDelete: "set null" }),
    status: text("status", { enum: nominationStatuses }).notNull().default("open"),
    closeReason: text("close_reason"),
    /** The draft call waiting for a verified maintainer's answer (status "proposed"). */
    proposedCall: text("proposed_call", { mode: "json" }).$type<NominationCallDraft>(),
    proposedByUserId: integer("proposed_by_user_id").references(() => users.id, { onDelete: "set null" }),
    proposedAt: integer("proposed_at"),
    /** The verified maintainer who accepted or declined, when, and the reason of a decline. */
    answeredByUserId: integer("answered_by_user_id").references(() => users.id, { onDelete: "set null" }),
    answeredAt: integer("answered_at"),
    declineReason: text("decline_reason"),
    /** The published call (calls.id) and in whose name it went out. */
    callId: integer("call_id"),
    publishedAs: text("published_as", { enum: nominationPublications }),
    triagedByUserId: integer("triaged_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("nominations_status").on(t.status, t.createdAt), index("nominations_package").on(t.normalizedName)],
);

export type VolunteerProfile = typeof volunteerProfiles.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type TrustProposal = typeof trustProposals.$inferSelect;
export type TrustVote = typeof trustVotes.$inferSelect;
export type Nomination = typeof nominations.$inferSelect;

export const transferStatuses = ["in_progress", "completed", "cancelled"] as const;

/**
 * The ownership transfer of a "new-maintainer" call once a successor is accepted. Rows are made by
 * a trigger on call_interests (migration people_transfer_trigger), so every way of accepting a
 * successor starts a checklist.
 */
export const transfers = sqliteTable(
  "transfers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    callId: integer("call_id")
      .notNull()
      .references(() => calls.id, { onDelete: "cascade" }),
    successorUserId: integer("successor_user_id").references(() => users.id, { onDelete: "set null" }),
    roadieUserId: integer("roadie_user_id").references(() => users.id, { onDelete: "set null" }),
    status: text("status", { enum: transferStatuses }).notNull().default("in_progress"),
    /** Markdown: the context the successor needs. */
    handoffNotes: text("handoff_notes").notNull().default(""),
    /** The roadie with the fewest active transfers, asked after 7 days without a roadie. */
    offeredToUserId: integer("offered_to_user_id").references(() => users.id, { onDelete: "set null" }),
    offeredAt: integer("offered_at"),
    /** When every roadie was asked, after the single offer went unanswered. */
    offeredAllAt: integer("offered_all_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    completedAt: integer("completed_at"),
    /** The successor's role on the repository as GitHub last reported it ("admin", "maintain", …, "none"). */
    successorPermission: text("successor_permission"),
    /** When that role was read: just before completion is allowed. */
    permissionCheckedAt: integer("permission_checked_at"),
  },
  (t) => [
    uniqueIndex("transfers_call").on(t.callId),
    index("transfers_status").on(t.status, t.roadieUserId),
    index("transfers_roadie").on(t.roadieUserId, t.status),
  ],
);

/** A ticked checklist step: who ticked it and when. Unticking deletes the row. */
export const transferSteps = sqliteTable(
  "transfer_steps",
  {
    transferId: integer("transfer_id")
      .notNull()
      .references(() => transfers.id, { onDelete: "cascade" }),
    step: text("step").notNull(),
    doneByUserId: integer("done_by_user_id").references(() => users.id, { onDelete: "set null" }),
    doneAt: integer("done_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.transferId, t.step] })],
);

/**
 * A step "checked" by the shepherd roadie (or an admin): what they saw, as evidence. A check never
 * ticks the step; only the step's responsible party does (app/models/requests/transfer-consent.server.ts).
 */
export const transferStepChecks = sqliteTable(
  "transfer_step_checks",
  {
    transferId: integer("transfer_id")
      .notNull()
      .references(() => transfers.id, { onDelete: "cascade" }),
    step: text("step").notNull(),
    checkedByUserId: integer("checked_by_user_id").references(() => users.id, { onDelete: "set null" }),
    note: text("note").notNull(),
    checkedAt: integer("checked_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.transferId, t.step] })],
);

export const transferConfirmingParties = ["maintainer", "successor"] as const;
export type TransferConfirmingParty = (typeof transferConfirmingParties)[number];

/**
 * A party's explicit yes to the handover, given once every step is ticked: one by a verified
 * maintainer, one by the successor. Unticking a step withdraws both.
 */
export const transferConfirmations = sqliteTable(
  "transfer_confirmations",
  {
    transferId: integer("transfer_id")
      .notNull()
      .references(() => transfers.id, { onDelete: "cascade" }),
    party: text("party", { enum: transferConfirmingParties }).notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    /** The confirming maintainer steps down as a maintainer of the package when the transfer completes. */
    stepDown: integer("step_down", { mode: "boolean" }).notNull().default(false),
    confirmedAt: integer("confirmed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.transferId, t.party] })],
);

export type Transfer = typeof transfers.$inferSelect;
