// Form rules of /admin/moderation, shared by the action and the page.
import { z } from "zod";
import type { ReportableType, ReportStatus } from "#db/schema.ts";

const reason = z
  .string({ error: "Give a reason: the person and the audit log will show it." })
  .trim()
  .min(5, "Give a reason of a few words at least.")
  .max(500, "Keep the reason under 500 characters.");

export const hideSchema = z.object({
  objectType: z.enum(["call", "interest", "profile", "message"], { error: "Choose what to hide." }),
  /** A number for calls, interests and messages, a GitHub login for profiles. */
  target: z
    .string({ error: "Enter the call or interest number, or the person's login." })
    .trim()
    .regex(/^@?[A-Za-z0-9-]{1,39}$/, "Enter a number (calls, interests) or a GitHub login (profiles)."),
  reason,
});

export const suspendSchema = z.object({
  login: z
    .string({ error: "Enter a GitHub login." })
    .trim()
    .regex(/^@?[A-Za-z0-9-]{1,39}$/, "Enter a GitHub login, e.g. ada-demo."),
  reason,
});

/** Reporting a call, profile, comment or interest message to the working group. */
export const reportSchema = z.object({
  reason: z
    .string({ error: "Say what is wrong: the working group reads it." })
    .trim()
    .min(10, "Say in a sentence what is wrong.")
    .max(1000, "Keep the reason under 1,000 characters."),
});

/** The working group's answer to a report; the note goes to the person who reported. */
export const decideReportSchema = z.object({
  reportId: z.coerce.number({ error: "Choose a report." }).int().positive(),
  status: z.enum(["handled", "declined"], { error: "Choose handled or declined." }),
  note: z
    .string({ error: "Write a note: the person who reported gets it." })
    .trim()
    .min(5, "Write a note of a few words at least.")
    .max(1000, "Keep the note under 1,000 characters."),
});

/** What each reportable type is called in sentences ("a call", "a message"). */
export const reportTypeLabels: Record<ReportableType, string> = {
  call: "call",
  profile: "profile",
  comment: "comment",
  interest: "message",
  message: "message in a conversation",
};

/** What a report's state reads as ("Handled by @ada"). */
export const reportStatusLabels: Record<ReportStatus, string> = {
  open: "Open",
  handled: "Handled",
  declined: "Declined",
};
