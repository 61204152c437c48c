// Form rules of the roadie and working-group pages, shared by actions (server) and forms (browser).
import { z } from "zod";
import { textField } from "#app/utils/form-text.ts";

const urlList = z.preprocess(
  (value) =>
    String(value ?? "")
      .split(/\s+/)
      .map((x) => x.trim())
      .filter(Boolean),
  z
    .array(
      z
        .string()
        .url("Each link must be a full address starting with https://.")
        .refine((x) => /^https?:\/\//.test(x), "Each link must start with https:// or http://.")
        .max(500, "That link is too long."),
    )
    .max(10, "Give at most 10 links."),
);

export const applySchema = z.object({
  motivation: textField({
    required: "Tell the working group why you want to be a roadie.",
    min: 40,
    max: 4000,
  }),
  evidence: urlList.optional().default([]),
});

export const voteSchema = z.object({
  proposalId: z.coerce.number().int().positive(),
  choice: z.enum(["approve", "reject", "abstain"], { error: "Choose approve, reject or abstain." }),
  comment: z.string().trim().max(1000, "Keep the comment under 1,000 characters.").optional(),
});

export const proposeSchema = z.object({
  login: z
    .string({ error: "Enter a GitHub login." })
    .trim()
    .regex(/^@?[A-Za-z0-9-]{1,39}$/, "Enter a GitHub login, e.g. ada-demo."),
  reason: z
    .string({ error: "Give the working group a reason." })
    .trim()
    .min(10, "Write at least a sentence.")
    .max(2000, "Keep it under 2,000 characters."),
});

/** Granting or removing the admin role of a member, named by login (the table's buttons). */
export const adminRoleSchema = z.object({
  intent: z.enum(["grant-admin", "revoke-admin"]),
  login: z.string().trim().min(1).max(39),
});

/** Shown when the last working-group admin tries to step down (stepDown refuses it). */
export const LAST_ADMIN_MESSAGE =
  "You are the last working-group admin: make another member an admin first, so that someone can still run Roadies.";
