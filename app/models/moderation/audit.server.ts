// The audit log: append-only records of privileged actions and confidential views.
import { desc } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";

export type AuditInput = {
  actorUserId: number | null;
  action: string;
  objectType: string;
  objectId: string | number;
  detail?: Record<string, string | number | boolean | null>;
};

/** The insert for an audit entry, to run alone or inside a `db().batch([...])` with the change itself. */
export function auditEntry(input: AuditInput, now = Date.now()) {
  return db()
    .insert(schema.auditLog)
    .values({
      actorUserId: input.actorUserId,
      action: input.action,
      objectType: input.objectType,
      objectId: String(input.objectId),
      detail: JSON.stringify(input.detail ?? {}),
      createdAt: now,
    });
}

export async function recordAudit(input: AuditInput, now = Date.now()) {
  await auditEntry(input, now);
}

export function listAudit({ limit = 100, offset = 0 } = {}) {
  return db().select().from(schema.auditLog).orderBy(desc(schema.auditLog.id)).limit(limit).offset(offset).all();
}
