// The pure parts of the special-requests area, shared by the actions (server) and the pages
// (browser): labels, zod schemas of the forms, deadline defaults. No server imports.
import { z } from "zod";
import {
  requestKinds,
  requestSeverities,
  requestStates,
  type RequestKind,
  type RequestSeverity,
  type RequestState,
} from "#db/schema/requests.ts";

export { requestKinds, requestSeverities, requestStates };
export type { RequestKind, RequestSeverity, RequestState };

export const kindLabels: Record<RequestKind, string> = {
  security: "Security",
  funding: "Funding",
  transfer: "Transfer help",
  licensing: "Licensing",
  infrastructure: "Infrastructure and CI",
};

export const kindDescriptions: Record<RequestKind, string> = {
  security:
    "Help handling a vulnerability report: triage, reviewing the fix, the advisory and CVE, coordinating the release.",
  funding: "Finding grants, sponsors and other funding avenues for the package.",
  transfer:
    "The maintainer is unreachable or wants out: finding a new home for the package, including PyPI's PEP 541 process.",
  licensing: "Questions about the package's licence, relicensing, or the licences of its dependencies.",
  infrastructure: "CI, packaging, release automation, trusted publishing, documentation hosting.",
};

export const severityLabels: Record<RequestSeverity, string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
  none: "None",
};

export const stateLabels: Record<RequestState, string> = {
  new: "New",
  acknowledged: "Acknowledged",
  in_progress: "In progress",
  resolved: "Resolved",
  closed: "Closed",
};

export type DeadlineKey = RequestSeverity | "other";
export const deadlineKeys: DeadlineKey[] = [...requestSeverities, "other"];
export const defaultDeadlineDays: Record<DeadlineKey, number> = {
  critical: 7,
  high: 14,
  medium: 28,
  low: 56,
  none: 112,
  other: 14,
};

export const deadlineSchema = z.object(
  Object.fromEntries(
    deadlineKeys.map((k) => [
      k,
      z.coerce
        .number({ error: "Enter a number of days." })
        .int("Enter whole days.")
        .min(1, "At least 1 day.")
        .max(365, "At most 365 days."),
    ]),
  ) as Record<DeadlineKey, z.ZodCoercedNumber<unknown>>,
);

export const poolApplicationSchema = z.object({
  kind: z.enum(requestKinds, { error: "Choose a pool." }),
  evidence: z
    .string({ error: "Tell us what you have done in this area." })
    .trim()
    .min(20, "Write at least 20 characters: links to advisories, grants, transfers you helped with …")
    .max(4000, "At most 4,000 characters."),
});
export type PoolApplicationInput = z.infer<typeof poolApplicationSchema>;

export const fileRequestSchema = z
  .object({
    packageId: z.coerce.number({ error: "Choose a package." }).int().positive("Choose a package."),
    kind: z.enum(requestKinds, { error: "Choose what you need help with." }),
    title: z
      .string({ error: "Give the request a title." })
      .trim()
      .min(5, "Write at least 5 characters.")
      .max(150, "At most 150 characters."),
    details: z
      .string({ error: "Describe what you need." })
      .trim()
      .min(20, "Write at least 20 characters.")
      .max(20000, "At most 20,000 characters."),
    severity: z.enum(requestSeverities).optional(),
    confidential: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.kind === "security" && !value.severity) {
      ctx.addIssue({ code: "custom", path: ["severity"], message: "Choose how severe the vulnerability is." });
    }
  });
export type FileRequestInput = z.infer<typeof fileRequestSchema>;

export const requestActions = ["acknowledge", "start", "resolve", "close", "reopen"] as const;
export type RequestAction = (typeof requestActions)[number];

export const commentSchema = z.object({
  body: z
    .string({ error: "Write a comment." })
    .trim()
    .min(1, "Write a comment.")
    .max(10000, "At most 10,000 characters."),
});
