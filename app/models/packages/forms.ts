// The maintainers page's forms and labels: pure, shared by the route and its page.
import { z } from "zod";
import type { MaintainerProof } from "#db/schema.ts";

const maintainerId = z.number({ error: "Choose a maintainer." }).int().positive();

/** One row's buttons: step down (no row needed), remove. */
export const MaintainerRowForm = z.object({ maintainerId });

/** An admin confirms an unconfirmed claim; the evidence is recorded with the confirmation. */
export const AdminConfirmForm = z.object({
  maintainerId,
  note: z
    .string({ error: "Say what shows this person maintains the package." })
    .trim()
    .min(10, "Say in a sentence or two what the evidence is.")
    .max(1000, "At most 1000 characters."),
  url: z
    .string()
    .trim()
    .max(500)
    .regex(/^https:\/\/\S+$/, "A link starts with https://.")
    .optional(),
});

/** What the page says after a change (codes in the URL, never text taken from it). */
export const maintainerNotices = {
  "stepped-down": "You stepped down. You are no longer listed as a maintainer of this package.",
  removed: "The maintainer was removed and told.",
  "admin-confirmed": "The claim is confirmed and your evidence recorded.",
} as const;

/** How a verified link was proven, in words. */
export function proofText(proof: MaintainerProof | null): string | null {
  if (!proof) return null;
  switch (proof.kind) {
    case "metadata":
      return `PyPI's metadata names the repository (${proof.url}).`;
    case "provenance":
      return `Release ${proof.version} was published from the repository with Trusted Publishing${proof.workflow ? ` (${proof.workflow})` : ""}.`;
    case "admin":
      return `Confirmed by an admin: ${proof.note}${proof.url ? ` (${proof.url})` : ""}`;
  }
}
