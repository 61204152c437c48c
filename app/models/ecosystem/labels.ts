// Labels shared by the ecosystem area's server models and its pages (no server code here).
import type { CompatStatus, ReleaseMilestone } from "#db/schema/ecosystem.ts";

export const releaseMilestoneOrder = [
  "alphaDate",
  "betaDate",
  "rcDate",
  "releaseDate",
  "mainstreamSupportEnd",
  "extendedSupportEnd",
] as const satisfies readonly ReleaseMilestone[];

export const milestoneLabels: Record<ReleaseMilestone, string> = {
  alphaDate: "alpha and feature freeze",
  betaDate: "beta",
  rcDate: "release candidate",
  releaseDate: "final release",
  mainstreamSupportEnd: "end of mainstream support",
  extendedSupportEnd: "end of extended support",
};

export type CompatView = "declared" | CompatStatus | "maybe" | "unknown";
export const compatLabels: Record<CompatView, string> = {
  declared: "Declared",
  compatible: "Compatible (reported)",
  in_progress: "In progress",
  needs_help: "Needs help",
  not_planned: "Not planned",
  maybe: "Maybe",
  unknown: "Unknown",
};

// [directory] Why a widely used package is on the review's "at risk" list (popularity.server.ts).
export const atRiskReasons = ["one_maintainer", "no_recent_release", "not_current_django"] as const;
export type AtRiskReason = (typeof atRiskReasons)[number];
export const atRiskReasonLabels: Record<AtRiskReason, string> = {
  one_maintainer: "One verified maintainer",
  no_recent_release: "No release in 12 months",
  not_current_django: "Does not declare the current Django",
};
