// Small builders for digest tests: people with skills and profiles, packages with maintainers,
// calls with skills. Direct inserts, so the tests depend on tables, not on other areas' forms.
import { db, schema } from "#app/utils/db.server.ts";
import type { ProfileRole } from "#db/schema.ts";

type Level = "learning" | "comfortable" | "expert";
let githubId = 7_000_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export async function makeUser(input: {
  login: string;
  email?: string | null;
  timezone?: string | null;
  hours?: number | null;
  skills?: [string, Level][];
  roles?: ProfileRole[];
  django?: string[];
  now?: number;
}) {
  const now = input.now ?? Date.now();
  githubId += 1;
  const [user] = await db()
    .insert(schema.users)
    .values({
      githubId,
      login: input.login,
      email: input.email === undefined ? `${input.login}@example.org` : input.email,
      timezone: input.timezone === undefined ? "Europe/Paris" : input.timezone,
      availabilityHours: input.hours === undefined ? 5 : input.hours,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (input.skills?.length) {
    await db()
      .insert(schema.userSkills)
      .values(input.skills.map(([skillId, level]) => ({ userId: user!.id, skillId, level })));
  }
  if (input.roles || input.django) {
    await db()
      .insert(schema.volunteerProfiles)
      .values({
        userId: user!.id,
        rolesWanted: input.roles ?? [],
        djangoVersions: input.django ?? [],
        updatedAt: now,
      });
  }
  return user!;
}

export async function makePackage(name: string, maintainerIds: number[] = [], now = Date.now()) {
  const [pkg] = await db()
    .insert(schema.packages)
    .values({ name, normalizedName: name.toLowerCase(), createdAt: now, updatedAt: now })
    .returning();
  for (const userId of maintainerIds) {
    await db()
      .insert(schema.packageMaintainers)
      .values({ packageId: pkg!.id, userId, githubLogin: `m${userId}`, verifiedAt: now, createdAt: now });
  }
  return pkg!;
}

export async function makeCall(input: {
  packageId: number;
  title?: string;
  kind?: (typeof schema.calls.$inferInsert)["kind"];
  hours?: number;
  urgency?: "low" | "normal" | "high" | "critical";
  skills?: [string, Level][];
  django?: string[];
  status?: (typeof schema.calls.$inferInsert)["status"];
  createdAt?: number;
  updatedAt?: number;
  expiresOn?: string;
  postedBy?: number | null;
}) {
  const created = input.createdAt ?? Date.now() - DAY_MS;
  const [call] = await db()
    .insert(schema.calls)
    .values({
      packageId: input.packageId,
      kind: input.kind ?? "co-maintainer",
      title: input.title ?? "Help wanted",
      description: "We need a hand.",
      hoursPerWeek: input.hours ?? 3,
      djangoVersions: input.django ?? [],
      urgency: input.urgency ?? "normal",
      status: input.status ?? "open",
      expiresOn: input.expiresOn ?? new Date(created + 90 * DAY_MS).toISOString().slice(0, 10),
      postedByUserId: input.postedBy ?? null,
      createdAt: created,
      updatedAt: input.updatedAt ?? created,
    })
    .returning();
  if (input.skills?.length) {
    await db()
      .insert(schema.callSkills)
      .values(input.skills.map(([skillId, level]) => ({ callId: call!.id, skillId, level })));
  }
  return call!;
}
