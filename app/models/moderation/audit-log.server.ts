// Reading the audit log with the actors' logins, for /admin/audit.
import { desc, eq } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";

export function listAuditPage({ limit, offset }: { limit: number; offset: number }) {
  const a = schema.auditLog;
  return db()
    .select({
      id: a.id,
      actorUserId: a.actorUserId,
      actorLogin: schema.users.login,
      action: a.action,
      objectType: a.objectType,
      objectId: a.objectId,
      detail: a.detail,
      createdAt: a.createdAt,
    })
    .from(a)
    .leftJoin(schema.users, eq(schema.users.id, a.actorUserId))
    .orderBy(desc(a.id))
    .limit(limit)
    .offset(offset)
    .all();
}
