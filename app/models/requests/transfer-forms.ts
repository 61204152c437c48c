// The pure parts of ownership transfers, shared by the actions (server) and the page (browser):
// the checklist, who answers for each step, and the zod schema of the page's forms. No server code.
import { z } from "zod";
import { transferConfirmingParties } from "#db/schema/people.ts";

export type Party = "maintainer" | "successor" | "roadie";

export const transferSteps: readonly { id: string; label: string; responsible: Party }[] = [
  {
    id: "pypi-owner",
    label: "Successor added as a PyPI owner (old owners kept or removed, as agreed)",
    responsible: "maintainer",
  },
  // PyPI has no public API for a project's roles, so each side states the PyPI change itself.
  {
    id: "pypi-owner-accepted",
    label: "PyPI owner invitation accepted: the project shows in the successor's PyPI account",
    responsible: "successor",
  },
  { id: "trusted-publishing", label: "PyPI Trusted Publishing set up", responsible: "successor" },
  { id: "repository", label: "GitHub repository transferred or admin access granted", responsible: "maintainer" },
  { id: "docs-hosting", label: "Documentation hosting access granted", responsible: "maintainer" },
  { id: "ci-secrets", label: "CI secrets rotated", responsible: "successor" },
  { id: "metadata", label: "Package metadata (URLs, maintainers) updated", responsible: "successor" },
  { id: "announcement", label: "Announcement posted", responsible: "roadie" },
];
export const partyLabels: Record<Party, string> = {
  maintainer: "Current maintainer",
  successor: "Successor",
  roadie: "Roadie",
};

export const stepIds = transferSteps.map((s) => s.id) as [string, ...string[]];

const step = z.enum(stepIds, { error: "Choose a step of the checklist." });

/** Every form of /transfers/:id, told apart by `intent`. */
export const transferActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("tick"), step }),
  z.object({ intent: z.literal("untick"), step }),
  z.object({
    intent: z.literal("check"),
    step,
    note: z
      .string({ error: "Say what you checked, and where: the parties read it." })
      .trim()
      .min(5, "A few words at least: what you saw, and where.")
      .max(1000, "Keep the evidence under 1,000 characters."),
  }),
  z.object({
    intent: z.literal("confirm"),
    side: z.enum(transferConfirmingParties),
    stepDown: z.boolean().optional(),
  }),
  z.object({ intent: z.literal("complete") }),
  z.object({
    intent: z.literal("notes"),
    handoffNotes: z.string().trim().max(20_000, "Keep the handoff notes under 20,000 characters.").optional(),
  }),
  z.object({ intent: z.literal("shepherd") }),
]);
export type TransferAction = z.infer<typeof transferActionSchema>;
