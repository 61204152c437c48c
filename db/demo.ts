// Demo mode's starting data: real Django packages and fictional people. Never run in production;
// only ever inserts, and only into a database that has neither packages nor demo users yet.
import { count, eq, sql } from "drizzle-orm";
import type { Database } from "../app/utils/db.server.ts";
import { normalizePackageName } from "../app/models/packages/names.ts";
import { packages, userSkills, users } from "./schema.ts";
import { demoPeople } from "./demo-people.ts";
import demoPackageFile from "./reference/demo-packages.json" with { type: "json" };
import { seedPrograms } from "./demo/programs.ts";
import { seedEcosystem } from "./demo/ecosystem.ts";
import { seedRequests } from "./demo/requests.ts";
import { seedPeople } from "./demo/people.ts";
import { seedCalls } from "./demo/calls.ts";
import { seedGuidesDemo } from "./demo/guides.ts";
import { seedMeetings } from "./demo/meetings.ts";
import { seedDirectory } from "./demo/directory.ts";
import { seedEmailAddresses } from "./demo/emails.ts";
import { seedInbox } from "./demo/inbox.ts";
import { seedSurveys } from "./demo/surveys.ts";
import { seedConversations } from "./demo/conversations.ts";
import { seedJobs } from "./demo/jobs.ts";

export type DemoPackage = {
  name: string;
  /** GitHub `owner/name`. */
  repository: string;
  pypiUrl: string | null;
  categories: string[];
  classifiers: string[];
};

export const demoPackages: readonly DemoPackage[] = demoPackageFile.packages;

async function isEmptyForDemo(db: Database): Promise<boolean> {
  const [pkg] = await db.select({ n: count() }).from(packages).limit(1);
  if ((pkg?.n ?? 0) > 0) return false;
  const [demo] = await db.select({ n: count() }).from(users).where(eq(users.isDemo, true));
  return (demo?.n ?? 0) === 0;
}

/**
 * Seeds the demo packages and people (with their skills) in one batch. Returns seeded: false,
 * touching nothing, when the database already has packages or demo users. Conflicts are ignored
 * rather than overwritten, so two instances starting together cannot clobber each other.
 */
export async function seedDemo(db: Database, now = Date.now()): Promise<{ seeded: boolean }> {
  if (!(await isEmptyForDemo(db))) return { seeded: false };

  const packageRows = demoPackages.map((p) => ({
    name: p.name,
    normalizedName: normalizePackageName(p.name),
    repository: p.repository,
    pypiUrl: p.pypiUrl,
    categories: p.categories,
    classifiers: p.classifiers,
    createdAt: now,
    updatedAt: now,
  }));

  const userRows = demoPeople.map((p) => ({
    githubId: p.githubId,
    login: p.login,
    name: p.name,
    email: p.email,
    githubCreatedAt: Date.parse(p.githubCreatedAt),
    timezone: p.timezone,
    bio: p.bio,
    availabilityHours: p.availabilityHours,
    adminFlag: p.isAdmin,
    isDemo: true,
    createdAt: now,
    updatedAt: now,
  }));

  // Skills reference users by their new ids, which only exist inside the batch: join on github_id
  // and is_demo, so a skill can never attach to a real account that happens to share an id.
  const skillValues = demoPeople.flatMap((p) => p.skills.map((s) => sql`(${p.githubId}, ${s.skillId}, ${s.level})`));

  await db.batch([
    db.insert(packages).values(packageRows).onConflictDoNothing(),
    db.insert(users).values(userRows).onConflictDoNothing(),
    db.run(sql`
      INSERT INTO ${userSkills} (user_id, skill_id, level)
      SELECT u.id, v.column2, v.column3
      FROM (VALUES ${sql.join(skillValues, sql`, `)}) AS v
      JOIN ${users} AS u ON u.github_id = v.column1 AND u.is_demo = 1
      WHERE true
      ON CONFLICT DO NOTHING`),
  ]);
  // Each area adds its own demo data on top of the packages and people, in this order.
  for (const seedArea of areaSeeders) await seedArea(db, now);
  return { seeded: true };
}

type AreaSeeder = (db: Database, now: number) => Promise<void>;

/** Area demo seeders (db/demo/<area>.ts), run once, right after the packages and people. */
const areaSeeders: AreaSeeder[] = [
  seedPrograms,
  seedEcosystem,
  seedRequests,
  seedPeople,
  seedDirectory,
  seedCalls,
  seedMeetings,
  seedGuidesDemo,
  seedEmailAddresses,
  seedInbox,
  seedSurveys,
  seedConversations,
  seedJobs,
];
