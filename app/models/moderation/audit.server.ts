// The audit log: append-only records of privileged actions and confidential views, hash-chained.
// The database refuses UPDATE and DELETE on it and refuses an entry that does not continue the
// chain (db/migrations/0020_audit_append_only.sql); `auditEntry` is the one builder of entries.
import { createHash } from "node:crypto";
import { asc, gt, sql, type SQL } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import type { AuditEntry } from "#db/schema.ts";

export type AuditInput = {
  actorUserId: number | null;
  action: string;
  objectType: string;
  /** The object's id, or SQL for an id that exists only inside the batch (a row it just inserted). */
  objectId: string | number | SQL;
  detail?: Record<string, string | number | boolean | null>;
};

const a = schema.auditLog;

/**
 * The insert for an audit entry, to run alone or inside a `db().batch([...])` with the change
 * itself; with `when`, only if that SQL condition holds. The entry's hash is computed by the same
 * statement that reads the previous entry's hash: SQLite runs one write at a time, so concurrent
 * writers queue up behind each other and the chain cannot fork.
 */
export function auditEntry(input: AuditInput, now = Date.now(), { when }: { when?: SQL } = {}) {
  const objectId = typeof input.objectId === "object" ? input.objectId : String(input.objectId);
  // CASTs: libsql binds JS numbers as REAL, and json_array would write 5 as 5.0.
  return db()
    .insert(a)
    .select(
      sql`SELECT NULL, v.actor, v.action, v.type, v.oid, v.detail, v.at,
        lower(hex(sha3(COALESCE((SELECT ${a.hash} FROM ${a} ORDER BY ${a.id} DESC LIMIT 1), '')
          || json_array(v.actor, v.action, v.type, v.oid, v.detail, v.at))))
      FROM (SELECT CAST(${input.actorUserId} AS INTEGER) AS actor, ${input.action} AS action,
        ${input.objectType} AS type, CAST(${objectId} AS TEXT) AS oid,
        ${JSON.stringify(input.detail ?? {})} AS detail, CAST(${now} AS INTEGER) AS at) AS v
      WHERE ${when ?? sql`1`}`,
    );
}

export async function recordAudit(input: AuditInput, now = Date.now()) {
  await auditEntry(input, now);
}

/**
 * For events that repeat (a signed-in person's refused looks at one request): the first in the
 * window since `since` gets an audit entry, and every one, the first included, counts in
 * `audit_repeats` against that entry. Run the returned statements in one batch, in this order.
 */
export function countedAuditEntry(input: AuditInput & { objectId: string | number }, since: number, now = Date.now()) {
  const r = schema.auditRepeats;
  const same = sql`${a.action} = ${input.action} AND ${a.objectType} = ${input.objectType}
    AND ${a.objectId} = ${String(input.objectId)} AND ${a.actorUserId} IS ${input.actorUserId}
    AND ${a.createdAt} >= ${since}`;
  return [
    auditEntry(input, now, { when: sql`NOT EXISTS (SELECT 1 FROM ${a} WHERE ${same})` }),
    db().run(sql`INSERT INTO ${r} (${sql.identifier(r.auditId.name)}, ${sql.identifier(r.count.name)})
      SELECT max(${a.id}), 1 FROM ${a} WHERE ${same} HAVING max(${a.id}) IS NOT NULL
      ON CONFLICT (${sql.identifier(r.auditId.name)}) DO UPDATE SET ${sql.identifier(r.count.name)} = ${r.count} + 1`),
  ] as const;
}

/** The text an entry's hash covers besides the previous hash; SQLite's json_array writes the same. */
export function canonicalAuditJson(
  e: Pick<AuditEntry, "actorUserId" | "action" | "objectType" | "objectId" | "detail" | "createdAt">,
) {
  return JSON.stringify([e.actorUserId, e.action, e.objectType, e.objectId, e.detail, e.createdAt]);
}

export function chainHash(previous: string, e: Parameters<typeof canonicalAuditJson>[0]) {
  return createHash("sha3-256")
    .update(previous + canonicalAuditJson(e), "utf8")
    .digest("hex");
}

export type ChainVerdict =
  { ok: true; count: number; head: string | null } | { ok: false; count: number; brokenAt: AuditEntry };

/**
 * Recomputes the whole chain outside the database, entry by entry in id order. `count` is the
 * number of entries checked; on a break, `brokenAt` is the first entry whose hash does not follow
 * from the entries before it (changed, or the one after a removed entry).
 */
export async function verifyAuditChain(pageSize = 2000): Promise<ChainVerdict> {
  let previous = "";
  let count = 0;
  let after = 0;
  for (;;) {
    const rows = await db().select().from(a).where(gt(a.id, after)).orderBy(asc(a.id)).limit(pageSize).all();
    for (const row of rows) {
      if (row.hash !== chainHash(previous, row)) return { ok: false, count, brokenAt: row };
      previous = row.hash;
      count++;
    }
    if (rows.length < pageSize) return { ok: true, count, head: previous || null };
    after = rows[rows.length - 1]!.id;
  }
}
