// Announcing new public calls to webhooks (Discord-compatible and generic JSON): each call once per
// webhook, retried with backoff, never for hidden calls or calls no longer open.
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { hiddenSql } from "#app/models/moderation/hides.server.ts";
import { callKindLabels, type CallKind, type WebhookKind } from "#db/schema.ts";
import { HOUR_MS, MINUTE_MS } from "#app/utils/dates.ts";

/** Waits after each failed attempt; after the last one the announcement is given up. */
export const ANNOUNCE_BACKOFF_MS = [MINUTE_MS, 5 * MINUTE_MS, 30 * MINUTE_MS, 2 * HOUR_MS, 12 * HOUR_MS];
const TIMEOUT_MS = 10_000;

export function listWebhooks() {
  return db().select().from(schema.announcementWebhooks).orderBy(asc(schema.announcementWebhooks.id)).all();
}

export async function addWebhook(
  actorId: number,
  input: { name: string; kind: WebhookKind; url: string },
  now = Date.now(),
) {
  const [row] = await db()
    .insert(schema.announcementWebhooks)
    .values({ ...input, createdByUserId: actorId, createdAt: now })
    .returning({ id: schema.announcementWebhooks.id });
  await auditEntry(
    {
      actorUserId: actorId,
      action: "announcements.webhook.add",
      objectType: "webhook",
      objectId: row!.id,
      detail: { kind: input.kind },
    },
    now,
  );
  return row!.id;
}

export async function setWebhookActive(actorId: number, id: number, active: boolean, now = Date.now()) {
  await db().batch([
    db().update(schema.announcementWebhooks).set({ active }).where(eq(schema.announcementWebhooks.id, id)),
    auditEntry(
      {
        actorUserId: actorId,
        action: active ? "announcements.webhook.enable" : "announcements.webhook.disable",
        objectType: "webhook",
        objectId: id,
      },
      now,
    ),
  ]);
}

export async function deleteWebhook(actorId: number, id: number, now = Date.now()) {
  await db().batch([
    db().delete(schema.announcementWebhooks).where(eq(schema.announcementWebhooks.id, id)),
    auditEntry(
      { actorUserId: actorId, action: "announcements.webhook.delete", objectType: "webhook", objectId: id },
      now,
    ),
  ]);
}

type Announced = { id: number; title: string; kind: CallKind; packageName: string; url: string };

/** The body for each kind of webhook. Discord: no mentions may ever ping anyone. */
export function announcementBody(kind: WebhookKind, call: Announced) {
  const kindLabel = callKindLabels[call.kind];
  if (kind === "discord") {
    return {
      content: `New call for **${escapeDiscord(call.packageName)}**: ${escapeDiscord(call.title)}`,
      embeds: [{ title: call.title.slice(0, 256), url: call.url, description: `${kindLabel} · ${call.packageName}` }],
      allowed_mentions: { parse: [] },
    };
  }
  return {
    version: 1,
    event: "call.posted",
    call: { id: call.id, title: call.title, package: call.packageName, kind: call.kind, kindLabel, url: call.url },
  };
}

function escapeDiscord(text: string) {
  return text.replace(/([\\*_~`|>[\]()#@])/g, "\\$1");
}

/** Sends every due announcement. Safe to run from several places: each row is claimed first. */
export async function deliverDueAnnouncements(now = Date.now(), fetchImpl: typeof fetch = fetch) {
  const a = schema.callAnnouncements;
  const due = await db()
    .select({
      webhookId: a.webhookId,
      callId: a.callId,
      attempts: a.attempts,
      nextAttemptAt: a.nextAttemptAt,
      url: schema.announcementWebhooks.url,
      kind: schema.announcementWebhooks.kind,
      active: schema.announcementWebhooks.active,
      title: schema.calls.title,
      callKind: schema.calls.kind,
      status: schema.calls.status,
      packageName: schema.packages.name,
      hidden: sql<number>`${hiddenSql("call", a.callId)}`,
    })
    .from(a)
    .innerJoin(schema.announcementWebhooks, eq(schema.announcementWebhooks.id, a.webhookId))
    .innerJoin(schema.calls, eq(schema.calls.id, a.callId))
    .innerJoin(schema.packages, eq(schema.packages.id, schema.calls.packageId))
    .where(and(eq(a.status, "pending"), lte(a.nextAttemptAt, now)))
    .limit(100)
    .all();
  let sent = 0;
  for (const row of due) {
    const key = and(
      eq(a.webhookId, row.webhookId),
      eq(a.callId, row.callId),
      eq(a.status, "pending"),
      eq(a.attempts, row.attempts),
    );
    if (row.hidden || row.status !== "open" || !row.active) {
      // Hidden, finished or switched off before it went out: never announce it.
      await db().update(a).set({ status: "failed", lastError: "skipped: not public or webhook off" }).where(key);
      continue;
    }
    // Claim the row (push its next attempt out) so a concurrent run skips it.
    const claimed = await db()
      .update(a)
      .set({ attempts: row.attempts + 1, nextAttemptAt: now + TIMEOUT_MS * 3 })
      .where(key)
      .returning({ callId: a.callId });
    if (!claimed.length) continue;
    const body = announcementBody(row.kind, {
      id: row.callId,
      title: row.title,
      kind: row.callKind,
      packageName: row.packageName,
      url: `${env().appUrl}/calls/${row.callId}`,
    });
    let error: string | null = null;
    let retryAfterMs: number | null = null;
    try {
      const response = await fetchImpl(row.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "User-Agent": "roadies-announcements" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: "error",
      });
      if (!response.ok) {
        error = `HTTP ${response.status}`;
        const retryAfter = Number(response.headers.get("retry-after"));
        if (retryAfter > 0) retryAfterMs = retryAfter * 1000;
      }
    } catch (e) {
      error = e instanceof Error ? e.message.slice(0, 200) : "request failed";
    }
    const attempts = row.attempts + 1;
    const keyAfter = and(eq(a.webhookId, row.webhookId), eq(a.callId, row.callId));
    if (!error) {
      await db().update(a).set({ status: "sent", sentAt: now, lastError: null }).where(keyAfter);
      sent++;
    } else {
      const wait = ANNOUNCE_BACKOFF_MS[attempts - 1];
      const giveUp = wait === undefined;
      await db()
        .update(a)
        .set({
          status: giveUp ? "failed" : "pending",
          lastError: error,
          nextAttemptAt: now + Math.max(wait ?? 0, retryAfterMs ?? 0),
        })
        .where(keyAfter);
      log.warn("call announcement failed", { callId: row.callId, webhookId: row.webhookId, attempts, giveUp, error });
    }
  }
  return { attempted: due.length, sent };
}

/** Right after posting: try at once, without holding up the response. */
export function announceSoon() {
  void deliverDueAnnouncements().catch((error: unknown) => log.error("announcements failed", errorFields(error)));
}
