import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import {
  calendarTimeline,
  listCalendarEvents,
  listDjangoReleases,
  todayOf,
} from "#app/models/ecosystem/releases.server.ts";
import { formatMonth } from "#app/utils/dates.ts";
import { formatReleaseDate } from "#app/models/ecosystem/version-labels.ts";

export const meta: MetaFunction = () => [{ title: "Django release calendar · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, releases, events] = await Promise.all([
    getCurrentUser(request),
    listDjangoReleases(),
    listCalendarEvents("all"),
  ]);
  const today = todayOf(Date.now());
  return { releases, today, ...calendarTimeline(events, today), isAdmin: Boolean(user?.isAdmin) };
}

const monthName = (month: string) => formatMonth(Date.parse(`${month}-01T00:00:00Z`));

function DateCell({
  date,
  confirmed,
  approximate,
  released,
}: {
  date: string | null;
  confirmed: boolean;
  approximate: boolean;
  released: boolean;
}) {
  // A released version's missing pre-release date did happen; Roadies just has no record of it.
  if (!date) return <span className="muted">{released ? "not recorded" : "not announced"}</span>;
  if (approximate)
    return (
      <>
        <time dateTime={date.slice(0, 7)}>{formatReleaseDate(date, true)}</time>{" "}
        <span className="tag tag-planned">planned, day not announced</span>
      </>
    );
  return (
    <>
      <time dateTime={date}>{date}</time>{" "}
      <span className={confirmed ? "tag tag-confirmed" : "tag tag-planned"}>{confirmed ? "confirmed" : "planned"}</span>
    </>
  );
}

/** The day of an event; a timed one (a meeting) with its start in UTC. */
function EventDate({ event }: { event: { date: string; startsAt?: number } }) {
  if (event.startsAt === undefined) return <time dateTime={event.date}>{event.date}</time>;
  const iso = new Date(event.startsAt).toISOString();
  return (
    <time dateTime={iso}>
      {event.date} {iso.slice(11, 16)} UTC
    </time>
  );
}

export default function Calendar() {
  const { releases, months, next, today, isAdmin } = useLoaderData<typeof loader>();
  return (
    <section className="stack calendar">
      <h1>Django release calendar</h1>
      <p>
        Every Django feature release with its milestones (alpha and feature freeze, beta, release candidate, final) and
        the end of its support, together with the application deadlines of mentoring programmes and the working
        group&rsquo;s <Link to="/meetings">monthly meetings</Link> (times in UTC). Dates Django has not published yet
        are marked <em>planned</em>: they may move. Where Django has announced only the month, the month is shown;
        &ldquo;not announced&rdquo; means Django has not given a date yet, and &ldquo;not recorded&rdquo; marks a past
        date missing from Roadies&rsquo; records.
      </p>
      <p>
        <a href="/calendar.ics">Subscribe to the calendar (iCalendar)</a> ·{" "}
        <a href="/calendar.ics?only=django">Django only</a> ·{" "}
        <a href="/calendar.ics?only=programs">programme deadlines only</a> ·{" "}
        <a href="/calendar.ics?only=meetings">working-group meetings only</a>
        {isAdmin ? (
          <>
            {" "}
            · <Link to="/calendar/edit">Add or correct dates</Link>
          </>
        ) : null}
      </p>
      {next ? (
        <div className="card next-deadline" role="status">
          <h2>Next up</h2>
          <p>
            <strong>{next.title}</strong> on <EventDate event={next} />.{" "}
            {next.source === "django" ? (
              <Link to={next.url}>See the compatibility drive</Link>
            ) : next.source === "meetings" ? (
              <Link to={next.url}>See the meeting</Link>
            ) : (
              <Link to={next.url}>See the programme</Link>
            )}
          </p>
        </div>
      ) : null}

      <h2>Feature releases</h2>
      <div className="table-scroll">
        <table>
          <caption>Django feature releases, newest first, with the Python versions each supports</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Alpha</th>
              <th scope="col">Beta</th>
              <th scope="col">Release candidate</th>
              <th scope="col">Final</th>
              <th scope="col">Mainstream support ends</th>
              <th scope="col">Extended support ends</th>
              <th scope="col">Python</th>
            </tr>
          </thead>
          <tbody>
            {releases.map((r) => (
              <tr key={r.version}>
                <th scope="row">
                  <Link to={`/compat/${r.version}`}>{r.version}</Link>
                  {r.lts ? <span className="tag">LTS</span> : null}
                </th>
                {(
                  [
                    "alphaDate",
                    "betaDate",
                    "rcDate",
                    "releaseDate",
                    "mainstreamSupportEnd",
                    "extendedSupportEnd",
                  ] as const
                ).map((m) => (
                  <td key={m}>
                    <DateCell
                      date={r.dates[m]}
                      confirmed={r.confirmed[m]}
                      approximate={r.approximate[m]}
                      released={r.status === "released"}
                    />
                  </td>
                ))}
                <td>{r.pythonVersions.join(", ") || <span className="muted">not announced</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Timeline</h2>
      <ol className="timeline">
        {months.map(({ month, events }) => (
          <li key={month} className={month < today.slice(0, 7) ? "timeline-month past" : "timeline-month"}>
            <h3>{monthName(month)}</h3>
            <ul>
              {events.map((e) => (
                <li key={e.uid} className={e.uid === next?.uid ? "timeline-event next" : "timeline-event"}>
                  <EventDate event={e} /> <Link to={e.url}>{e.title}</Link>
                  {e.uid === next?.uid ? <strong className="tag tag-next"> next</strong> : null}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}
