// Mentoring programmes (Djangonaut Space, Google Summer of Code …): programmes, their roles and
// questions, mentoring projects, applications with answers, reviews, decisions, groups and alumni.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { packages, users } from "./core.ts";

/** The kinds of question an application form can ask. */
export const questionKinds = ["short_text", "long_text", "single_choice", "multiple_choice", "url", "yes_no"] as const;
export type QuestionKind = (typeof questionKinds)[number];

export const projectSizes = ["small", "medium", "large"] as const;
export type ProjectSize = (typeof projectSizes)[number];

/** A criterion reviewers score from 1 to 5; its id stays when only the wording changes. */
export type RubricCriterion = { id: string; label: string; weight: number };

/** Group suggestions: who mentors whom, how many per mentor and per group, the weekly overlap. */
export type GroupRules = {
  mentorRoleId: number;
  menteeRoleId: number;
  maxPerMentor: number;
  maxPerGroup: number;
  minOverlapHours: number;
};

/** The JSON `null` stored for a programme that does not work in groups. */
export const noGroupRules = sql`'null'`;

export const programs = sqliteTable(
  "programs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    organisation: text("organisation").notNull(),
    /** Markdown. */
    description: text("description").notNull().default(""),
    website: text("website"),
    seasonStart: text("season_start").notNull(),
    seasonEnd: text("season_end").notNull(),
    /** First and last day of the application window, `YYYY-MM-DD` in `windowTimezone`. */
    opensOn: text("opens_on").notNull(),
    closesOn: text("closes_on").notNull(),
    /** "AoE" (opens at 00:00 UTC+12, closes at 23:59:59 UTC-12) or an IANA zone such as "Europe/Paris". */
    windowTimezone: text("window_timezone").notNull().default("AoE"),
    /** The window's exact instants (UTC ms), derived from the days and zone when saved. */
    opensAt: integer("opens_at").notNull(),
    /** The last millisecond at which a submission is still accepted. */
    closesAt: integer("closes_at").notNull(),
    /** The criteria reviewers score from 1 to 5. */
    rubric: text("rubric", { mode: "json" }).$type<RubricCriterion[]>().notNull().default([]),
    /**
     * How groups are formed, or JSON `null` for a programme without groups. Write `noGroupRules`
     * for that, never `null`: drizzle passes a null through as SQL NULL, which the column refuses.
     */
    groupRules: text("group_rules", { mode: "json" }).$type<GroupRules | null>().notNull().default(noGroupRules),
    /** Anonymised review: applicants' names, logins and links stay hidden from reviewers until their decision is sent. */
    anonymisedReview: integer("anonymised_review", { mode: "boolean" }).notNull().default(false),
    createdByUserId: integer("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("programs_slug").on(t.slug), index("programs_window").on(t.opensAt, t.closesAt)],
);

/** Per-programme organisers; working-group admins (users.is_admin) may always organise too. */
export const programOrganisers = sqliteTable(
  "program_organisers",
  {
    programId: integer("program_id")
      .notNull()
      .references(() => programs.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.userId] }), index("program_organisers_user").on(t.userId)],
);

export const programRoles = sqliteTable(
  "program_roles",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    programId: integer("program_id")
      .notNull()
      .references(() => programs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    capacity: integer("capacity").notNull(),
    position: integer("position").notNull().default(0),
  },
  (t) => [uniqueIndex("program_roles_name").on(t.programId, sql`lower(${t.name})`)],
);

export const programQuestions = sqliteTable(
  "program_questions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    programId: integer("program_id")
      .notNull()
      .references(() => programs.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: questionKinds }).notNull(),
    label: text("label").notNull(),
    help: text("help").notNull().default(""),
    required: integer("required", { mode: "boolean" }).notNull().default(false),
    maxLength: integer("max_length"),
    /** The options of a choice question. */
    options: text("options", { mode: "json" }).$type<string[]>().notNull().default([]),
    position: integer("position").notNull().default(0),
    /** Removed questions are archived, never deleted, so answers already given stay readable. */
    archivedAt: integer("archived_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("program_questions_program").on(t.programId, t.position)],
);

export const mentoringProjects = sqliteTable(
  "mentoring_projects",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    packageId: integer("package_id")
      .notNull()
      .references(() => packages.id, { onDelete: "cascade" }),
    programId: integer("program_id").references(() => programs.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    /** Markdown. */
    description: text("description").notNull().default(""),
    /** Skill names. */
    skills: text("skills", { mode: "json" }).$type<string[]>().notNull().default([]),
    size: text("size", { enum: projectSizes }).notNull(),
    mentorUserId: integer("mentor_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("mentoring_projects_program").on(t.programId), index("mentoring_projects_package").on(t.packageId)],
);

export const applicationStatuses = ["draft", "submitted", "withdrawn"] as const;
export const decisions = ["accepted", "waitlisted", "rejected"] as const;
export type Decision = (typeof decisions)[number];

export const applications = sqliteTable(
  "applications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    programId: integer("program_id")
      .notNull()
      .references(() => programs.id, { onDelete: "cascade" }),
    roleId: integer("role_id")
      .notNull()
      .references(() => programRoles.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: applicationStatuses }).notNull().default("draft"),
    /** Mentoring project ids, most preferred first. */
    projectRanking: text("project_ranking", { mode: "json" }).$type<number[]>().notNull().default([]),
    /** IANA zone and local hours (0–24) when the applicant is usually free, for group suggestions. */
    timezone: text("timezone"),
    availableFrom: integer("available_from"),
    availableTo: integer("available_to"),
    /** The organisers' decision; applicants see it only once `decisionSentAt` is set. */
    decision: text("decision", { enum: decisions }),
    decidedByUserId: integer("decided_by_user_id").references(() => users.id, { onDelete: "set null" }),
    decisionSentAt: integer("decision_sent_at"),
    /** Set when an accepted applicant declines the place. */
    declinedAt: integer("declined_at"),
    submittedAt: integer("submitted_at"),
    withdrawnAt: integer("withdrawn_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("applications_person_role").on(t.programId, t.roleId, t.userId),
    index("applications_program_status").on(t.programId, t.status),
    index("applications_user").on(t.userId),
  ],
);

export const applicationAnswers = sqliteTable(
  "application_answers",
  {
    applicationId: integer("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    questionId: integer("question_id")
      .notNull()
      .references(() => programQuestions.id, { onDelete: "cascade" }),
    /** Text as given; JSON array for multiple choice. */
    value: text("value").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.questionId] })],
);

export const applicationScores = sqliteTable(
  "application_scores",
  {
    applicationId: integer("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    reviewerUserId: integer("reviewer_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Criterion id -> 1..5. */
    scores: text("scores", { mode: "json" }).$type<Record<string, number>>().notNull(),
    /** Weighted mean of the criteria, 1..5. */
    total: real("total").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.reviewerUserId] })],
);

/** Organisers' private notes on an application; never shown to the applicant. */
export const applicationComments = sqliteTable(
  "application_comments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    applicationId: integer("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    authorUserId: integer("author_user_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("application_comments_application").on(t.applicationId)],
);

/** The decision-sent record: one row per "send decisions" press that found something to send. */
export const programDecisionRuns = sqliteTable(
  "program_decision_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    programId: integer("program_id")
      .notNull()
      .references(() => programs.id, { onDelete: "cascade" }),
    sentByUserId: integer("sent_by_user_id").references(() => users.id, { onDelete: "set null" }),
    applicationCount: integer("application_count").notNull(),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("program_decision_runs_program").on(t.programId)],
);

export const programGroups = sqliteTable(
  "program_groups",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    programId: integer("program_id")
      .notNull()
      .references(() => programs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    confirmedAt: integer("confirmed_at"),
    emailedAt: integer("emailed_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("program_groups_program").on(t.programId)],
);

export const programGroupMembers = sqliteTable(
  "program_group_members",
  {
    groupId: integer("group_id")
      .notNull()
      .references(() => programGroups.id, { onDelete: "cascade" }),
    applicationId: integer("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    isMentor: integer("is_mentor", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.applicationId] }),
    uniqueIndex("program_group_members_application").on(t.applicationId),
  ],
);

/** Completing a programme: the alumni record behind profile badges and trust signals. */
export const programAlumni = sqliteTable(
  "program_alumni",
  {
    programId: integer("program_id")
      .notNull()
      .references(() => programs.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    roleName: text("role_name").notNull(),
    completedAt: integer("completed_at").notNull(),
    recordedByUserId: integer("recorded_by_user_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [primaryKey({ columns: [t.programId, t.userId] }), index("program_alumni_user").on(t.userId)],
);

export type Program = typeof programs.$inferSelect;
export type ProgramRole = typeof programRoles.$inferSelect;
export type ProgramQuestion = typeof programQuestions.$inferSelect;
export type MentoringProject = typeof mentoringProjects.$inferSelect;
export type Application = typeof applications.$inferSelect;
