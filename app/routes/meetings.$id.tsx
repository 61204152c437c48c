// One meeting: when (UTC and the visitor's zone), the call's link, the agenda and, afterwards, the
// notes. Internal notes are shown to the working group only (meetingForViewer decides).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { MeetingTime } from "#app/components/meetings-time.tsx";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { durationLabel } from "#app/models/meetings/forms.ts";
import { canManageMeetings, getMeeting, meetingForViewer } from "#app/models/meetings/meetings.server.ts";
import { notFound, parseId } from "#app/utils/http.server.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.meeting.title} · Working-group meetings · Roadies` : "Meeting · Roadies" },
];

const notices: Record<string, string> = {
  created: "The meeting is scheduled. It is on the calendar and in the calendar feed.",
  details: "The meeting is saved. Subscribed calendars get the change when they next refresh the feed.",
  notes: "The notes are saved.",
  cancelled: "The meeting is cancelled. Subscribed calendars show it as cancelled.",
  reinstated: "The meeting is back on.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const [user, row] = await Promise.all([getCurrentUser(request), getMeeting(id)]);
  if (!row) throw notFound();
  const now = Date.now();
  const canManage = await canManageMeetings(user, now);
  const meeting = meetingForViewer(row, canManage);
  const saved = new URL(request.url).searchParams.get("saved");
  return {
    meeting: {
      id: meeting.id,
      title: meeting.title,
      startsAt: meeting.startsAt,
      endsAt: meeting.endsAt,
      durationMinutes: meeting.durationMinutes,
      videoUrl: meeting.videoUrl,
      status: meeting.status,
      cancelReason: meeting.cancelReason,
      notesInternal: meeting.notesInternal,
      notesHidden: meeting.notesHidden,
    },
    agendaHtml: meeting.agenda.trim() ? renderMarkdown(meeting.agenda) : null,
    notesHtml: meeting.notes ? renderMarkdown(meeting.notes) : null,
    over: meeting.endsAt <= now,
    canManage,
    zone: user?.timezone ?? null,
    notice: saved && saved in notices ? notices[saved]! : null,
  };
}

export default function MeetingPage() {
  const { meeting: m, agendaHtml, notesHtml, over, canManage, zone, notice } = useLoaderData<typeof loader>();
  const cancelled = m.status === "cancelled";
  return (
    <article className="stack narrow meeting">
      <p>
        <Link to="/meetings">← All meetings</Link>
      </p>
      {notice ? (
        <p className="alert" role="status">
          {notice}
        </p>
      ) : null}
      <h1>
        {m.title}
        {cancelled ? <span className="tag tag-cancelled">cancelled</span> : null}
      </h1>
      {cancelled ? (
        <p className="card" role="note">
          This meeting is cancelled{m.cancelReason ? `: ${m.cancelReason}` : "."}
        </p>
      ) : null}
      <dl className="meeting-facts">
        <dt>When</dt>
        <dd>
          <MeetingTime startsAt={m.startsAt} endsAt={m.endsAt} zone={zone} />
        </dd>
        <dt>Length</dt>
        <dd>{durationLabel(m.durationMinutes)}</dd>
        {m.videoUrl ? (
          <>
            <dt>Video call</dt>
            <dd>
              {cancelled || over ? (
                <span className="muted">{m.videoUrl}</span>
              ) : (
                <a href={m.videoUrl} rel="noopener nofollow">
                  {m.videoUrl}
                </a>
              )}
            </dd>
          </>
        ) : null}
      </dl>
      {!over ? (
        <p>
          <a href="/calendar.ics?only=meetings">Add the meetings to your calendar (iCalendar feed)</a>
        </p>
      ) : null}

      {canManage ? (
        <p className="actions">
          <Link to={`/meetings/${m.id}/edit`}>Edit or move the meeting</Link> ·{" "}
          <Link to={`/meetings/${m.id}/edit#notes`}>{notesHtml ? "Edit the notes" : "Write the notes"}</Link>
          {!cancelled ? (
            <>
              {" "}
              · <Link to={`/meetings/${m.id}/edit?cancel=1`}>Cancel the meeting</Link>
            </>
          ) : null}
        </p>
      ) : null}

      <section aria-labelledby="agenda">
        <h2 id="agenda">Agenda</h2>
        {agendaHtml ? (
          <div className="prose" dangerouslySetInnerHTML={{ __html: agendaHtml }} />
        ) : (
          <p className="muted">The agenda is not written yet.</p>
        )}
      </section>

      <section aria-labelledby="notes">
        <h2 id="notes">Notes</h2>
        {m.notesHidden ? (
          <p className="muted">The notes of this meeting are internal to the working group.</p>
        ) : notesHtml ? (
          <>
            {m.notesInternal ? (
              <p className="tag tag-internal">Internal: only the working group sees these notes.</p>
            ) : null}
            <div className="prose" dangerouslySetInnerHTML={{ __html: notesHtml }} />
          </>
        ) : (
          <p className="muted">
            {over ? "No notes have been published yet." : "Notes are published after the meeting."}
          </p>
        )}
      </section>
    </article>
  );
}
