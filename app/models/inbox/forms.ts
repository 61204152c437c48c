// The inbox's forms (no server code): one schema for every button of /inbox, told apart by intent.
import { z } from "zod";

const id = z.coerce.number().int().positive();

export const inboxActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("read"), id }),
  /** `upTo`: the newest notification the page showed; newer ones stay unread. */
  z.object({ intent: z.literal("read-all"), upTo: id.optional() }),
]);

/** The inbox's filter: everything, or only what is unread. */
export const inboxShows = ["all", "unread"] as const;
export type InboxShow = (typeof inboxShows)[number];

export function parseInboxShow(value: string | null): InboxShow {
  return value === "unread" ? "unread" : "all";
}
