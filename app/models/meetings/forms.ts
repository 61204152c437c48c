// The meetings area's form schemas and labels, shared by the actions (server) and the pages
// (browser): pure, no server imports.
import { z } from "zod";
import { textField } from "#app/utils/form-text.ts";
import { timeZoneField } from "#app/utils/time.ts";
import type { MeetingStatus } from "#db/schema/meetings.ts";

export const meetingStatusLabels: Record<MeetingStatus, string> = {
  scheduled: "Scheduled",
  cancelled: "Cancelled",
};

/** The lengths a meeting may be, in minutes, with their words. */
export const meetingDurations = [
  { value: 30, label: "30 minutes" },
  { value: 45, label: "45 minutes" },
  { value: 60, label: "1 hour" },
  { value: 90, label: "1 hour 30 minutes" },
  { value: 120, label: "2 hours" },
  { value: 180, label: "3 hours" },
] as const;

export function durationLabel(minutes: number): string {
  const known = meetingDurations.find((d) => d.value === minutes);
  if (known) return known.label;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} hour${h > 1 ? "s" : ""}` : "", m ? `${m} minutes` : ""].filter(Boolean).join(" ");
}

const realDate = (v: string) => {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
};

/** The version of the meeting the form was loaded with (its updatedAt), to refuse overwriting a newer save. */
const version = z.coerce.number().int().nonnegative().optional();

export const MeetingForm = z.object({
  title: textField({ required: "Give the meeting a title.", min: 3, max: 120 }),
  day: z
    .string({ error: "Choose the day of the meeting." })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Use the form YYYY-MM-DD, e.g. 2027-01-14.")
    .refine(realDate, "This is not a real date.")
    .refine((v) => v >= "2000-01-01" && v <= "2100-12-31", "Choose a day between 2000 and 2100."),
  time: z
    .string({ error: "Choose the time the meeting starts." })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use the form HH:MM on a 24-hour clock, e.g. 16:00."),
  timeZone: timeZoneField({ missing: "Choose the time zone of the time you entered." }),
  durationMinutes: z.coerce
    .number({ error: "Choose how long the meeting lasts." })
    .int("Choose how long the meeting lasts.")
    .refine((v) => meetingDurations.some((d) => d.value === v), "Choose how long the meeting lasts."),
  videoUrl: z
    .string()
    .trim()
    .max(500, "At most 500 characters.")
    .refine((v) => {
      try {
        const url = new URL(v);
        return url.protocol === "https:" && Boolean(url.hostname) && !url.username && !url.password;
      } catch {
        return false;
      }
    }, "Give the call's address starting with https://, e.g. https://meet.jit.si/django-wg.")
    .optional(),
  agenda: textField({ max: 10_000 }).optional(),
  version,
});
export type MeetingFormValue = z.output<typeof MeetingForm>;

export const NotesForm = z.object({
  notes: textField({ max: 30_000 }).optional(),
  // Off unless ticked: an unticked checkbox sends nothing.
  notesInternal: z.boolean().default(false),
  version,
});
export type NotesFormValue = z.output<typeof NotesForm>;

export const CancelForm = z.object({
  reason: textField({ max: 500 }).optional(),
  version,
});
