// A meeting's time: always in UTC (the time the working group agrees on), and alongside it the
// same time in the visitor's own zone. The server renders the zone it knows (the signed-in person's
// profile zone); the browser re-renders in its own zone, as app/components/programs-local-time.tsx does.
import { useEffect, useState } from "react";
import { timeZoneId, zoneName } from "#app/utils/time.ts";

const long: Intl.DateTimeFormatOptions = {
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
};

/** "Thursday 14 January 2027, 16:00–17:00" in `zone` (a range over midnight names both days). */
export function formatMeetingRange(startsAt: number, endsAt: number, zone: string): string {
  return new Intl.DateTimeFormat("en-GB", { ...long, timeZone: zone }).formatRange(startsAt, endsAt);
}

export function MeetingTime({
  startsAt,
  endsAt,
  zone,
}: {
  startsAt: number;
  endsAt: number;
  /** The zone the server knows for the viewer (profile), or null. */
  zone: string | null;
}) {
  const [browserZone, setBrowserZone] = useState<string | null>(null);
  useEffect(() => {
    setBrowserZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  }, []);
  const local = timeZoneId(browserZone) ?? timeZoneId(zone);
  return (
    <span className="meeting-time">
      <time dateTime={new Date(startsAt).toISOString()}>{formatMeetingRange(startsAt, endsAt, "UTC")} UTC</time>
      {local && local !== "UTC" && local !== "Etc/UTC" ? (
        <span className="meeting-local-time muted">
          {" "}
          (your time: {formatMeetingRange(startsAt, endsAt, local)}, {zoneName(local, startsAt)})
        </span>
      ) : null}
    </span>
  );
}
