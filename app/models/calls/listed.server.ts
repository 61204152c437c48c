// Which calls are listed: the one rule (`listedCallSql`) the site's lists, search, feed, API and
// the digest use. Kept apart from the listing's queries (listing.server.ts) so that a job needing
// only the rule (the digest's matching) does not import the pages' models with it.
import { sql } from "drizzle-orm";
import { schema } from "#app/utils/db.server.ts";
import { isoDay } from "#app/utils/dates.ts";
import { hiddenSql } from "#app/models/moderation/hides.server.ts";
import { notSuspendedSql } from "#app/models/people/suspension.server.ts";

const c = schema.calls;

/**
 * A call the public may see: not hidden by moderation and not posted by a suspended account (a
 * suspension hides its account's calls; this also covers a call unhidden while the poster is
 * still suspended).
 */
export const publicCallSql = sql`(NOT ${hiddenSql("call", c.id)} AND ${notSuspendedSql(c.postedByUserId)})`;

/**
 * A listed call: open, its last day not passed, and public. For queries over `schema.calls`.
 * The unary `+` keeps the day out of SQLite's choice of index: the day rarely narrows anything (the
 * expiry job closes calls past it), and with it SQLite read every open call by expiry and sorted
 * them, where newest first now walks `calls_status_created_listed` and stops after a page.
 */
export const listedCallSql = (now: number) =>
  sql`(${c.status} = 'open' AND +${c.expiresOn} >= ${isoDay(now)} AND ${publicCallSql})`;
