// Working-group members schedule a meeting: a day and time in a zone they choose, stored as UTC.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { MeetingFormFields } from "#app/components/meetings-form.tsx";
import { MeetingForm } from "#app/models/meetings/forms.ts";
import { createMeeting } from "#app/models/meetings/meetings.server.ts";
import { requireWorkingGroup } from "#app/models/people/roadies.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { formatMonth } from "#app/utils/dates.ts";
import { canonicalTimeZone, timeZoneOptions } from "#app/utils/time.ts";

export const meta: MetaFunction = () => [{ title: "Schedule a meeting · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireWorkingGroup(request);
  const now = Date.now();
  return {
    timeZones: timeZoneOptions(now),
    zone: canonicalTimeZone(user.timezone) ?? "UTC",
    month: formatMonth(now),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireWorkingGroup(request);
  const submission = parseWithZod(await readFormData(request), { schema: MeetingForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const id = await createMeeting(submission.value, user.id);
  return redirect(`/meetings/${id}?saved=created`);
}

export default function NewMeeting() {
  const { timeZones, zone, month } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(MeetingForm, {
    id: "new-meeting",
    lastResult,
    defaultValue: {
      title: `Monthly meeting, ${month}`,
      time: "16:00",
      timeZone: zone,
      durationMinutes: "60",
      agenda: "- Welcome and introductions\n- Actions from last meeting\n- ",
    },
  });
  return (
    <section className="stack narrow">
      <p>
        <Link to="/meetings">← All meetings</Link>
      </p>
      <h1>Schedule a meeting</h1>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors errors={form.errors} />
        <MeetingFormFields fields={fields as never} timeZones={timeZones} />
        <p>
          <button type="submit" className="button">
            Schedule the meeting
          </button>
        </p>
      </Form>
    </section>
  );
}
