// Gives every test file its own copy of the migrated, reference-seeded base database, opened through
// a symbolic link so that a describe can ask for a fresh copy (tests/support/database.ts).
import { resolve } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, inject } from "vitest";
import { closeDatabase } from "#app/utils/db.server.ts";
import { freshDatabase } from "#tests/support/database.ts";

process.env.NODE_ENV = "test";
process.env.DATABASE_URL = `file:${resolve(inject("runDirectory"), `test-${randomUUID()}`, "test.db")}`;
process.env.LOG_LEVEL ??= "silent";
freshDatabase();

afterAll(() => closeDatabase());
