// The meeting form's fields, shared by /meetings/new and /meetings/:id/edit: the day and time as the
// person reads them on their clock, in a zone they choose (stored as UTC), the length, the call's
// link and the agenda. Plain controls: it posts without JavaScript.
import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { Field } from "#app/components/field.tsx";
import { TimeZonePicker } from "#app/components/time-zone-picker.tsx";
import { meetingDurations } from "#app/models/meetings/forms.ts";
import type { TimeZoneOption } from "#app/utils/time.ts";

type Fields = {
  title: FieldMetadata<string>;
  day: FieldMetadata<string>;
  time: FieldMetadata<string>;
  timeZone: FieldMetadata<string>;
  durationMinutes: FieldMetadata<unknown>;
  videoUrl: FieldMetadata<string>;
  agenda: FieldMetadata<string>;
};

export function MeetingFormFields({ fields, timeZones }: { fields: Fields; timeZones: TimeZoneOption[] }) {
  return (
    <>
      <Field field={fields.title} label="Title" hint="e.g. Monthly meeting, January 2027.">
        {(aria) => <input {...getInputProps(fields.title, { type: "text" })} {...aria} />}
      </Field>
      <fieldset className="stack">
        <legend>When it starts</legend>
        <p className="field-hint">
          Enter the time as it reads on a clock in the zone you choose; Roadies stores it in UTC and shows everyone
          their own time.
        </p>
        <div className="meeting-when">
          <Field field={fields.day} label="Day">
            {(aria) => <input {...getInputProps(fields.day, { type: "date" })} {...aria} />}
          </Field>
          <Field field={fields.time} label="Time (24-hour)">
            {(aria) => <input {...getInputProps(fields.time, { type: "time" })} step={60} {...aria} />}
          </Field>
        </div>
        <Field field={fields.timeZone} label="Time zone of that time">
          {(aria) => <TimeZonePicker select={{ ...getSelectProps(fields.timeZone), ...aria }} options={timeZones} />}
        </Field>
      </fieldset>
      <Field field={fields.durationMinutes} label="Length">
        {(aria) => (
          <select {...getSelectProps(fields.durationMinutes)} {...aria}>
            {meetingDurations.map((d) => (
              <option key={d.value} value={String(d.value)}>
                {d.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        field={fields.videoUrl}
        label="Video call link (optional)"
        hint="An https:// address; it is public, on the meeting page and in the calendar feed."
      >
        {(aria) => <input {...getInputProps(fields.videoUrl, { type: "url" })} {...aria} />}
      </Field>
      <Field
        field={fields.agenda}
        label="Agenda (optional)"
        hint="Markdown: lists, links, emphasis. Public, and sent to subscribed calendars as plain text."
      >
        {(aria) => <textarea {...getTextareaProps(fields.agenda)} rows={10} {...aria} />}
      </Field>
    </>
  );
}
