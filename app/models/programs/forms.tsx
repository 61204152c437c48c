// The programme form (create and edit): one zod schema for the action and the page, and the
// fields themselves. No server code, so pages can import it.
import { Form } from "@remix-run/react";
import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type SubmissionResult,
} from "@conform-to/react";
import { z } from "zod";
import { Field, FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { TimeZonePicker } from "#app/components/time-zone-picker.tsx";
import { AOE, AOE_OPTION } from "#app/models/programs/window.ts";
import { timeZoneField, type TimeZoneOption } from "#app/utils/time.ts";
import type { ProgramInput } from "#app/models/programs/programs.server.ts";

const isoDate = (label: string) =>
  z
    .string({ error: `Enter the ${label}.` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Use the form YYYY-MM-DD.")
    .refine((v) => new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), "This is not a real date.");

export const lines = (v: string | undefined) =>
  (v ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

export const ProgramForm = z
  .object({
    name: z.string({ error: "Give the programme a name." }).trim().min(3, "Give the programme a name.").max(120),
    slug: z
      .string({ error: "Choose an address." })
      .trim()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Lowercase letters, digits and dashes, e.g. djangonaut-space-2027-1."),
    organisation: z.string({ error: "Name the organisation." }).trim().min(2, "Name the organisation.").max(120),
    description: z.string().trim().max(20000).optional(),
    website: z.url({ protocol: /^https?$/, error: "Enter a full web address starting with https://." }).optional(),
    seasonStart: isoDate("first day of the season"),
    seasonEnd: isoDate("last day of the season"),
    opensOn: isoDate("day applications open"),
    closesOn: isoDate("last day for applications"),
    // "AoE" or a named zone, stored under its current name (Asia/Calcutta → Asia/Kolkata).
    windowTimezone: z.preprocess(
      (v) => (v === undefined || v === "" ? AOE : v),
      timeZoneField({ invalid: "Choose Anywhere on Earth or a time zone from the list.", also: [AOE] }),
    ),
    roles: z.string({ error: "Name at least one role." }),
    organisers: z.string().optional(),
    rubric: z.string().optional(),
    mentorRole: z.string().trim().optional(),
    menteeRole: z.string().trim().optional(),
    maxPerMentor: z.coerce.number().int().min(1).max(50).default(4),
    maxPerGroup: z.coerce.number().int().min(1).max(100).default(8),
    minOverlapHours: z.coerce.number().min(0).max(168).default(5),
  })
  .superRefine((v, ctx) => {
    if (v.seasonEnd < v.seasonStart)
      ctx.addIssue({ code: "custom", path: ["seasonEnd"], message: "The season must end after it starts." });
    if (v.closesOn < v.opensOn)
      ctx.addIssue({ code: "custom", path: ["closesOn"], message: "Applications must close after they open." });
    for (const line of lines(v.roles))
      if (!/^.{2,60}:\s*\d{1,4}$/.test(line))
        ctx.addIssue({
          code: "custom",
          path: ["roles"],
          message: `Write each role as "Name: places", e.g. "Djangonaut: 16" (not "${line}").`,
        });
    if (lines(v.roles).length === 0)
      ctx.addIssue({ code: "custom", path: ["roles"], message: "Name at least one role." });
    for (const line of lines(v.rubric))
      if (!/^.{2,60}:\s*\d{1,2}$/.test(line))
        ctx.addIssue({
          code: "custom",
          path: ["rubric"],
          message: `Write each criterion as "Name: weight", e.g. "Motivation: 2" (not "${line}").`,
        });
    const roleNames = lines(v.roles).map((l) => l.split(":")[0]!.trim().toLowerCase());
    if (v.mentorRole && !roleNames.includes(v.mentorRole.toLowerCase()))
      ctx.addIssue({ code: "custom", path: ["mentorRole"], message: "Use one of the roles above." });
    if (v.menteeRole && !roleNames.includes(v.menteeRole.toLowerCase()))
      ctx.addIssue({ code: "custom", path: ["menteeRole"], message: "Use one of the roles above." });
  });

export type ProgramFormValues = z.input<typeof ProgramForm>;
type ProgramDefaults = NonNullable<Parameters<typeof useForm<ProgramFormValues>>[0]>["defaultValue"];

/** "Name: 12" -> ["Name", 12]. */
export function namedNumber(line: string) {
  const i = line.lastIndexOf(":");
  return [line.slice(0, i).trim(), Number(line.slice(i + 1).trim())] as const;
}

/** The programme as the model takes it, from the form's checked values (`slug` is kept on edit). */
export function programInputFromForm(v: z.output<typeof ProgramForm>, slug: string): ProgramInput {
  return {
    ...v,
    slug,
    description: v.description ?? "",
    roles: lines(v.roles).map((l) => ({ name: namedNumber(l)[0], capacity: namedNumber(l)[1] })),
    organiserLogins: (v.organisers ?? "")
      .split(/[\s,]+/)
      .map((l) => l.replace(/^@/, "").trim())
      .filter(Boolean),
    rubric: lines(v.rubric).map((l) => ({ label: namedNumber(l)[0], weight: namedNumber(l)[1] })),
    groupRules:
      v.mentorRole && v.menteeRole
        ? {
            mentorRole: v.mentorRole,
            menteeRole: v.menteeRole,
            maxPerMentor: v.maxPerMentor,
            maxPerGroup: v.maxPerGroup,
            minOverlapHours: v.minOverlapHours,
          }
        : null,
  };
}

export function ProgramFields({
  id,
  lastResult,
  defaultValue,
  submitLabel,
  editing = false,
  timeZones,
}: {
  id: string;
  lastResult: SubmissionResult<string[]> | null | undefined;
  defaultValue: ProgramDefaults;
  submitLabel: string;
  editing?: boolean;
  /** The picker's zones, from the loader's timeZoneOptions(now). */
  timeZones: TimeZoneOption[];
}) {
  const [form, fields] = useSchemaForm<typeof ProgramForm, ProgramFormValues>(ProgramForm, {
    id,
    lastResult,
    defaultValue,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <FormErrors errors={form.errors} />
      <Field field={fields.name} label="Name" hint="e.g. Djangonaut Space 2027 Session 1">
        {(aria) => <input {...getInputProps(fields.name, { type: "text" })} {...aria} />}
      </Field>
      <Field
        field={fields.slug}
        label="Address"
        hint={editing ? "The address cannot change: links to it are out there." : "Shown as /programs/<address>."}
      >
        {(aria) => <input {...getInputProps(fields.slug, { type: "text" })} {...aria} readOnly={editing} />}
      </Field>
      <Field field={fields.organisation} label="Organisation">
        {(aria) => <input {...getInputProps(fields.organisation, { type: "text" })} {...aria} />}
      </Field>
      <Field field={fields.description} label="Description (Markdown)">
        {(aria) => <textarea {...getTextareaProps(fields.description)} {...aria} rows={6} />}
      </Field>
      <Field field={fields.website} label="Website (optional)">
        {(aria) => <input {...getInputProps(fields.website, { type: "url" })} {...aria} />}
      </Field>
      <Field field={fields.seasonStart} label="Season starts">
        {(aria) => <input {...getInputProps(fields.seasonStart, { type: "date" })} {...aria} />}
      </Field>
      <Field field={fields.seasonEnd} label="Season ends">
        {(aria) => <input {...getInputProps(fields.seasonEnd, { type: "date" })} {...aria} />}
      </Field>
      <Field field={fields.opensOn} label="Applications open on">
        {(aria) => <input {...getInputProps(fields.opensOn, { type: "date" })} {...aria} />}
      </Field>
      <Field field={fields.closesOn} label="Last day for applications">
        {(aria) => <input {...getInputProps(fields.closesOn, { type: "date" })} {...aria} />}
      </Field>
      <Field
        field={fields.windowTimezone}
        label="Deadline time zone"
        hint="Anywhere on Earth (the default) opens at 00:00 UTC+12 on the first day and closes at 23:59:59 UTC−12 on the last. Or choose a time zone."
      >
        {(aria) => (
          <TimeZonePicker
            select={{ ...getSelectProps(fields.windowTimezone), ...aria }}
            options={timeZones}
            leading={[AOE_OPTION]}
          />
        )}
      </Field>
      <Field field={fields.roles} label="Roles and places" hint='One per line, "Name: places".'>
        {(aria) => <textarea {...getTextareaProps(fields.roles)} {...aria} rows={4} />}
      </Field>
      <Field
        field={fields.rubric}
        label="Review rubric"
        hint='One criterion per line, "Name: weight". Reviewers score each from 1 to 5.'
      >
        {(aria) => <textarea {...getTextareaProps(fields.rubric)} {...aria} rows={4} />}
      </Field>
      <Field
        field={fields.organisers}
        label="Organisers"
        hint="GitHub logins of people with a Roadies account, separated by commas."
      >
        {(aria) => <input {...getInputProps(fields.organisers, { type: "text" })} {...aria} />}
      </Field>
      <fieldset className="stack">
        <legend>Groups (optional)</legend>
        <Field
          field={fields.mentorRole}
          label="Mentor role"
          hint="e.g. Navigator. Leave empty if the programme does not work in groups."
        >
          {(aria) => <input {...getInputProps(fields.mentorRole, { type: "text" })} {...aria} />}
        </Field>
        <Field field={fields.menteeRole} label="Mentee role" hint="e.g. Djangonaut">
          {(aria) => <input {...getInputProps(fields.menteeRole, { type: "text" })} {...aria} />}
        </Field>
        <Field field={fields.maxPerMentor} label="At most mentees per mentor">
          {(aria) => <input {...getInputProps(fields.maxPerMentor, { type: "number" })} {...aria} />}
        </Field>
        <Field field={fields.maxPerGroup} label="At most mentees per group">
          {(aria) => <input {...getInputProps(fields.maxPerGroup, { type: "number" })} {...aria} />}
        </Field>
        <Field field={fields.minOverlapHours} label="Minimum shared hours a week">
          {(aria) => <input {...getInputProps(fields.minOverlapHours, { type: "number" })} {...aria} />}
        </Field>
      </fieldset>
      <p>
        <button type="submit" className="button">
          {submitLabel}
        </button>
      </p>
    </Form>
  );
}
