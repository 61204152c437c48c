// A synthetic, seeded Roadies dataset for benchmarks: volunteers with skills (popular skills far
// more common than rare ones), time zones spread the way an open-source community is (mostly
// Europe and the Americas, then Asia, Africa, Oceania), packages with 1-3 maintainers, open calls
// with 1-4 skills. Same seed, same data. Used by `npm run bench:digest` and reusable by other
// benchmarks: `generateDataset()` gives plain rows, `writeDataset()` inserts them in batches, and
// `writeDatasetInParts()` does both a part at a time for datasets too big to hold at once.
import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { sql } from "drizzle-orm";
import type { Database } from "../app/utils/db.server.ts";
import { callSkills, calls, packageMaintainers, packages, userSkills, users } from "../db/schema.ts";
import { volunteerProfiles, type ProfileRole } from "../db/schema/people.ts";
import { skillTaxonomy } from "../db/reference/skills.ts";

export type DatasetSize = { volunteers: number; packages: number; calls: number };
export const FULL_SIZE: DatasetSize = { volunteers: 50_000, packages: 5_000, calls: 10_000 };
/** The quick runs of the page benchmarks (`--size small`). */
export const SMALL_SIZE: DatasetSize = { volunteers: 2_000, packages: 300, calls: 600 };

export const HUGE_SIZE: DatasetSize = { volunteers: 500_000, packages: 50_000, calls: 100_000 };

const DAY_MS = 24 * 60 * 60 * 1000;
// Rows carry their position in these names: parts written separately still refer to each other.
const LOGIN_PREFIX = "bench-user-";
const PACKAGE_PREFIX = "django-bench-";
const CALL_PREFIX = "Bench call ";
const loginOf = (i: number) => `${LOGIN_PREFIX}${i}`;

/** mulberry32: a small, fast, seeded generator (deterministic datasets). */
export function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZONES: [string, number][] = [
  ["Europe/London", 8],
  ["Europe/Paris", 10],
  ["Europe/Berlin", 10],
  ["Europe/Amsterdam", 5],
  ["Europe/Warsaw", 4],
  ["Europe/Kyiv", 3],
  ["America/New_York", 10],
  ["America/Chicago", 5],
  ["America/Los_Angeles", 8],
  ["America/Sao_Paulo", 5],
  ["America/Mexico_City", 2],
  ["Asia/Kolkata", 8],
  ["Asia/Tokyo", 3],
  ["Asia/Shanghai", 3],
  ["Asia/Singapore", 2],
  ["Africa/Lagos", 3],
  ["Africa/Nairobi", 2],
  ["Africa/Accra", 1],
  ["Australia/Sydney", 3],
  ["Pacific/Auckland", 1],
];
const DJANGO = ["4.2", "5.1", "5.2", "6.0"];
const ROLES: ProfileRole[] = ["co-maintainer", "new-owner", "triager-reviewer", "mentor", "mentee"];
const KINDS = [
  ["co-maintainer", 25],
  ["new-maintainer", 8],
  ["triage-review", 25],
  ["release-management", 12],
  ["django-compat", 15],
  ["documentation", 10],
  ["ci-packaging", 5],
] as const;
const URGENCIES = [
  ["low", 20],
  ["normal", 50],
  ["high", 22],
  ["critical", 8],
] as const;
const LEVELS = [
  ["learning", 30],
  ["comfortable", 45],
  ["expert", 25],
] as const;

function weighted<T>(rand: () => number, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [value, w] of choices) {
    r -= w;
    if (r < 0) return value;
  }
  return choices[choices.length - 1]![0];
}

/** Picks `n` distinct skills, popular ones (Zipf-like, rank^-0.8) far more often. */
const RANKED_SKILLS = skillTaxonomy.map((s, i) => [s.id, 1 / Math.pow(i + 1, 0.8)] as const);
function pickSkills(rand: () => number, n: number): string[] {
  const ranked = RANKED_SKILLS;
  const chosen = new Set<string>();
  while (chosen.size < n) chosen.add(weighted(rand, ranked));
  return [...chosen];
}

export type Dataset = {
  users: (typeof users.$inferInsert)[];
  userSkills: (typeof userSkills.$inferInsert)[];
  profiles: (typeof volunteerProfiles.$inferInsert)[];
  packages: (typeof packages.$inferInsert)[];
  /** packageIndex/userIndex are 0-based positions in `packages`/`users` (ids follow insertion order). */
  maintainers: { packageIndex: number; userIndex: number }[];
  calls: (Omit<typeof calls.$inferInsert, "packageId"> & { packageIndex: number })[];
  callSkills: { callIndex: number; skillId: string; level: "learning" | "comfortable" | "expert" }[];
};

/** A dataset in parts: people a chunk at a time, then packages and calls. Same seed, same data, whatever the chunk. */
export function* datasetParts(
  size: DatasetSize = FULL_SIZE,
  seed = 48,
  now = Date.now(),
  peoplePerPart = Infinity,
): Generator<Dataset> {
  const rand = random(seed);
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const empty = (): Dataset => ({
    users: [],
    userSkills: [],
    profiles: [],
    packages: [],
    maintainers: [],
    calls: [],
    callSkills: [],
  });
  let d = empty();
  for (let i = 0; i < size.volunteers; i++) {
    if (d.users.length >= peoplePerPart) {
      yield d;
      d = empty();
    }
    const login = loginOf(i);
    d.users.push({
      githubId: 50_000_000 + i,
      login,
      name: `Bench User ${i}`,
      email: `${login}@bench.roadies.invalid`,
      timezone: weighted(rand, ZONES),
      availabilityHours: weighted(rand, [
        [1, 10],
        [2, 20],
        [3, 20],
        [5, 25],
        [8, 15],
        [10, 10],
      ]),
      createdAt: now - int(1, 700) * DAY_MS,
      updatedAt: now,
    });
    const userIndex = i;
    for (const skillId of pickSkills(rand, int(1, 6))) {
      d.userSkills.push({ userId: userIndex, skillId, level: weighted(rand, LEVELS) });
    }
    if (rand() < 0.7) {
      const roles = ROLES.filter(() => rand() < 0.3);
      d.profiles.push({
        userId: userIndex,
        rolesWanted: roles,
        djangoVersions: DJANGO.filter(() => rand() < 0.5),
        updatedAt: now,
      });
    }
  }
  if (d.users.length > 0) yield d;
  d = empty();
  for (let p = 0; p < size.packages; p++) {
    d.packages.push({
      name: `${PACKAGE_PREFIX}${p}`,
      normalizedName: `django-bench-${p}`,
      repository: `bench/django-bench-${p}`,
      createdAt: now,
      updatedAt: now,
    });
    const count = weighted(rand, [
      [1, 60],
      [2, 30],
      [3, 10],
    ]);
    const seen = new Set<number>();
    while (seen.size < count) seen.add(int(0, size.volunteers - 1));
    for (const userIndex of seen) d.maintainers.push({ packageIndex: p, userIndex });
  }
  for (let c = 0; c < size.calls; c++) {
    const created = now - int(0, 60) * DAY_MS - int(0, DAY_MS - 1);
    d.calls.push({
      packageIndex: int(0, size.packages - 1),
      kind: weighted(rand, KINDS),
      title: `${CALL_PREFIX}${c}`,
      description: "Synthetic call for benchmarks.",
      hoursPerWeek: int(1, 8),
      djangoVersions: DJANGO.filter(() => rand() < 0.4),
      urgency: weighted(rand, URGENCIES),
      status: "open",
      expiresOn: new Date(created + 90 * DAY_MS).toISOString().slice(0, 10),
      createdAt: created,
      updatedAt: created,
    });
    for (const skillId of pickSkills(rand, int(1, 4))) {
      d.callSkills.push({ callIndex: c, skillId, level: weighted(rand, LEVELS) });
    }
  }
  yield d;
}

export function generateDataset(size: DatasetSize = FULL_SIZE, seed = 48, now = Date.now()): Dataset {
  const parts = [...datasetParts(size, seed, now)];
  return {
    users: parts.flatMap((p) => p.users),
    userSkills: parts.flatMap((p) => p.userSkills),
    profiles: parts.flatMap((p) => p.profiles),
    packages: parts.flatMap((p) => p.packages),
    maintainers: parts.flatMap((p) => p.maintainers),
    calls: parts.flatMap((p) => p.calls),
    callSkills: parts.flatMap((p) => p.callSkills),
  };
}

async function inChunks<T>(rows: T[], size: number, write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

/** Where a dataset's rows start: ids follow positions from these. */
type Origin = { firstUser: number; firstPackage: number; firstCall: number };

async function originOf(db: Database): Promise<Origin> {
  const next = async (table: typeof users | typeof packages | typeof calls) =>
    ((await db.get<{ m: number | null }>(sql`SELECT max(id) AS m FROM ${table}`))?.m ?? 0) + 1;
  return { firstUser: await next(users), firstPackage: await next(packages), firstCall: await next(calls) };
}

/**
 * Inserts a dataset into an empty, migrated and reference-seeded database. Ids are taken from
 * the first inserted rows, so it also works on a database that already has a few users.
 */
export async function writeDataset(db: Database, d: Dataset): Promise<void> {
  await writePart(db, d, await originOf(db));
}

/**
 * Generates and inserts a dataset a part at a time (`peoplePerPart` people each), so that even
 * 500,000 people never sit in memory at once. The same rows as writeDataset(generateDataset(…)).
 */
export async function writeDatasetInParts(
  db: Database,
  size: DatasetSize,
  seed = 48,
  peoplePerPart = 10_000,
): Promise<void> {
  const origin = await originOf(db);
  for (const part of datasetParts(size, seed, Date.now(), peoplePerPart)) await writePart(db, part, origin);
}

async function writePart(db: Database, d: Dataset, { firstUser, firstPackage, firstCall }: Origin): Promise<void> {
  // Explicit ids: rows refer to each other by position (global positions, whatever the part).
  const userIndexOf = (login: string) => Number(login.slice(LOGIN_PREFIX.length));
  await inChunks(
    d.users.map((u) => ({ ...u, id: firstUser + userIndexOf(u.login) })),
    500,
    (c) => db.insert(users).values(c),
  );
  await inChunks(d.userSkills, 2000, (c) =>
    db.insert(userSkills).values(c.map((s) => ({ ...s, userId: firstUser + s.userId }))),
  );
  await inChunks(d.profiles, 1000, (c) =>
    db.insert(volunteerProfiles).values(c.map((p) => ({ ...p, userId: firstUser + (p.userId ?? 0) }))),
  );
  await inChunks(
    d.packages.map((p) => ({ ...p, id: firstPackage + Number(p.name.slice(PACKAGE_PREFIX.length)) })),
    1000,
    (c) => db.insert(packages).values(c),
  );
  await inChunks(d.maintainers, 1000, (c) =>
    db.insert(packageMaintainers).values(
      c.map((m) => ({
        packageId: firstPackage + m.packageIndex,
        userId: firstUser + m.userIndex,
        githubLogin: loginOf(m.userIndex),
        verifiedAt: Date.now(),
        createdAt: Date.now(),
      })),
    ),
  );
  await inChunks(
    d.calls.map(({ packageIndex, ...c }) => ({
      ...c,
      id: firstCall + Number(c.title.slice(CALL_PREFIX.length)),
      packageId: firstPackage + packageIndex,
    })),
    500,
    (c) => db.insert(calls).values(c),
  );
  await inChunks(d.callSkills, 2000, (c) =>
    db
      .insert(callSkills)
      .values(c.map((s) => ({ callId: firstCall + s.callIndex, skillId: s.skillId, level: s.level }))),
  );
}

/**
 * A fresh SQLite file with the reference data and a generated dataset, for the page and load
 * benchmarks. Returns the app's database module, still open, for what each benchmark adds on top
 * (sessions, a programme); the benchmark checkpoints and closes it before starting a server.
 */
export async function writeBenchDatabase(file: string, size: DatasetSize) {
  mkdirSync(dirname(file), { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
  process.env.DATABASE_URL = `file:${file}`;
  process.env.NODE_ENV = "test";
  process.env.LOG_LEVEL = "silent";
  const database = await import("../app/utils/db.server.ts");
  const { seedReference } = await import("../db/seed.ts");
  await database.prepareDatabase();
  await seedReference(database.db());
  await writeDataset(database.db(), generateDataset(size, 48));
  return database;
}
