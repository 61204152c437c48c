// Working-group members change a meeting (move it, rename it, change its link or agenda), write its
// notes (public, or internal to the group), cancel it after a confirmation step, or put it back on.
// Each form carries the version it was loaded with: a save over someone else's newer one is a 409.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, replyFor, useSchemaForm } from "#app/components/field.tsx";
import { MeetingFormFields } from "#app/components/meetings-form.tsx";
import { formatMeetingRange } from "#app/components/meetings-time.tsx";
import { CancelForm, MeetingForm, NotesForm } from "#app/models/meetings/forms.ts";
import {
  cancelMeeting,
  getMeeting,
  meetingEndsAt,
  reinstateMeeting,
  saveNotes,
  updateMeeting,
  type Meeting,
  type WriteResult,
} from "#app/models/meetings/meetings.server.ts";
import { requireWorkingGroup } from "#app/models/people/roadies.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { invariantResponse, notFound, parseId } from "#app/utils/http.server.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";
import { canonicalTimeZone, localDay, localTimeOfDay, timeZoneOptions } from "#app/utils/time.ts";

/** A refusal because the meeting changed since the page was loaded (409) shows its current state. */
export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Edit ${data.meeting.title} · Roadies` : "Edit a meeting · Roadies" },
];

const CONFLICT = "Someone else changed this meeting since you opened the page. Check what it says now and save again.";

async function load(request: Request, idParam: string | undefined) {
  const user = await requireWorkingGroup(request);
  const meeting = await getMeeting(parseId(idParam));
  if (!meeting) throw notFound();
  return { user, meeting };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await load(request, params.id);
  const zone = canonicalTimeZone(meeting.enteredTimeZone) ?? "UTC";
  return {
    meeting: {
      id: meeting.id,
      title: meeting.title,
      status: meeting.status,
      startsAt: meeting.startsAt,
      endsAt: meetingEndsAt(meeting),
      version: meeting.updatedAt,
    },
    details: {
      title: meeting.title,
      day: localDay(meeting.startsAt, zone),
      time: localTimeOfDay(meeting.startsAt, zone),
      timeZone: zone,
      durationMinutes: String(meeting.durationMinutes),
      videoUrl: meeting.videoUrl ?? "",
      agenda: meeting.agenda,
    },
    notes: { notes: meeting.notes ?? "", notesInternal: meeting.notesInternal },
    confirmCancel: new URL(request.url).searchParams.get("cancel") === "1" && meeting.status !== "cancelled",
    timeZones: timeZoneOptions(Date.now()),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting } = await load(request, params.id);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  switch (intent) {
    case "details":
      return saveDetails(meeting, formData, user.id);
    case "notes":
      return writeNotes(meeting, formData, user.id);
    case "cancel":
      return cancel(meeting, formData, user.id);
    case "reinstate":
      return reinstate(meeting, formData, user.id);
    default:
      invariantResponse(
        false,
        "Choose what to do with the meeting: save it, save its notes, cancel it or put it back on.",
      );
  }
}

function outcome(
  submission: { reply: (options?: { formErrors?: string[] }) => unknown },
  result: WriteResult,
  id: number,
  saved: string,
) {
  if (!result.ok) return data(submission.reply({ formErrors: [CONFLICT] }), { status: 409 });
  return redirect(`/meetings/${id}?saved=${saved}`);
}

async function saveDetails(meeting: Meeting, formData: FormData, userId: number) {
  const submission = parseWithZod(formData, { schema: MeetingForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  return outcome(submission, await updateMeeting(meeting, submission.value, userId), meeting.id, "details");
}

async function writeNotes(meeting: Meeting, formData: FormData, userId: number) {
  const submission = parseWithZod(formData, { schema: NotesForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  return outcome(submission, await saveNotes(meeting, submission.value, userId), meeting.id, "notes");
}

async function cancel(meeting: Meeting, formData: FormData, userId: number) {
  const submission = parseWithZod(formData, { schema: CancelForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const { reason, version } = submission.value;
  return outcome(submission, await cancelMeeting(meeting, reason, userId, version), meeting.id, "cancelled");
}

async function reinstate(meeting: Meeting, formData: FormData, userId: number) {
  const submission = parseWithZod(formData, { schema: CancelForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await reinstateMeeting(meeting, userId, submission.value.version);
  return outcome(submission, result, meeting.id, "reinstated");
}

export default function EditMeeting() {
  const { meeting, details, notes, confirmCancel, timeZones } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [detailsForm, detailFields] = useSchemaForm(MeetingForm, {
    id: `meeting-${meeting.id}-details`,
    lastResult: replyFor(lastResult, "details"),
    defaultValue: details,
  });
  const [notesForm, notesFields] = useSchemaForm(NotesForm, {
    id: `meeting-${meeting.id}-notes`,
    lastResult: replyFor(lastResult, "notes"),
    defaultValue: { notes: notes.notes, notesInternal: notes.notesInternal ? "on" : undefined },
  });
  const [cancelForm, cancelFields] = useSchemaForm(CancelForm, {
    id: `meeting-${meeting.id}-cancel`,
    lastResult: replyFor(lastResult, "cancel") ?? replyFor(lastResult, "reinstate"),
  });
  const when = `${formatMeetingRange(meeting.startsAt, meeting.endsAt, "UTC")} UTC`;
  const version = <input type="hidden" name="version" value={String(meeting.version)} />;
  const cancelled = meeting.status === "cancelled";

  if (confirmCancel) {
    return (
      <section className="stack narrow">
        <p>
          <Link to={`/meetings/${meeting.id}`}>← Back to the meeting</Link>
        </p>
        <h1>Cancel {meeting.title}?</h1>
        <p>
          The meeting on {when} will show as cancelled on the meeting page and the calendar, and calendars subscribed to
          the feed mark it cancelled when they next refresh. You can put it back on later.
        </p>
        <Form method="post" {...getFormProps(cancelForm)} className="stack">
          <FormErrors errors={cancelForm.errors} />
          {version}
          <Field field={cancelFields.reason} label="Reason (optional, shown publicly)">
            {(aria) => <textarea {...getTextareaProps(cancelFields.reason)} rows={3} {...aria} />}
          </Field>
          <p className="actions">
            <button type="submit" name="intent" value="cancel" className="button button-danger">
              Cancel the meeting
            </button>{" "}
            <Link to={`/meetings/${meeting.id}`}>Keep the meeting</Link>
          </p>
        </Form>
      </section>
    );
  }

  return (
    <section className="stack narrow">
      <p>
        <Link to={`/meetings/${meeting.id}`}>← Back to the meeting</Link>
      </p>
      <h1>Edit {meeting.title}</h1>
      <p className="muted">Now: {when}.</p>

      <section aria-labelledby="details-heading" className="stack">
        <h2 id="details-heading">Time, link and agenda</h2>
        <Form method="post" {...getFormProps(detailsForm)} className="stack">
          <FormErrors errors={detailsForm.errors} />
          {version}
          <MeetingFormFields fields={detailFields as never} timeZones={timeZones} />
          <p>
            <button type="submit" name="intent" value="details" className="button">
              Save the meeting
            </button>
          </p>
        </Form>
      </section>

      <section aria-labelledby="notes-heading" className="stack" id="notes">
        <h2 id="notes-heading">Notes</h2>
        <Form method="post" {...getFormProps(notesForm)} className="stack">
          <FormErrors errors={notesForm.errors} />
          {version}
          <Field
            field={notesFields.notes}
            label="Notes of the meeting"
            hint="Markdown. Written after the meeting: decisions, actions and who takes them."
          >
            {(aria) => <textarea {...getTextareaProps(notesFields.notes)} rows={14} {...aria} />}
          </Field>
          <div className="field field-checkbox">
            <input
              type="checkbox"
              id={notesFields.notesInternal.id}
              name={notesFields.notesInternal.name}
              value="on"
              defaultChecked={notes.notesInternal}
            />
            <label htmlFor={notesFields.notesInternal.id}>Internal: only the working group may read these notes</label>
          </div>
          <p>
            <button type="submit" name="intent" value="notes" className="button">
              Save the notes
            </button>
          </p>
        </Form>
      </section>

      <section aria-labelledby="status-heading" className="stack">
        <h2 id="status-heading">{cancelled ? "Cancelled" : "Cancel"}</h2>
        {cancelled ? (
          <Form method="post" {...getFormProps(cancelForm)} className="stack">
            <FormErrors errors={cancelForm.errors} />
            {version}
            <p>This meeting is cancelled. Putting it back on updates the calendar feed too.</p>
            <p>
              <button type="submit" name="intent" value="reinstate" className="button">
                Put the meeting back on
              </button>
            </p>
          </Form>
        ) : (
          <p>
            <Link to={`/meetings/${meeting.id}/edit?cancel=1`}>Cancel this meeting…</Link>
          </p>
        )}
      </section>
    </section>
  );
}
