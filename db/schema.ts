// The database schema, one file per area under db/schema/. drizzle-kit reads this file.
export * from "./schema/core.ts";
