// Form rules of the thread page (/threads/:id), shared by the action and the page.
import { z } from "zod";
import { textField } from "#app/utils/form-text.ts";

/** A message's text, Markdown. */
export const MESSAGE_MAX = 5000;

const body = textField({
  required: "Write a message first.",
  min: 1,
  max: MESSAGE_MAX,
  tooShort: "Write a message first.",
});

export const PostMessageForm = z.object({ body });

export const EditMessageForm = z.object({
  messageId: z.coerce.number().int().positive(),
  body,
});

export const MessageIdForm = z.object({ messageId: z.coerce.number().int().positive() });

/** The note a maintainer may add when accepting an offer of help: the thread's first message. */
export const AcceptNoteForm = z.object({
  interestId: z.coerce.number().int().positive(),
  note: textField({ max: MESSAGE_MAX }).optional(),
});
