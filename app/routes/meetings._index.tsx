// The working group's meetings: the upcoming ones with their time in UTC and the visitor's zone, and
// the past ones with their notes (public unless the group marked them internal).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { MeetingTime } from "#app/components/meetings-time.tsx";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { canManageMeetings, listMeetings, type ViewedMeeting } from "#app/models/meetings/meetings.server.ts";
import { formatDate } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [
  { title: "Working-group meetings · Roadies" },
  { name: "description", content: "The working group's monthly meetings: agendas, times and published notes." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  const canManage = await canManageMeetings(user);
  const { upcoming, past } = await listMeetings(canManage);
  const shape = ({ agenda: _agenda, notes, ...m }: ViewedMeeting) => ({ ...m, hasNotes: Boolean(notes) });
  return { upcoming: upcoming.map(shape), past: past.map(shape), canManage, zone: user?.timezone ?? null };
}

export default function Meetings() {
  const { upcoming, past, canManage, zone } = useLoaderData<typeof loader>();
  return (
    <section className="stack meetings">
      <h1>Working-group meetings</h1>
      <p>
        The working group meets once a month by video call. Times are in UTC, with your own time alongside. Agendas are
        public, and so are the notes of past meetings unless the group keeps them internal.
      </p>
      <p>
        <a href="/calendar.ics?only=meetings">Subscribe to the meetings (iCalendar)</a> ·{" "}
        <Link to="/calendar">See them on the calendar</Link>
        {canManage ? (
          <>
            {" "}
            · <Link to="/meetings/new">Schedule a meeting</Link>
          </>
        ) : null}
      </p>

      <h2>Upcoming</h2>
      {upcoming.length ? (
        <ul className="meeting-list">
          {upcoming.map((m) => (
            <li key={m.id} className="card meeting-card">
              <h3>
                <Link to={`/meetings/${m.id}`}>{m.title}</Link>
                {m.status === "cancelled" ? <span className="tag tag-cancelled">cancelled</span> : null}
              </h3>
              <p>
                <MeetingTime startsAt={m.startsAt} endsAt={m.endsAt} zone={zone} />
              </p>
              {m.videoUrl && m.status !== "cancelled" ? (
                <p>
                  <a href={m.videoUrl} rel="noopener nofollow">
                    Join the video call<span className="visually-hidden">: {m.title}</span>
                  </a>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No meeting is scheduled yet.</p>
      )}

      <h2>Past meetings</h2>
      {past.length ? (
        <ul className="meeting-list past">
          {past.map((m) => (
            <li key={m.id}>
              <Link to={`/meetings/${m.id}`}>{m.title}</Link>,{" "}
              <time dateTime={new Date(m.startsAt).toISOString()}>{formatDate(m.startsAt)}</time>{" "}
              <span className="muted">
                {m.status === "cancelled"
                  ? "(cancelled)"
                  : m.notesHidden
                    ? "(notes internal to the working group)"
                    : m.hasNotes
                      ? m.notesInternal
                        ? "(internal notes)"
                        : "(notes)"
                      : "(no notes yet)"}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No past meetings recorded.</p>
      )}
    </section>
  );
}
