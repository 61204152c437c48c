// What people read for the programmes' stored codes: the states of an application as applicants and
// organisers see them, and the decisions. Shared by the models, the pages and the emails (no server
// code here), so a code such as "waitlisted" or "undecided" is never shown as it is stored.
import type { applicationStatuses, Decision } from "#db/schema/programs.ts";

type ApplicationStatus = (typeof applicationStatuses)[number];

/** Every state an application is shown in: stored (draft…), decided, or derived (undecided, declined). */
export const applicationStates = [
  "draft",
  "undecided",
  "submitted",
  "accepted",
  "waitlisted",
  "rejected",
  "declined",
  "withdrawn",
] as const satisfies readonly (ApplicationStatus | Decision | "undecided" | "declined")[];
export type ApplicationState = (typeof applicationStates)[number];

export const applicationStateLabels: Record<ApplicationState, string> = {
  draft: "Draft (not submitted)",
  undecided: "No decision yet",
  submitted: "Submitted",
  accepted: "Accepted",
  waitlisted: "Waitlisted",
  rejected: "Not selected",
  declined: "Place declined",
  withdrawn: "Withdrawn",
};

export const decisionLabels: Record<Decision, string> = {
  accepted: applicationStateLabels.accepted,
  waitlisted: applicationStateLabels.waitlisted,
  rejected: applicationStateLabels.rejected,
};

/** The label of a state, for values typed as plain strings (an unknown code reads as itself). */
export function applicationStateLabel(state: string): string {
  return (applicationStateLabels as Record<string, string>)[state] ?? state;
}
