// An instant shown in the visitor's own time zone: the server renders it in the zone it knows
// (the signed-in person's profile zone, else UTC), and the browser re-renders it in its own zone.
import { useEffect, useState } from "react";
import { timeZoneId } from "#app/utils/time.ts";

const options: Intl.DateTimeFormatOptions = { dateStyle: "full", timeStyle: "short" };

export function LocalTime({ ms, zone }: { ms: number; zone: string | null }) {
  const [browserZone, setBrowserZone] = useState<string | null>(null);
  useEffect(() => {
    setBrowserZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  }, []);
  // A zone this runtime does not know (an old browser, a stale profile value) falls back to UTC
  // instead of throwing during render.
  const shown = timeZoneId(browserZone) ?? timeZoneId(zone) ?? "UTC";
  const text = new Intl.DateTimeFormat("en-GB", { ...options, timeZone: shown }).format(ms);
  return (
    <time dateTime={new Date(ms).toISOString()}>
      {text} <span className="muted">({shown.replace(/_/g, " ")})</span>
    </time>
  );
}
