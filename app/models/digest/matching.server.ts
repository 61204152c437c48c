// The data the matching engine ranks, loaded in bulk once per run: the sources of items (open
// calls, mentoring projects, transfers waiting for a roadie, pending interests), each one function
// that can be added or left out on its own, each person's history, and `loadMatchingData`, which
// reads them all with the people and maintainers of matching-people.server.ts.
import { and, eq, gt, inArray, lte, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
// The rules themselves, from modules that hold little else: this module and matching-people are
// all a matching run imports besides the engine, so they stay clear of the pages' models (auth,
// email, markdown).
import { listedCallSql } from "#app/models/calls/listed.server.ts";
import {
  emptyHistory,
  type History,
  type Level,
  type MaintainerCall,
  type MatchingData,
  type NewInterest,
  type Opportunity,
} from "#app/models/digest/matching-rules.ts";
import { itemKey } from "#app/models/digest/matching-order.ts";
import {
  internedSkillId,
  LEVELS,
  loadMaintainers,
  loadVolunteers,
  PAGE,
  readPages,
  type Maintainers,
} from "#app/models/digest/matching-people.server.ts";
import type { CallKind, CallUrgency } from "#db/schema.ts";

/**
 * Source: open calls that are not expired, filled, closed or hidden. Each is also its maintainers'
 * call (the people section), with their ids: one object serves both lists.
 */
async function loadOpenCalls(
  now: number,
  { byPackage, offsets }: Maintainers,
  skillIds: Map<string, string>,
): Promise<MaintainerCall[]> {
  const c = schema.calls;
  const calls: MaintainerCall[] = [];
  // Many calls ask the same (skill, level) pairs and the same Django versions: one object each,
  // found by the pair's text as SQLite folds it (`id level`, joined by char(30)).
  const entries = new Map<string, { skillId: string; level: Level }>();
  const skillEntry = (pair: string) => {
    let entry = entries.get(pair);
    if (!entry) {
      const space = pair.lastIndexOf(" ");
      const level = pair.slice(space + 1);
      const skillId = internedSkillId(pair.slice(0, space), skillIds);
      entries.set(pair, (entry = { skillId, level: LEVELS[level] ?? (level as Level) }));
    }
    return entry;
  };
  const byId = (a: { skillId: string }, b: { skillId: string }) => a.skillId.localeCompare(b.skillId);
  const lists = new Map<string, string[]>();
  const versionLists = (json: string) => {
    let list = lists.get(json);
    if (!list) lists.set(json, (list = JSON.parse(json) as string[]));
    return list;
  };
  await readPages<
    [
      number[],
      number[],
      string[],
      CallKind[],
      string[],
      number[],
      string[],
      CallUrgency[],
      number[],
      number[],
      number[],
      (string | null)[],
    ]
  >(
    "id, package_id, package_name, kind, title, hours_per_week, django_versions, urgency, mentoring, created_at, updated_at, skills",
    (after) => sql`
      SELECT ${c.id}, ${c.packageId}, ${schema.packages.name} AS package_name, ${c.kind}, ${c.title},
        ${c.hoursPerWeek}, ${c.djangoVersions}, ${c.urgency}, ${c.mentoring}, ${c.createdAt}, ${c.updatedAt},
        -- Folded into one string by SQLite, as people's skills are.
        (SELECT group_concat(s.skill_id || ' ' || s.level, char(30)) FROM ${schema.callSkills} s
          WHERE s.call_id = ${c.id}) AS skills
      -- NOT INDEXED: read by id, a page at a time. Otherwise SQLite chose the index on (status,
      -- created_at) and, for each page, read every open call after the page's start, skills and all,
      -- and sorted them by id (at 100,000 open calls, twenty pages of 52,500 such rows on average).
      FROM ${c} NOT INDEXED JOIN ${schema.packages} ON ${schema.packages.id} = ${c.packageId}
      WHERE ${listedCallSql(now)} AND ${c.id} > ${after} ORDER BY ${c.id} LIMIT ${PAGE}`,
    ([
      ids,
      packageIds,
      packageNames,
      kinds,
      titles,
      hours,
      versions,
      urgencies,
      mentoring,
      created,
      updated,
      folded,
    ]) => {
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k]!;
        const packageId = packageIds[k]!;
        const kind = kinds[k]!;
        const text = folded[k];
        const skills = text ? text.split("\u001e").map(skillEntry) : [];
        // SQLite hands them over in its index's order, which is this order for the ids in use:
        // checked rather than sorted again (a sort cost 600 bytes of garbage a call).
        if (!skills.every((skill, n) => n === 0 || byId(skills[n - 1]!, skill) <= 0)) skills.sort(byId);
        calls.push({
          kind: "call" as const,
          id: String(id),
          // Ownership transfers are listed as calls too; they read as "transfers" in the digest.
          section: kind === "new-maintainer" ? ("transfers" as const) : ("calls" as const),
          packageId,
          packageName: packageNames[k]!,
          title: titles[k]!,
          path: `/calls/${id}`,
          callKind: kind,
          skills,
          hoursPerWeek: hours[k]!,
          djangoVersions: versionLists(versions[k]!),
          urgency: urgencies[k]!,
          createdAt: created[k]!,
          updatedAt: updated[k]!,
          maintainerOffsets: offsets.get(packageId) ?? [],
          requires: null,
          mentoring: mentoring[k] === 1,
          maintainerIds: byPackage.get(packageId) ?? [],
        });
      }
    },
  );
  return calls;
}

/** Source: mentoring projects in programmes whose application window is open now. */
async function loadOpenProjects(now: number, offsets: Map<number, number[]>): Promise<Opportunity[]> {
  const p = schema.mentoringProjects;
  const rows = await db()
    .select({
      id: p.id,
      packageId: p.packageId,
      packageName: schema.packages.name,
      title: p.title,
      skills: p.skills,
      programSlug: schema.programs.slug,
      programName: schema.programs.name,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    })
    .from(p)
    .innerJoin(schema.programs, eq(schema.programs.id, p.programId))
    .innerJoin(schema.packages, eq(schema.packages.id, p.packageId))
    .where(and(lte(schema.programs.opensAt, now), gt(schema.programs.closesAt, now)))
    .all();
  if (rows.length === 0) return [];
  // Projects name their skills; match them to skill ids by name.
  const allSkills = await db().select({ id: schema.skills.id, name: schema.skills.name }).from(schema.skills).all();
  const idByName = new Map(allSkills.map((s) => [s.name.toLowerCase(), s.id]));
  return rows.map((r) => ({
    kind: "project" as const,
    id: String(r.id),
    section: "programs" as const,
    packageId: r.packageId,
    packageName: r.packageName,
    title: `${r.title} (${r.programName})`,
    path: `/programs/${r.programSlug}`,
    callKind: null,
    skills: r.skills
      .map((name) => idByName.get(name.toLowerCase()) ?? null)
      .filter((id): id is string => id !== null)
      .sort()
      .map((skillId) => ({ skillId, level: "learning" as Level })),
    hoursPerWeek: null,
    djangoVersions: [],
    urgency: "normal" as const,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    maintainerOffsets: offsets.get(r.packageId) ?? [],
    requires: null,
    mentoring: true,
  }));
}

/** Source: ownership transfers in progress that no roadie has taken yet (roadies only). */
async function loadTransfersForRoadies(offsets: Map<number, number[]>): Promise<Opportunity[]> {
  const t = schema.transfers;
  const c = schema.calls;
  const rows = await db()
    .select({
      id: t.id,
      callId: c.id,
      packageId: c.packageId,
      packageName: schema.packages.name,
      title: c.title,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    })
    .from(t)
    .innerJoin(c, eq(c.id, t.callId))
    .innerJoin(schema.packages, eq(schema.packages.id, c.packageId))
    .where(and(eq(t.status, "in_progress"), sql`${t.roadieUserId} IS NULL`))
    .all();
  return rows.map((r) => ({
    kind: "transfer" as const,
    id: String(r.id),
    section: "transfers" as const,
    packageId: r.packageId,
    packageName: r.packageName,
    title: `Transfer of ${r.packageName} needs a roadie`,
    path: `/calls/${r.callId}`,
    callKind: "new-maintainer" as const,
    // A roadie's skill here is running the handover, not the package's code.
    skills: [{ skillId: "governance", level: "comfortable" as Level }],
    hoursPerWeek: null,
    djangoVersions: [],
    urgency: "high" as const,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    maintainerOffsets: offsets.get(r.packageId) ?? [],
    requires: "roadie" as const,
    mentoring: false,
  }));
}

/** Interests still waiting for an answer, on open calls. */
async function loadPendingInterests(): Promise<NewInterest[]> {
  const i = schema.callInterests;
  return db()
    .select({
      id: i.id,
      callId: i.callId,
      packageId: schema.calls.packageId,
      packageName: schema.packages.name,
      callTitle: schema.calls.title,
      volunteerLogin: schema.users.login,
      volunteerId: i.userId,
      createdAt: i.createdAt,
    })
    .from(i)
    .innerJoin(schema.calls, eq(schema.calls.id, i.callId))
    .innerJoin(schema.packages, eq(schema.packages.id, schema.calls.packageId))
    .innerJoin(schema.users, eq(schema.users.id, i.userId))
    .where(and(eq(i.status, "pending"), inArray(schema.calls.status, ["open", "in_conversation"])))
    .all();
}

function historyOf(map: Map<number, History>, userId: number): History {
  let h = map.get(userId);
  if (!h) {
    h = emptyHistory();
    map.set(userId, h);
  }
  return h;
}

/** Own packages, dismissed and answered items, and the items of each person's previous 4 digests. */
async function loadHistory(
  week: string,
  byPackage: Map<number, number[]>,
): Promise<{
  history: Map<number, History>;
  lastDigestAt: Map<number, number>;
}> {
  const history = new Map<number, History>();
  byPackage.forEach((userIds, packageId) => {
    for (const id of userIds) historyOf(history, id).ownPackageIds.add(packageId);
  });
  const posted = await db()
    .select({ userId: schema.calls.postedByUserId, packageId: schema.calls.packageId })
    .from(schema.calls)
    .where(sql`${schema.calls.postedByUserId} IS NOT NULL`)
    .all();
  for (const p of posted) historyOf(history, p.userId!).ownPackageIds.add(p.packageId);
  for (const d of await db().select().from(schema.matchDismissals).all()) {
    historyOf(history, d.userId).excluded.add(itemKey(d.itemKind, d.itemId));
  }
  const answered = await db()
    .select({ userId: schema.callInterests.userId, callId: schema.callInterests.callId })
    .from(schema.callInterests)
    .all();
  for (const a of answered) historyOf(history, a.userId).excluded.add(itemKey("call", String(a.callId)));

  // Whether (and when) a digest went out is the email ledger's to say.
  const shown = await db().all<{ user_id: number; items: string; shown_at: number }>(sql`
    SELECT user_id, items, COALESCE(sent_at, created_at) AS shown_at FROM (
      SELECT d.user_id, d.items, e.sent_at, d.created_at,
             ROW_NUMBER() OVER (PARTITION BY d.user_id ORDER BY d.week DESC) AS n
      FROM ${schema.digestDeliveries} d
      JOIN ${schema.emailDeliveries} e ON e.idempotency_key = d.email_key
      WHERE e.status = 'sent' AND d.week < ${week}
    ) WHERE n <= 4`);
  const lastDigestAt = new Map<number, number>();
  for (const row of shown) {
    const h = historyOf(history, row.user_id);
    lastDigestAt.set(row.user_id, Math.max(lastDigestAt.get(row.user_id) ?? 0, row.shown_at));
    let items: { kind: string; id: string }[] = [];
    try {
      items = JSON.parse(row.items) as { kind: string; id: string }[];
    } catch {
      items = [];
    }
    for (const item of items) {
      const key = itemKey(item.kind, item.id);
      h.recentlyShown.set(key, Math.max(h.recentlyShown.get(key) ?? 0, row.shown_at));
    }
  }
  return { history, lastDigestAt };
}

/** Loads everything a run ranks, in a few bulk queries. */
export async function loadMatchingData(week: string, now = Date.now()): Promise<MatchingData> {
  const skillRows = await db().select({ id: schema.skills.id, name: schema.skills.name }).from(schema.skills).all();
  // Skill ids shared by everyone's skills and every call's (see internedSkillId).
  const skillIds = new Map(skillRows.map((s) => [s.id, s.id]));
  const volunteers = await loadVolunteers(now, skillIds);
  const maintainers = await loadMaintainers(volunteers);
  const { byPackage, offsets } = maintainers;
  const [calls, projects, transfers, interests, { history, lastDigestAt }] = await Promise.all([
    loadOpenCalls(now, maintainers, skillIds),
    loadOpenProjects(now, offsets),
    loadTransfersForRoadies(offsets),
    loadPendingInterests(),
    loadHistory(week, byPackage),
  ]);
  return {
    now,
    skillNames: new Map(skillRows.map((s) => [s.id, s.name])),
    volunteers,
    opportunities: [...calls, ...projects, ...transfers],
    maintainerCalls: calls,
    interests,
    history,
    lastDigestAt,
  };
}
