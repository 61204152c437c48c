// One form field with its label, hint and error, wired for screen readers. Works with Conform's
// field metadata (`fields.title`) so every form shows messages the same way.
import type { FieldMetadata, SubmissionResult } from "@conform-to/react";
import type { ReactNode } from "react";

type Props = {
  field: Pick<FieldMetadata<unknown>, "id" | "errors" | "descriptionId" | "errorId">;
  label: ReactNode;
  hint?: ReactNode;
  /** Render the control; pass the props to the input/select/textarea. */
  children: (aria: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
};

export function Field({ field, label, hint, children }: Props) {
  const errors = field.errors ?? [];
  const describedBy = [hint ? field.descriptionId : null, errors.length ? field.errorId : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      {hint ? (
        <p id={field.descriptionId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {children({
        id: field.id,
        ...(errors.length ? { "aria-invalid": true as const } : {}),
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
      })}
      {errors.length ? (
        <p id={field.errorId} className="field-error">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
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
