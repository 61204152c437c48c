// The nomination form's rules, shared by the action and the page.
import { z } from "zod";

export const nominateSchema = z.object({
  packageName: z
    .string({ error: "Enter the package's name on PyPI." })
    .trim()
    .regex(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$/, "Enter a PyPI package name, e.g. django-example."),
  reason: z.enum(["unmaintained", "blocking-release", "new-home"], { error: "Choose why it needs help." }),
  evidence: z.preprocess(
    (value) =>
      String(value ?? "")
        .split(/\s+/)
        .filter(Boolean),
    z
      .array(
        z
          .string()
          .url("Each link must be a full address.")
          .regex(/^https?:\/\//, "Each link must start with https://."),
      )
      .min(1, "Give at least one link: an issue, a failing build, a maintainer's note.")
      .max(10, "Give at most 10 links."),
  ),
  details: z.string().trim().max(4000, "Keep it under 4,000 characters.").optional().default(""),
});

export const nominationReasonLabels = {
  unmaintained: "Unmaintained",
  "blocking-release": "Blocking a Django release",
  "new-home": "Looking for a new home",
} as const;

/** The maintainer's answer on /nominations/:id: accept, or decline with a reason the nominator reads. */
export const answerSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("accept") }),
  z.object({
    intent: z.literal("decline"),
    reason: z
      .string({ error: "Say why: the nominator and the roadies read this." })
      .trim()
      .min(5, "A few words at least.")
      .max(1000, "Keep it under 1,000 characters."),
  }),
]);

/** Words for a nomination's status on the roadies' pages. */
export const nominationStatusLabels = {
  open: "New",
  contacted: "Maintainers contacted",
  proposed: "Waiting for the maintainer's yes",
  published: "Call published",
  declined: "Declined by the maintainer",
  closed: "Closed",
} as const;
