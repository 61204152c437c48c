// [directory] Demo profiles for the people directory (/people): the demo people that db/demo/people.ts
// leaves without one say what they would take on, so the skill, level, time-zone, hours and
// "open to taking over" filters have a believable spread (Accra to Auckland). One is shown to
// signed-in people only, so the directory shows visibility at work. Runs after seedPeople and never
// overwrites a profile it wrote.
import type { Database } from "../../app/utils/db.server.ts";
import { inArray } from "drizzle-orm";
import { users, volunteerProfiles, type ProfileRole, type ProfileVisibility } from "../schema.ts";

type DemoProfile = {
  roles: ProfileRole[];
  versions: string[];
  categories: string[];
  takeover: boolean;
  visibility: ProfileVisibility;
};

const profiles: Record<string, DemoProfile> = {
  "kofi-demo": {
    roles: ["mentor", "triager-reviewer"],
    versions: ["5.2"],
    categories: ["Admin"],
    takeover: false,
    visibility: "public",
  },
  "emi-demo": {
    roles: ["co-maintainer"],
    versions: ["5.2", "6.0"],
    categories: ["Async"],
    takeover: true,
    visibility: "public",
  },
  "farah-demo": {
    roles: ["mentee"],
    versions: ["5.2"],
    categories: [],
    takeover: false,
    visibility: "public",
  },
  "gus-demo": {
    roles: ["triager-reviewer", "co-maintainer"],
    versions: ["4.2", "5.2"],
    categories: ["REST"],
    takeover: false,
    visibility: "public",
  },
  "hana-demo": {
    roles: ["co-maintainer", "new-owner"],
    versions: ["5.2", "6.0"],
    categories: [],
    takeover: true,
    visibility: "public",
  },
  "iker-demo": {
    roles: ["mentee", "triager-reviewer"],
    versions: ["5.2"],
    categories: [],
    takeover: false,
    visibility: "public",
  },
  "jo-demo": {
    roles: ["co-maintainer"],
    versions: ["5.1", "5.2"],
    categories: [],
    takeover: false,
    visibility: "users",
  },
  "lena-demo": {
    roles: ["new-owner", "mentor"],
    versions: ["4.2", "5.2", "6.0"],
    categories: [],
    takeover: true,
    visibility: "public",
  },
  "nia-demo": { roles: ["mentee"], versions: ["5.2"], categories: [], takeover: false, visibility: "public" },
};

export async function seedDirectory(db: Database, now: number): Promise<void> {
  const rows = await db
    .select({ id: users.id, login: users.login })
    .from(users)
    .where(inArray(users.login, Object.keys(profiles)))
    .all();
  if (rows.length === 0) return;
  await db
    .insert(volunteerProfiles)
    .values(
      rows.map(({ id, login }) => {
        const p = profiles[login]!;
        return {
          userId: id,
          rolesWanted: p.roles,
          djangoVersions: p.versions,
          categories: p.categories,
          openToTakeover: p.takeover,
          visibility: p.visibility,
          updatedAt: now,
        };
      }),
    )
    .onConflictDoNothing();
}
