// The guides' form schemas (Conform + zod), shared by the actions and the pages.
import { z } from "zod";
import { textField } from "#app/utils/form-text.ts";

/** The longest guide text accepted (the longest reference guide is about 9,000 characters). */
export const GUIDE_BODY_MAX = 60_000;

export const suggestSchema = z.object({
  body: textField({ min: 20, max: GUIDE_BODY_MAX, required: "The guide's text is needed: edit it in place." }),
  note: textField({ min: 5, max: 300, required: "Say in a few words what you changed and why." }),
  /** The revision the text was edited from. */
  baseRevision: z.coerce.number().int().min(1),
});

export const commentSchema = z.object({
  body: textField({ min: 2, max: 4_000, required: "Write a comment." }),
});

export const declineSchema = z.object({
  reason: textField({
    min: 5,
    max: 1_000,
    required: "Say why: the author reads this.",
    tooShort: "A few words at least: the author reads this.",
  }),
});

export const acceptSchema = z.object({
  /** The guide's revision the reviewer saw when deciding: a newer one means the page is out of date. */
  currentRevision: z.coerce.number().int().min(1),
  /** The note of the new revision; the suggestion's own note when empty. */
  note: textField({ max: 300 }).optional(),
});

export const reviewedSchema = z.object({
  currentRevision: z.coerce.number().int().min(1),
});

export const ownerSchema = z.object({
  /** A login, or empty for "the working group". */
  owner: z.string().trim().max(60).optional(),
});

export const searchSchema = z.object({ q: z.string().trim().max(200).optional() });
