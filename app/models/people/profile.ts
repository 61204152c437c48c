// The profile form's rules and words, shared by the action (server) and the form (browser).
import { z } from "zod";
import { skillTaxonomy } from "#db/reference/skills.ts";
import { timeZoneField } from "#app/utils/time.ts";
import {
  profileRoles,
  profileVisibilities,
  skillLevels,
  type ProfileRole,
  type ProfileVisibility,
  type SkillLevel,
} from "#db/schema.ts";

export const roleLabels: Record<ProfileRole, string> = {
  "co-maintainer": "Co-maintainer",
  "new-owner": "New owner of a package",
  "triager-reviewer": "Triager or reviewer",
  mentor: "Mentor",
  mentee: "Mentee",
};

export const visibilityLabels: Record<ProfileVisibility, string> = {
  public: "Public: anyone can see it",
  users: "Signed-in people only",
  hidden: "Hidden: only you",
};

export const levelLabels: Record<SkillLevel, string> = {
  learning: "Learning",
  comfortable: "Comfortable",
  expert: "Expert",
};

const skillIds = skillTaxonomy.map((x) => x.id) as [string, ...string[]];

const asArray = (value: unknown) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]);

/** The one schema the profile form and its action share. Skills come as `skill.<id>` = level. */
export const profileSchema = z.object({
  // Stored under the zone's current name ("asia/calcutta" → "Asia/Kolkata").
  timezone: timeZoneField(),
  availabilityHours: z.coerce
    .number({ error: "Enter a number of hours." })
    .int("Enter whole hours.")
    .min(0, "Enter 0 or more hours.")
    .max(80, "80 hours a week is the most we accept."),
  rolesWanted: z.preprocess(asArray, z.array(z.enum(profileRoles, { error: "Choose from the list." }))),
  djangoVersions: z.preprocess(
    asArray,
    z.array(z.string().regex(/^\d{1,4}\.\d{1,2}$/, "Choose from the list.")).max(40),
  ),
  categories: z.preprocess(asArray, z.array(z.string().trim().min(1).max(60)).max(30, "Choose at most 30 categories.")),
  openToTakeover: z.preprocess((x) => x === "on" || x === "true" || x === true, z.boolean()),
  bio: z.string().trim().max(2000, "Keep your bio under 2,000 characters.").optional().default(""),
  visibility: z.enum(profileVisibilities, { error: "Choose who can see your profile." }),
  // "Not a skill of mine" arrives as "" or as a missing key (Conform drops some empty values).
  skills: z
    .partialRecord(
      z.enum(skillIds, { error: "Unknown skill." }),
      z.enum(["", ...skillLevels], { error: "Choose a level from the list." }).optional(),
    )
    .optional()
    .default({}),
});
export type ProfileInput = z.infer<typeof profileSchema>;
