// The notification preferences forms (the digest's settings, the switches per kind of email): one
// zod schema each for the action and the page, and the labels.
// Not a .server module, so the page's browser code can use it too.
import { z } from "zod";
import { digestFrequencies, digestSections, type DigestFrequency, type DigestSection } from "#db/schema/digest.ts";
import { switchableEmailKinds, type EmailKind } from "#db/schema/notifications.ts";
import { HOUR_MS, isoDay } from "#app/utils/dates.ts";

export const frequencyLabels: Record<DigestFrequency, string> = {
  weekly: "Every week",
  biweekly: "Every 2 weeks",
  monthly: "Every 4 weeks",
  off: "Never (off)",
};

export const sectionLabels: Record<DigestSection, string> = {
  calls: "Calls that match my skills",
  people: "People who could help with my calls, and new interests",
  programs: "Mentoring projects in programmes open for applications",
  transfers: "Packages looking for a new maintainer (and, for roadies, transfers waiting for one)",
};

export const weekdayLabels = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/**
 * The first day a pause may end on: today where it is earliest on Earth (UTC−12), so nobody's own
 * "today" is refused, and a day already over everywhere is.
 */
export function earliestPauseDay(now = Date.now()): string {
  return isoDay(now - 12 * HOUR_MS);
}

/** The one schema of the preferences form, used by the action and the page. */
export const preferencesSchema = z
  .object({
    frequency: z.enum(digestFrequencies, { message: "Choose how often you want the digest." }),
    pausedUntil: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date such as 2026-12-31.")
      .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "Enter a real date.")
      // Checked against the clock at each validation, not when the module loaded.
      .refine((v) => v >= earliestPauseDay(), "This day has already passed: choose today or a later day.")
      .optional(),
    sections: z
      .array(z.enum(digestSections))
      .optional()
      .transform((v) => v ?? []),
    dayOfWeek: z.coerce
      .number({ message: "Choose a day of the week." })
      .int()
      .min(1, "Choose a day of the week.")
      .max(7, "Choose a day of the week."),
  })
  .refine((v) => v.frequency === "off" || v.sections.length > 0, {
    message: "Choose at least one section, or turn the digest off.",
    path: ["sections"],
  });
export type PreferencesInput = z.output<typeof preferencesSchema>;

/**
 * The form of email switches: `on` lists the switchable kinds (db/schema/notifications.ts) the
 * person keeps; an unticked box is simply absent, so the kinds not listed are switched off.
 */
export const emailSwitchesSchema = z.object({
  intent: z.literal("email-kinds"),
  on: z
    .array(z.enum(switchableEmailKinds as [EmailKind, ...EmailKind[]]))
    .optional()
    .transform((v) => v ?? []),
});
export type EmailSwitchesInput = z.output<typeof emailSwitchesSchema>;
