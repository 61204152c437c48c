// Group formation: suggests groups of mentees around mentors (size rules, shared project preference,
// a minimum of weekly overlapping hours), lets organisers adjust, then confirms and emails once.
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { env } from "#app/utils/env.server.ts";
import { sendBatch } from "#app/utils/email.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { localHoursInUtc, sharedHours } from "#app/utils/time.ts";
import { groupEmail } from "#emails/programs-group.tsx";
import type { GroupRules, Program } from "#db/schema.ts";

/** Quarter-hour slots: fine enough for zones such as Asia/Kolkata (UTC+5:30). */
const SLOT_MINUTES = 15;
const DEFAULT_FROM = 9;
const DEFAULT_TO = 21;

export type Member = {
  applicationId: number;
  userId: number;
  login: string;
  timezone: string;
  availableFrom: number;
  availableTo: number;
  projectRanking: number[];
};

/** The UTC quarter-hours of a week a person is free: their local daily hours in their zone (UTC if unknown). */
export function weeklySlots(
  m: Pick<Member, "timezone" | "availableFrom" | "availableTo">,
  at = Date.now(),
): Uint8Array {
  const week = { slotMinutes: SLOT_MINUTES, days: 7 } as const;
  return (
    localHoursInUtc(m.timezone, m.availableFrom, m.availableTo, at, week) ??
    localHoursInUtc("UTC", m.availableFrom, m.availableTo, at, week)!
  );
}

/** Hours a week two people are both free. */
export function overlapHours(x: Uint8Array, y: Uint8Array): number {
  return sharedHours(x, y, SLOT_MINUTES);
}

export type SuggestedGroup = { name: string; mentors: Member[]; mentees: Member[] };

/**
 * Suggests groups. Each mentee goes to a mentor with room (at most `maxPerMentor`) with whom they
 * and the mentor's other mentees share at least `minOverlapHours` a week; among those, a mentor who
 * shares a project preference wins, then the most overlap. Mentees are placed hardest-first (fewest
 * possible mentors). Pods of one mentor are then merged into groups of at most `maxPerGroup` mentees
 * when every mentee overlaps enough with every other. Those who fit nowhere are listed as unplaced.
 */
export function suggestGroups(mentors: Member[], mentees: Member[], rules: GroupRules, at = Date.now()) {
  const slots = new Map<number, Uint8Array>();
  for (const m of [...mentors, ...mentees]) slots.set(m.applicationId, weeklySlots(m, at));
  const overlap = (x: Member, y: Member) => overlapHours(slots.get(x.applicationId)!, slots.get(y.applicationId)!);
  const enough = (x: Member, y: Member) => overlap(x, y) >= rules.minOverlapHours;
  const pods = mentors.map((mentor) => ({ mentor, mentees: [] as Member[] }));
  const candidates = (mentee: Member) => pods.filter((pod) => enough(mentee, pod.mentor));
  const ordered = [...mentees].sort(
    (x, y) => candidates(x).length - candidates(y).length || x.applicationId - y.applicationId,
  );
  const unplaced: Member[] = [];
  for (const mentee of ordered) {
    const fits = candidates(mentee).filter(
      (pod) => pod.mentees.length < rules.maxPerMentor && pod.mentees.every((other) => enough(mentee, other)),
    );
    if (fits.length === 0) {
      unplaced.push(mentee);
      continue;
    }
    const shares = (pod: (typeof pods)[number]) =>
      mentee.projectRanking.some((id) => pod.mentor.projectRanking.includes(id)) ? 1 : 0;
    fits.sort(
      (x, y) =>
        shares(y) - shares(x) ||
        x.mentees.length - y.mentees.length ||
        overlap(mentee, y.mentor) - overlap(mentee, x.mentor),
    );
    fits[0]!.mentees.push(mentee);
  }
  // Merge pods into groups while the size rule and everyone's overlap allow.
  const groups: { mentors: Member[]; mentees: Member[] }[] = [];
  for (const pod of pods.filter((x) => x.mentees.length > 0)) {
    const home = groups.find(
      (g) =>
        g.mentees.length + pod.mentees.length <= rules.maxPerGroup &&
        g.mentees.every((x) => pod.mentees.every((y) => enough(x, y))) &&
        g.mentors.every((x) => pod.mentees.every((y) => enough(x, y))) &&
        g.mentees.every((x) => enough(x, pod.mentor)),
    );
    if (home) {
      home.mentors.push(pod.mentor);
      home.mentees.push(...pod.mentees);
    } else groups.push({ mentors: [pod.mentor], mentees: [...pod.mentees] });
  }
  return {
    groups: groups.map((g, i) => ({ name: `Group ${i + 1}`, ...g })) as SuggestedGroup[],
    unplaced,
  };
}

async function acceptedMembers(programId: number, roleId: number): Promise<Member[]> {
  const a = schema.applications;
  const rows = await db()
    .select({
      applicationId: a.id,
      userId: a.userId,
      login: schema.users.login,
      timezone: a.timezone,
      profileTimezone: schema.users.timezone,
      availableFrom: a.availableFrom,
      availableTo: a.availableTo,
      projectRanking: a.projectRanking,
    })
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.userId))
    .where(
      and(
        eq(a.programId, programId),
        eq(a.roleId, roleId),
        eq(a.status, "submitted"),
        eq(a.decision, "accepted"),
        isNull(a.declinedAt),
      ),
    )
    .orderBy(asc(a.id))
    .all();
  return rows.map((r) => ({
    applicationId: r.applicationId,
    userId: r.userId,
    login: r.login,
    timezone: r.timezone ?? r.profileTimezone ?? "UTC",
    availableFrom: r.availableFrom ?? DEFAULT_FROM,
    availableTo: r.availableTo ?? DEFAULT_TO,
    projectRanking: r.projectRanking,
  }));
}

export async function suggestProgramGroups(program: Program, at = Date.now()) {
  const rules = program.groupRules;
  if (!rules) return null;
  const [mentors, mentees] = await Promise.all([
    acceptedMembers(program.id, rules.mentorRoleId),
    acceptedMembers(program.id, rules.menteeRoleId),
  ]);
  return { rules, mentors, mentees, ...suggestGroups(mentors, mentees, rules, at) };
}

export async function listGroups(programId: number) {
  const g = schema.programGroups;
  const gm = schema.programGroupMembers;
  const groups = await db().select().from(g).where(eq(g.programId, programId)).orderBy(asc(g.id)).all();
  if (groups.length === 0) return [];
  const members = await db()
    .select({
      groupId: gm.groupId,
      applicationId: gm.applicationId,
      isMentor: gm.isMentor,
      login: schema.users.login,
      roleName: schema.programRoles.name,
    })
    .from(gm)
    .innerJoin(schema.applications, eq(schema.applications.id, gm.applicationId))
    .innerJoin(schema.users, eq(schema.users.id, schema.applications.userId))
    .innerJoin(schema.programRoles, eq(schema.programRoles.id, schema.applications.roleId))
    .where(
      inArray(
        gm.groupId,
        groups.map((x) => x.id),
      ),
    )
    .orderBy(asc(schema.users.login))
    .all();
  return groups.map((group) => ({ ...group, members: members.filter((m) => m.groupId === group.id) }));
}

/**
 * Saves the organisers' (adjusted) groups, replacing earlier unconfirmed ones. Groups already
 * confirmed stay as they are: their members were told.
 */
export async function saveGroups(
  program: Program,
  groups: { name: string; mentorIds: number[]; menteeIds: number[] }[],
  actorUserId: number,
  now = Date.now(),
) {
  const existing = await listGroups(program.id);
  if (existing.some((x) => x.confirmedAt))
    return { ok: false as const, problem: "Groups were already confirmed and announced." };
  const database = db();
  await database
    .delete(schema.programGroups)
    .where(and(eq(schema.programGroups.programId, program.id), isNull(schema.programGroups.confirmedAt)));
  for (const group of groups) {
    if (group.mentorIds.length + group.menteeIds.length === 0) continue;
    const [row] = await database
      .insert(schema.programGroups)
      .values({ programId: program.id, name: group.name, createdAt: now })
      .returning();
    await database
      .insert(schema.programGroupMembers)
      .values([
        ...group.mentorIds.map((id) => ({ groupId: row!.id, applicationId: id, isMentor: true })),
        ...group.menteeIds.map((id) => ({ groupId: row!.id, applicationId: id, isMentor: false })),
      ]);
  }
  await auditEntry(
    {
      actorUserId,
      action: "program.groups.save",
      objectType: "program",
      objectId: program.id,
      detail: { groups: groups.length },
    },
    now,
  );
  return { ok: true as const };
}

/** Confirms the saved groups and emails each member their group, once (keyed per membership). */
export async function confirmGroups(program: Program, actorUserId: number, now = Date.now()) {
  const groups = await listGroups(program.id);
  if (groups.length === 0) return { ok: false as const, problem: "Save groups before confirming them." };
  await db()
    .update(schema.programGroups)
    .set({ confirmedAt: now })
    .where(and(eq(schema.programGroups.programId, program.id), isNull(schema.programGroups.confirmedAt)));
  const a = schema.applications;
  const ids = groups.flatMap((g) => g.members.map((m) => m.applicationId));
  const people = await db()
    .select({
      applicationId: a.id,
      userId: a.userId,
      email: deliveryAddress,
      name: schema.users.name,
      login: schema.users.login,
    })
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.userId))
    .where(inArray(a.id, ids))
    .all();
  const base = env().appUrl;
  const emails = groups.flatMap((group) =>
    group.members.flatMap((m) => {
      const person = people.find((x) => x.applicationId === m.applicationId);
      if (!person?.email) return [];
      return [
        {
          to: person.email,
          ...groupEmail({
            name: person.name ?? person.login,
            programName: program.name,
            groupName: group.name,
            members: group.members.map((x) => ({ login: x.login, role: x.roleName })),
            appUrl: base,
          }),
          template: "programs-group",
          kind: "programs-group" as const,
          idempotencyKey: `program-group:${group.id}:${m.applicationId}`,
          userId: person.userId,
        },
      ];
    }),
  );
  const results = await sendBatch(emails);
  await db().batch([
    db()
      .update(schema.programGroups)
      .set({ emailedAt: now })
      .where(and(eq(schema.programGroups.programId, program.id), isNull(schema.programGroups.emailedAt))),
    auditEntry(
      {
        actorUserId,
        action: "program.groups.confirm",
        objectType: "program",
        objectId: program.id,
        detail: { emails: emails.length },
      },
      now,
    ),
  ]);
  return { ok: true as const, sent: results.filter((r) => r.ok).length };
}
