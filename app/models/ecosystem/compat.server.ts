// Compatibility drives: for one Django release, every tracked package's status and the progress.
import { eq } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { compatFor } from "#app/models/packages/health.server.ts";
import { loadHealthInputs } from "#app/models/packages/health-data.server.ts";
import { compatLabels, type CompatView } from "#app/models/ecosystem/labels.ts";
import { listDjangoReleases, todayOf } from "#app/models/ecosystem/releases.server.ts";
import { DAY_MS } from "#app/utils/dates.ts";

export async function getCompatDrive(version: string, now = Date.now()) {
  const releases = await listDjangoReleases();
  const release = releases.find((r) => r.version === version);
  if (!release) return null;
  const [inputs, drive] = await Promise.all([
    loadHealthInputs(),
    db().select().from(schema.compatDrives).where(eq(schema.compatDrives.version, version)).get(),
  ]);
  const packages = inputs
    .map((p) => ({ name: p.name, normalizedName: p.normalizedName, status: compatFor(p, version, releases) }))
    .sort((a, b) => a.normalizedName.localeCompare(b.normalizedName));
  const counts = Object.fromEntries(Object.keys(compatLabels).map((k) => [k, 0])) as Record<CompatView, number>;
  for (const p of packages) counts[p.status]++;
  const ready = counts.declared + counts.compatible;
  const today = todayOf(now);
  const releaseDate = release.dates.releaseDate;
  const daysToRelease =
    releaseDate && releaseDate >= today
      ? Math.round((Date.parse(`${releaseDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS)
      : null;
  return {
    release,
    releaseDate,
    releaseConfirmed: release.confirmed.releaseDate,
    daysToRelease,
    released: Boolean(releaseDate && releaseDate <= today),
    threadUrl: drive?.threadUrl ?? null,
    packages,
    counts,
    ready,
    tracked: packages.length,
    versions: releases.map((r) => r.version),
  };
}

export async function setCoordinationThread(
  version: string,
  threadUrl: string | null,
  actorUserId: number,
  now = Date.now(),
) {
  const t = schema.compatDrives;
  await db().batch([
    db()
      .insert(t)
      .values({ version, threadUrl, updatedByUserId: actorUserId, updatedAt: now })
      .onConflictDoUpdate({ target: t.version, set: { threadUrl, updatedByUserId: actorUserId, updatedAt: now } }),
    auditEntry(
      {
        actorUserId,
        action: "compat.thread",
        objectType: "django_release",
        objectId: version,
        detail: { set: Boolean(threadUrl) },
      },
      now,
    ),
  ]);
}
