// Words for the guides' stored codes. Pure: shared with pages and emails.
import type { GuideSuggestionStatus } from "#db/schema/guides.ts";

export const suggestionStatusLabels: Record<GuideSuggestionStatus, string> = {
  pending: "Waiting for review",
  accepted: "Accepted",
  declined: "Declined",
  withdrawn: "Withdrawn",
};

export const suggestionStatusFilters = ["pending", "accepted", "declined", "withdrawn", "all"] as const;
export type SuggestionStatusFilter = (typeof suggestionStatusFilters)[number];
