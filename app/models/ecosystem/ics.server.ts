// The calendar's events and their iCalendar form (RFC 5545) for /calendar.ics: all-day milestones
// and deadlines, and timed events in UTC (the working group's meetings) that calendar apps update
// in place when they move (same UID, higher SEQUENCE, newer LAST-MODIFIED) or are cancelled.
import { cleanText } from "#app/utils/text.ts";

export type CalendarEvent = {
  /** Stable across feeds and edits: identifies the milestone or meeting, not its date. */
  uid: string;
  /** The day ("YYYY-MM-DD"; for a timed event, the UTC day it starts on). */
  date: string;
  source: "django" | "programs" | "meetings";
  title: string;
  description: string;
  url: string;
  confirmed: boolean;
  kind: string;
  /** A timed event: its start and end instants (ms, UTC). Without them the event lasts the day `date`. */
  startsAt?: number;
  endsAt?: number;
  /** RFC 5545 SEQUENCE: raised by each change a calendar shows. */
  sequence?: number;
  /** When the event last changed (LAST-MODIFIED and DTSTAMP). */
  revisedAt?: number;
  cancelled?: boolean;
  /** Where it happens: a video call's address for a meeting. */
  location?: string | null;
};

/**
 * TEXT escaping of RFC 5545 §3.3.11. Stored text may come from anywhere, so it is cleaned first; every
 * line break (CRLF, LF or a bare CR) becomes `\\n`, since a raw one would start a new property.
 */
function icsText(value: string): string {
  return cleanText(value)
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** A URI property value (URL): not TEXT, so not escaped, but it must stay on its one line. */
const icsUri = (value: string) => cleanText(value).replace(/[\r\n\s]/g, encodeURIComponent);

/** Folds a content line at 75 octets (§3.1), never inside a UTF-8 sequence. */
export function foldLine(line: string): string {
  const bytes = Buffer.from(line, "utf8");
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    // Step back to a character boundary: continuation bytes look like 10xxxxxx.
    while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString("utf8"));
    start = end;
    limit = 74; // continuation lines begin with one space, which counts
  }
  return parts.join("\r\n ");
}

const icsDate = (date: string) => date.replace(/-/g, "");
/** A UTC date-time, "20270114T160000Z" (§3.3.5, form 2). */
const icsStamp = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const categories: Record<CalendarEvent["source"], string> = {
  django: "Django",
  programs: "Programmes",
  meetings: "Working group",
};

function eventLines(e: CalendarEvent, appUrl: string, now: number): string[] {
  const url = `URL:${icsUri(`${appUrl}${e.url}`)}`;
  if (e.startsAt === undefined || e.endsAt === undefined) {
    return [
      `UID:${icsText(e.uid)}`,
      `DTSTAMP:${icsStamp(now)}`,
      `DTSTART;VALUE=DATE:${icsDate(e.date)}`,
      `DTEND;VALUE=DATE:${icsDate(nextDay(e.date))}`,
      `SUMMARY:${icsText(e.title)}`,
      `DESCRIPTION:${icsText(e.description)}`,
      url,
      `STATUS:${e.confirmed ? "CONFIRMED" : "TENTATIVE"}`,
      "TRANSP:TRANSPARENT",
      `CATEGORIES:${categories[e.source]}`,
    ];
  }
  // A timed event changes in place: DTSTAMP and LAST-MODIFIED are its last revision, so a calendar
  // that compares them (with SEQUENCE) sees a moved or cancelled meeting as newer than its copy.
  const revised = e.revisedAt ?? now;
  return [
    `UID:${icsText(e.uid)}`,
    `DTSTAMP:${icsStamp(revised)}`,
    `LAST-MODIFIED:${icsStamp(revised)}`,
    `SEQUENCE:${e.sequence ?? 0}`,
    `DTSTART:${icsStamp(e.startsAt)}`,
    `DTEND:${icsStamp(e.endsAt)}`,
    `SUMMARY:${icsText(e.title)}`,
    `DESCRIPTION:${icsText(e.description)}`,
    url,
    ...(e.location ? [`LOCATION:${icsText(e.location)}`] : []),
    `STATUS:${e.cancelled ? "CANCELLED" : e.confirmed ? "CONFIRMED" : "TENTATIVE"}`,
    `TRANSP:${e.cancelled ? "TRANSPARENT" : "OPAQUE"}`,
    `CATEGORIES:${categories[e.source]}`,
  ];
}

export function renderIcs(
  events: CalendarEvent[],
  appUrl: string,
  now = Date.now(),
  name = "Roadies calendar",
): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Roadies//Django release calendar//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${icsText(name)}`,
    "X-PUBLISHED-TTL:PT12H",
  ];
  for (const e of events) lines.push("BEGIN:VEVENT", ...eventLines(e, appUrl, now), "END:VEVENT");
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
