// The database schema, one file per area under db/schema/. drizzle-kit reads this file.
export * from "./schema/core.ts";
export * from "./schema/programs.ts";
export * from "./schema/people.ts";
export * from "./schema/ecosystem.ts";
export * from "./schema/calls.ts";
export * from "./schema/digest.ts";
export * from "./schema/requests.ts";
export * from "./schema/notifications.ts";
export * from "./schema/moderation.ts";
export * from "./schema/conversations.ts";
export * from "./schema/guides.ts";
export * from "./schema/meetings.ts";
export * from "./schema/emails.ts";
export * from "./schema/reports.ts";
export * from "./schema/surveys.ts";
export * from "./schema/jobs.ts";
