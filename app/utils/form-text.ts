// Typed text in forms: how its length is counted and how a limit is enforced. Shared by the form
// schemas (server and browser) and the character counter (app/components/field.tsx), so the counter
// and the refusal always agree.
import { z } from "zod";

/**
 * The length a person sees, counted as zod's `.max()` counts (Unicode code points, so an emoji is
 * one): browsers send a line break typed in a textarea as CRLF, which counts once here, as on screen.
 */
export function lengthOf(text: string): number {
  let length = 0;
  for (const _ of text.replace(/\r\n/g, "\n")) length++;
  return length;
}

// Made on first use, as the date formats are (app/utils/dates.ts): a start does not need ICU's data.
let numberFormat: Intl.NumberFormat | undefined;
const number = (n: number) => (numberFormat ??= new Intl.NumberFormat("en-GB")).format(n);

type TextFieldOptions = {
  /** Refused below this many characters (after trimming). */
  min?: number;
  /** Refused above this many characters: never cut. */
  max: number;
  /** When the field is missing. */
  required?: string;
  /** When the text is shorter than `min`. */
  tooShort?: string;
};

/**
 * A text field's schema: line breaks as LF, surrounding space trimmed, and text outside `min`..`max`
 * refused with a message that says by how much, so the person can shorten what they wrote instead
 * of finding it cut. The limits are ordinary `.min()`/`.max()` checks, so Conform reads them for the
 * field's hint and counter.
 */
export function textField({ min, max, required, tooShort }: TextFieldOptions) {
  const base = z
    .string(required ? { error: required } : undefined)
    .overwrite((v) => v.replace(/\r\n/g, "\n"))
    .trim();
  const withMin = min
    ? base.min(min, {
        error: (issue) =>
          tooShort ?? `Write at least ${number(min)} characters (now ${number(lengthOf(String(issue.input ?? "")))}).`,
      })
    : base;
  return withMin.max(max, {
    error: (issue) => {
      const length = lengthOf(String(issue.input ?? ""));
      return `At most ${number(max)} characters: this has ${number(length)}. Shorten it by ${number(length - max)}.`;
    },
  });
}
