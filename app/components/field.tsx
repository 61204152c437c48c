// One form field with its label, hint, length limits and error, wired for screen readers, and the
// one way a form validates in the browser (useSchemaForm). Works with Conform's field metadata
// (`fields.title`) so every form shows messages and limits the same way.
import { useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import type { z } from "zod";
import { lengthOf } from "#app/utils/form-text.ts";

/**
 * When a form validates in the browser: on submit, then again on every keystroke in a field that
 * showed an error. Never on blur: an error appearing or disappearing when focus leaves a field moves
 * everything below it, so the button (or checkbox) under the pointer slides away between the press
 * and the release and the click is lost. Typing clears the error while the pointer is elsewhere.
 */
export const VALIDATION = { shouldValidate: "onSubmit", shouldRevalidate: "onInput" } as const;

/** The length limits of a schema's text fields, for Field's hint and counter (nothing else). */
export function lengthLimits(schema: z.ZodType): Record<string, { minLength?: number; maxLength?: number }> {
  const shape = objectShape(schema);
  const limits: Record<string, { minLength?: number; maxLength?: number }> = {};
  for (const [name, field] of Object.entries(shape ?? {})) {
    const found = stringLimits(field as z.ZodType);
    if (found.minLength !== undefined || found.maxLength !== undefined) limits[name] = found;
  }
  return limits;
}

type Def = { type: string; innerType?: Def; in?: Def; out?: Def; shape?: Record<string, unknown>; checks?: Check[] };
type Check = { _zod: { def: { check: string; minimum?: number; maximum?: number } } };
const defOf = (schema: unknown) => (schema as { _zod: { def: Def } })._zod.def;
const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "catch", "readonly", "nonoptional"]);

/** The object a form schema describes, through wrappers and `z.preprocess` (a pipe from a transform). */
function objectShape(schema: unknown): Record<string, unknown> | null {
  const def = defOf(schema);
  if (def.type === "object") return def.shape ?? null;
  if (def.type === "pipe") return objectShape(defOf(def.in).type === "transform" ? def.out : def.in);
  if (WRAPPERS.has(def.type)) return objectShape(def.innerType);
  return null;
}

/** The `.min()`/`.max()` of a string field, read from its checks (zod keeps no summary of them). */
function stringLimits(schema: unknown): { minLength?: number; maxLength?: number } {
  const def = defOf(schema);
  if (WRAPPERS.has(def.type)) return stringLimits(def.innerType);
  if (def.type === "pipe") return stringLimits(defOf(def.in).type === "transform" ? def.out : def.in);
  if (def.type !== "string") return {};
  const limits: { minLength?: number; maxLength?: number } = {};
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === "min_length" && c.minimum !== undefined)
      limits.minLength = Math.max(limits.minLength ?? 0, c.minimum);
    if (c.check === "max_length" && c.maximum !== undefined)
      limits.maxLength = Math.min(limits.maxLength ?? Infinity, c.maximum);
  }
  return limits;
}

type SchemaFormOptions = {
  id?: string;
  lastResult?: SubmissionResult<string[]> | null;
  /** The form's initial values, as the form posts them (strings, lists of strings, booleans). */
  defaultValue?: Record<string, unknown> | null;
};

/**
 * Conform's useForm for a form that has one zod schema: validates with it in the browser (as
 * VALIDATION says) and gives each field its length limits from the schema. Every form uses this.
 */
export function useSchemaForm<
  S extends z.ZodType<Record<string, unknown>, Record<string, unknown>>,
  /** The fields as the form names them, when the schema's input type says less (lists, preprocessing). */
  Shape extends Record<string, unknown> = z.input<S>,
>(schema: S, { id, lastResult, defaultValue }: SchemaFormOptions) {
  const constraint = useMemo(() => lengthLimits(schema), [schema]);
  return useForm<Shape, z.output<S>>({
    id,
    lastResult,
    defaultValue: defaultValue as never,
    constraint,
    ...VALIDATION,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }) as never,
  });
}

type Props = {
  field: Pick<FieldMetadata<unknown>, "id" | "errors" | "descriptionId" | "errorId"> & {
    minLength?: number;
    maxLength?: number;
    value?: unknown;
  };
  label: ReactNode;
  hint?: ReactNode;
  /** Render the control; pass the props to the input/select/textarea (after Conform's own props). */
  children: (aria: {
    id: string;
    "aria-invalid"?: true;
    "aria-describedby"?: string;
    /** Never the maxlength attribute: a browser silently cuts pasted text to it. */
    maxLength: undefined;
  }) => ReactNode;
};

// Made on first use, as the date formats are (app/utils/dates.ts): a start does not need ICU's data.
let countFormat: Intl.NumberFormat | undefined;
const count = (n: number) => (countFormat ??= new Intl.NumberFormat("en-GB")).format(n);

/** "Up to 120 characters.", "At least 40 characters." or "40 to 4,000 characters.": the limits said up front. */
export function lengthHint(minLength?: number, maxLength?: number): string | null {
  const min = minLength && minLength > 1 ? minLength : null;
  if (min && maxLength) return `${count(min)} to ${count(maxLength)} characters.`;
  if (maxLength) return `Up to ${count(maxLength)} characters.`;
  if (min) return `At least ${count(min)} characters.`;
  return null;
}

export function Field({ field, label, hint, children }: Props) {
  const errors = field.errors ?? [];
  const limits = lengthHint(field.minLength, field.maxLength);
  const hasHint = Boolean(hint || limits);
  const describedBy = [hasHint ? field.descriptionId : null, errors.length ? field.errorId : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      {hasHint ? (
        <p id={field.descriptionId} className="field-hint">
          {hint}
          {hint && limits ? " " : null}
          {limits}
        </p>
      ) : null}
      {children({
        id: field.id,
        ...(errors.length ? { "aria-invalid": true as const } : {}),
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
        maxLength: undefined,
      })}
      {field.maxLength ? (
        <CharacterCount fieldId={field.id} value={field.value} max={field.maxLength} min={field.minLength} />
      ) : null}
      {errors.length ? (
        <p id={field.errorId} className="field-error">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/**
 * "87 / 120" under a limited field, live as the person types; "130 / 120: 10 too many" in the error
 * colour when over. Shown only once JavaScript runs (the hint states the limit for everyone else).
 * Screen readers hear the count when typing pauses, not at every keystroke.
 *
 * The count is of the field's own text, read from the page when the script starts and at each input:
 * text typed or pasted while the page was still loading is counted from the first moment, where the
 * form library's `value` only learns of it at the next keystroke. `value` changing (a reply, a reset)
 * reads the text again.
 */
export function CharacterCount({
  fieldId,
  value,
  max,
  min,
}: {
  fieldId: string;
  value: unknown;
  max: number;
  min?: number;
}) {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    const element = document.getElementById(fieldId);
    if (!(element instanceof HTMLTextAreaElement || element instanceof HTMLInputElement)) return;
    const read = () => setText(element.value);
    read();
    element.addEventListener("input", read);
    return () => element.removeEventListener("input", read);
  }, [fieldId, value]);
  const hydrated = text !== null;
  const length = hydrated ? lengthOf(text) : 0;
  const over = length - max;
  const under = min && min > 1 && length > 0 && length < min ? min - length : 0;
  const visible = `${count(length)} / ${count(max)}${over > 0 ? `: ${count(over)} too many` : ""}`;
  const spoken =
    over > 0
      ? `${count(over)} characters too many`
      : under
        ? `${count(under)} more characters needed`
        : `${count(max - length)} characters left`;
  const [announced, setAnnounced] = useState("");
  useEffect(() => {
    if (!hydrated) return;
    const timer = setTimeout(() => setAnnounced(spoken), 1000);
    return () => clearTimeout(timer);
  }, [spoken, hydrated]);
  if (!hydrated) return null;
  return (
    <>
      <p
        id={`${fieldId}-count`}
        className={over > 0 ? "field-count field-count-over" : "field-count"}
        aria-hidden="true"
      >
        {visible}
      </p>
      <p className="visually-hidden" role="status">
        {announced}
      </p>
    </>
  );
}

/** A form-level message (e.g. "GitHub could not be reached"), announced when it appears. */
export function FormErrors({ errors }: { errors?: string[] | null }) {
  if (!errors?.length) return null;
  return (
    <div className="alert alert-error" role="alert">
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  );
}

/**
 * The action's reply (`submission.reply()`) if it answers the form that sent `intent`, else
 * undefined: a page with several forms shares one action, and each form shows only its own reply.
 * Pass undefined for the form that sends no intent.
 */
export function replyFor(
  reply: SubmissionResult<string[]> | undefined,
  intent: string | undefined,
): SubmissionResult<string[]> | undefined {
  return reply?.initialValue?.intent === intent ? reply : undefined;
}
