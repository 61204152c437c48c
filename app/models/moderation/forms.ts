// Form rules of /admin/moderation, shared by the action and the page.
import { z } from "zod";

const reason = z
  .string({ error: "Give a reason: the person and the audit log will show it." })
  .trim()
  .min(5, "Give a reason of a few words at least.")
  .max(500, "Keep the reason under 500 characters.");

export const hideSchema = z.object({
  objectType: z.enum(["call", "interest", "profile"], { error: "Choose what to hide." }),
  /** A number for calls and interests, a GitHub login for profiles. */
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
