// What people read for the calls area's stored codes: statuses, interest answers, history events and
// the orders of the list. Shared by the models, the pages and the emails (no server code here), so
// a code such as "in_conversation" is never shown as it is stored.
import type { CallEventKind, CallStatus, InterestStatus } from "#db/schema/calls.ts";

export const statusLabels: Record<CallStatus, string> = {
  open: "Open",
  in_conversation: "In conversation",
  filled: "Filled",
  closed: "Closed",
  expired: "Expired",
};

export const interestStatusLabels: Record<InterestStatus, string> = {
  pending: "Waiting for an answer",
  accepted: "Accepted",
  declined: "Declined",
  withdrawn: "Withdrawn",
};

export const callEventLabels: Record<CallEventKind, string> = {
  posted: "Posted",
  edited: "Edited",
  status_changed: "Status changed",
  renewed: "Renewed",
  reminder_sent: "Expiry reminder sent",
  interest_accepted: "Offer of help accepted",
  interest_declined: "Offer of help declined",
};

type EventLike = { kind: string; fromStatus: CallStatus | null; toStatus: CallStatus | null; note?: string | null };

const statusWord = (s: CallStatus) => statusLabels[s] ?? s;

/** One line of a call's history in words, e.g. "Status changed from Open to In conversation: note". */
export function describeCallEvent(e: EventLike): string {
  const label = callEventLabels[e.kind as CallEventKind] ?? "Changed";
  let text: string;
  if (e.kind === "status_changed" && e.toStatus) {
    text = e.fromStatus
      ? `Status changed from ${statusWord(e.fromStatus)} to ${statusWord(e.toStatus)}`
      : `Status set to ${statusWord(e.toStatus)}`;
  } else {
    text = e.toStatus ? `${label} (status: ${statusWord(e.toStatus)})` : label;
  }
  return e.note ? `${text}: ${e.note}` : text;
}

/** The orders of the list of calls; "relevance" only means something for a search. */
export const callSorts = ["relevance", "newest", "urgent"] as const;
export type CallSort = (typeof callSorts)[number];

export const callSortLabels: Record<CallSort, string> = {
  relevance: "Best match",
  newest: "Newest first",
  urgent: "Most urgent first",
};

/** The order a list of calls takes when the person chose none. */
export const defaultCallSort = (searching: boolean): CallSort => (searching ? "relevance" : "newest");

/**
 * The choices of the "Order" list, each once: the default order first with the empty value (so a
 * new search gets its best matches), then the others; "Best match" only when there is a search.
 */
export function callSortOptions(searching: boolean): { value: string; sort: CallSort; label: string }[] {
  const byDefault = defaultCallSort(searching);
  return [byDefault, ...callSorts.filter((s) => s !== byDefault && s !== "relevance")].map((sort) => ({
    value: sort === byDefault ? "" : sort,
    sort,
    label: callSortLabels[sort],
  }));
}

/** The value the "Order" list shows for the order the list was drawn in. */
export function callSortValue(searching: boolean, sort: CallSort): string {
  return callSortOptions(searching).find((o) => o.sort === sort)?.value ?? "";
}
