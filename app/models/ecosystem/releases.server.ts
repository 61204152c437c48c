// Django's feature releases, their milestones and support windows: the reference seed overlaid
// with working-group admins' corrections, plus the calendar's events and the iCalendar feed.
import { and, desc, eq, sql } from "drizzle-orm";
import { db, prepared, schema } from "#app/utils/db.server.ts";
import { publicMemo } from "#app/utils/public-memo.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { compareVersions } from "#app/models/ecosystem/classifiers.ts";
import { releaseMilestones, type ReleaseMilestone } from "#db/schema/ecosystem.ts";
import { milestoneLabels } from "#app/models/ecosystem/labels.ts";
import {
  djangoVersionOptions,
  formatReleaseDate,
  type DjangoVersionOption,
  type VersionPicker,
} from "#app/models/ecosystem/version-labels.ts";
import { zoneLabel } from "#app/models/programs/window.ts";
import releaseFile from "#db/reference/django-releases.json" with { type: "json" };
import { versionSortKey } from "#db/seed.ts";
import { cleanText } from "#app/utils/text.ts";
import { isoDay } from "#app/utils/dates.ts";
import { meetingCalendarEvents } from "#app/models/meetings/meetings.server.ts";
import type { CalendarEvent } from "#app/models/ecosystem/ics.server.ts";

// The feed's format lives in ics.server.ts; the calendar's pages and feed import it from here too.
export { foldLine, renderIcs, type CalendarEvent } from "#app/models/ecosystem/ics.server.ts";

export { releaseMilestones, type ReleaseMilestone };

export { milestoneLabels };

export type Milestone = {
  kind: ReleaseMilestone;
  label: string;
  date: string;
  confirmed: boolean;
  /** Known to the month only: the date is the 1st and must be shown as the month. */
  approximate: boolean;
};

export type Release = {
  version: string;
  lts: boolean;
  status: "released" | "planned";
  pythonVersions: string[];
  dates: Record<ReleaseMilestone, string | null>;
  confirmed: Record<ReleaseMilestone, boolean>;
  approximate: Record<ReleaseMilestone, boolean>;
  milestones: Milestone[];
};

// The reference file marks dates it only knows to the month ("monthOnly"): those are plans.
const monthOnly = new Map(releaseFile.releases.map((r) => [r.version, new Set<string>(r.monthOnly)]));

function seedConfirmed(version: string, status: string, milestone: ReleaseMilestone, date: string | null): boolean {
  if (!date || monthOnly.get(version)?.has(milestone)) return false;
  // Before a release ships, its whole schedule is a plan; after, what happened is a fact.
  return status === "released";
}

// Read by most pages that show or pick a Django version: built once (db.server.ts `prepared`).
const releaseRows = prepared((d) =>
  d.select().from(schema.djangoReleases).orderBy(desc(schema.djangoReleases.sortKey)).prepare(),
);
const correctionRows = prepared((d) => d.select().from(schema.releaseDateCorrections).prepare());

/**
 * Every release, newest first, with corrections applied: kept per public-content generation
 * (public-memo.server.ts), which every write to the releases and their corrections bumps
 * (db/migrations/0037). The package page and the calendar read it on every view: one primary-key
 * read instead of the two tables and a dozen objects built again. Callers share the list, so it is
 * frozen: one that changed it would throw instead of changing every later page.
 */
export function listDjangoReleases(): Promise<Release[]> {
  return keptReleases("all", readDjangoReleases);
}
const keptReleases = publicMemo<Release[]>(1);

async function readDjangoReleases(): Promise<Release[]> {
  const [rows, corrections] = await Promise.all([releaseRows().all(), correctionRows().all()]);
  const byVersion = new Map<string, (typeof corrections)[number][]>();
  for (const c of corrections) byVersion.set(c.version, [...(byVersion.get(c.version) ?? []), c]);
  const releases = rows.map((r) => {
    const dates = {} as Record<ReleaseMilestone, string | null>;
    const confirmed = {} as Record<ReleaseMilestone, boolean>;
    const approximate = {} as Record<ReleaseMilestone, boolean>;
    for (const m of releaseMilestones) {
      dates[m] = r[m];
      confirmed[m] = seedConfirmed(r.version, r.status, m, r[m]);
      approximate[m] = Boolean(r[m] && monthOnly.get(r.version)?.has(m));
    }
    for (const c of byVersion.get(r.version) ?? []) {
      // An admin's correction gives a day, not a month.
      dates[c.milestone] = c.date;
      confirmed[c.milestone] = c.date ? c.confirmed : false;
      approximate[c.milestone] = false;
    }
    const milestones = releaseMilestones
      .filter((m) => dates[m])
      .map((m) => ({
        kind: m,
        label: milestoneLabels[m],
        date: dates[m]!,
        confirmed: confirmed[m],
        approximate: approximate[m],
      }));
    return deepFreeze({
      version: r.version,
      lts: r.lts,
      status: r.status,
      pythonVersions: r.pythonVersions,
      dates,
      confirmed,
      approximate,
      milestones,
    });
  });
  Object.freeze(releases);
  return releases;
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (inner && typeof inner === "object") deepFreeze(inner as object);
  return Object.freeze(value);
}

export async function getDjangoRelease(version: string): Promise<Release | undefined> {
  return (await listDjangoReleases()).find((r) => r.version === version);
}

export const todayOf = (now: number) => isoDay(now);

/**
 * The Django versions a picker offers (see version-labels.ts for the rule), labelled, newest first.
 * `keep`: versions already chosen, which stay offered.
 */
export async function djangoVersionChoices(
  picker: VersionPicker,
  keep: readonly string[] = [],
  now = Date.now(),
): Promise<DjangoVersionOption[]> {
  return djangoVersionOptions(await listDjangoReleases(), todayOf(now), picker, keep);
}

/** Releases whose support has not ended on `today`, with a known release date in the past. */
export function supportedReleases(releases: Release[], today: string): Release[] {
  return releases.filter(
    (r) => r.dates.releaseDate && r.dates.releaseDate <= today && (r.dates.extendedSupportEnd ?? "9999") >= today,
  );
}

type CurrentReleases = { latest: Release | undefined; lts: Release | undefined; supported: Release[] };

/**
 * What is worked out from the shared list (listDjangoReleases: frozen, so nothing can change it under
 * its key), kept with it: its order and, per day, its current releases, which every package view
 * asks for about ten times. A list a caller built itself is worked out on each call.
 */
const keptByList = new WeakMap<
  Release[],
  { oldestFirst?: Release[]; current?: { today: string; value: CurrentReleases } }
>();
function keptFor(releases: Release[]) {
  if (!Object.isFrozen(releases)) return undefined;
  let kept = keptByList.get(releases);
  if (!kept) keptByList.set(releases, (kept = {}));
  return kept;
}

/** The newest released version and the newest released LTS on `today`. */
export function currentReleases(releases: Release[], today: string): CurrentReleases {
  const kept = keptFor(releases);
  if (kept?.current?.today === today) return kept.current.value;
  const released = releases
    .filter((r) => r.dates.releaseDate && r.dates.releaseDate <= today)
    .sort((a, b) => compareVersions(b.version, a.version));
  const supported = supportedReleases(releases, today);
  const value = {
    latest: released[0],
    lts: supported.filter((r) => r.lts).sort((a, b) => compareVersions(b.version, a.version))[0],
    supported,
  };
  if (!kept) return value;
  Object.freeze(supported);
  kept.current = { today, value: Object.freeze(value) };
  return value;
}

/** The releases oldest first (by version). */
export function releasesOldestFirst(releases: Release[]): Release[] {
  const kept = keptFor(releases);
  if (kept?.oldestFirst) return kept.oldestFirst;
  const ordered = [...releases].sort((a, b) => compareVersions(a.version, b.version));
  if (!kept) return ordered;
  Object.freeze(ordered);
  kept.oldestFirst = ordered;
  return ordered;
}

// ---- calendar events ------------------------------------------------------------------------

/** One path segment from stored text: it stays one segment, and no text can break the line it is in. */
const urlSegment = (text: string) => encodeURIComponent(cleanText(text));

async function programDeadlines(): Promise<CalendarEvent[]> {
  // Programmes are another area's table; the calendar shows them once it exists.
  const exists = await db().get<{ n: number }>(
    sql`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'programs'`,
  );
  if (!exists?.n) return [];
  const p = schema.programs;
  const rows = await db()
    .select({ slug: p.slug, name: p.name, opensOn: p.opensOn, closesOn: p.closesOn, tz: p.windowTimezone })
    .from(p)
    .all();
  return rows.flatMap((r) => [
    {
      uid: `program-${r.slug}-opens@roadies`,
      date: r.opensOn,
      source: "programs" as const,
      title: `${r.name}: applications open`,
      description: `Applications to ${r.name} open on ${r.opensOn} (${zoneLabel(r.tz, undefined, 12)}).`,
      url: `/programs/${urlSegment(r.slug)}`,
      confirmed: true,
      kind: "applications-open",
    },
    {
      uid: `program-${r.slug}-deadline@roadies`,
      date: r.closesOn,
      source: "programs" as const,
      title: `${r.name}: application deadline`,
      description: `Last day to apply to ${r.name}: ${r.closesOn} (${zoneLabel(r.tz)}).`,
      url: `/programs/${urlSegment(r.slug)}`,
      confirmed: true,
      kind: "deadline",
    },
  ]);
}

export function releaseEvents(releases: Release[]): CalendarEvent[] {
  return releases.flatMap((r) =>
    r.milestones.map((m) => ({
      uid: `django-${r.version}-${m.kind}@roadies`,
      date: m.date,
      source: "django" as const,
      title: `Django ${r.version}${r.lts ? " LTS" : ""}: ${m.label}${
        m.approximate
          ? ` (planned for ${formatReleaseDate(m.date, true)}, day not announced)`
          : m.confirmed
            ? ""
            : " (planned)"
      }`,
      description: `${m.confirmed ? "Confirmed" : "Planned"} date of Django ${r.version}'s ${m.label}.${
        m.kind === "releaseDate" ? ` Check your packages at /compat/${r.version}.` : ""
      }`,
      url: `/compat/${urlSegment(r.version)}`,
      confirmed: m.confirmed,
      kind: m.kind,
    })),
  );
}

export type CalendarFilter = "all" | "django" | "programs" | "meetings";

export async function listCalendarEvents(only: CalendarFilter = "all", now = Date.now()): Promise<CalendarEvent[]> {
  const wants = (source: CalendarEvent["source"]) => only === "all" || only === source;
  // The three sources side by side (db.server.ts): their reads go together.
  const [releases, programs, meetings] = await Promise.all([
    wants("django") ? listDjangoReleases() : [],
    wants("programs") ? programDeadlines() : [],
    wants("meetings") ? meetingCalendarEvents(now) : [],
  ]);
  const events = [...releaseEvents(releases), ...programs, ...meetings];
  return events.sort(
    (a, b) => a.date.localeCompare(b.date) || (a.startsAt ?? 0) - (b.startsAt ?? 0) || a.uid.localeCompare(b.uid),
  );
}

/** Months from the first to the last event, each with its events; the next upcoming one marked. */
export function calendarTimeline(events: CalendarEvent[], today: string) {
  const next = events.find((e) => e.date >= today && !e.cancelled);
  const months = new Map<string, CalendarEvent[]>();
  for (const e of events) months.set(e.date.slice(0, 7), [...(months.get(e.date.slice(0, 7)) ?? []), e]);
  return { next, months: [...months].map(([month, list]) => ({ month, events: list })) };
}

// ---- admin corrections -------------------------------------------------------------------------

export type ReleaseCorrection = {
  version: string;
  lts: boolean;
  pythonVersions?: string[];
  dates: Partial<Record<ReleaseMilestone, { date: string | null; confirmed: boolean }>>;
};

/**
 * Adds a release (when new) and records the dates that differ from what is shown now, with one
 * audit entry, atomically. Returns the milestones that changed.
 */
export async function correctRelease(input: ReleaseCorrection, actorUserId: number, now = Date.now()) {
  const current = await getDjangoRelease(input.version);
  const statements = [];
  if (!current) {
    statements.push(
      db()
        .insert(schema.djangoReleases)
        .values({
          version: input.version,
          sortKey: versionSortKey(input.version),
          lts: input.lts,
          pythonVersions: input.pythonVersions ?? [],
          status: "planned",
        }),
    );
  } else if (current.lts !== input.lts) {
    statements.push(
      db()
        .update(schema.djangoReleases)
        .set({ lts: input.lts })
        .where(eq(schema.djangoReleases.version, input.version)),
    );
  }
  const changed: ReleaseMilestone[] = [];
  for (const m of releaseMilestones) {
    const next = input.dates[m];
    if (!next) continue;
    const date = next.date || null;
    const confirmed = date ? next.confirmed : false;
    if (current && current.dates[m] === date && current.confirmed[m] === confirmed) continue;
    if (!current && !date) continue;
    changed.push(m);
    statements.push(
      db()
        .insert(schema.releaseDateCorrections)
        .values({ version: input.version, milestone: m, date, confirmed, updatedByUserId: actorUserId, updatedAt: now })
        .onConflictDoUpdate({
          target: [schema.releaseDateCorrections.version, schema.releaseDateCorrections.milestone],
          set: { date, confirmed, updatedByUserId: actorUserId, updatedAt: now },
        }),
    );
  }
  if (statements.length === 0) return { created: false, changed };
  statements.push(
    auditEntry(
      {
        actorUserId,
        action: current ? "release.correct" : "release.add",
        objectType: "django_release",
        objectId: input.version,
        detail: { milestones: changed.join(",") },
      },
      now,
    ),
  );
  const [first, ...rest] = statements;
  await db().batch([first!, ...rest]);
  return { created: !current, changed };
}

export async function releaseExists(version: string): Promise<boolean> {
  const row = await db()
    .select({ v: schema.djangoReleases.version })
    .from(schema.djangoReleases)
    .where(and(eq(schema.djangoReleases.version, version)))
    .get();
  return Boolean(row);
}
