// What the generated sets are made of: skills, time zones (across the date line), Django versions,
// kinds of call, the two profiles (standard, hard) and the seeded random numbers.
import type { CallKind } from "#db/schema/calls.ts";

export const NOW = Date.parse("2026-11-24T10:00:00Z");
export const DAY = 24 * 60 * 60 * 1000;
export const SKILLS: [string, string][] = [
  ["orm", "Django ORM"],
  ["migrations", "ORM and migrations"],
  ["postgres", "PostgreSQL"],
  ["drf", "Django REST framework"],
  ["testing", "Testing"],
  ["celery", "Celery"],
  ["security", "Security"],
  ["packaging", "Packaging"],
  ["docs", "Documentation"],
  ["i18n", "Internationalisation"],
  ["async", "Async views"],
  ["forms", "Templates and forms"],
  ["admin", "Django admin"],
  ["caching", "Caching"],
  ["search", "Full-text search"],
  ["gis", "GeoDjango"],
  ["channels", "Channels and WebSockets"],
  ["typing", "Type hints"],
  ["auth", "Authentication"],
  ["legacy", "Legacy Python 2 code"], // listed by nobody: a call needing it is never fully covered
];
export const POPULAR = ["orm", "drf", "testing"];
export const LISTABLE = SKILLS.map(([id]) => id).filter((id) => id !== "legacy");
export const VERSIONS = ["4.2", "5.1", "5.2", "6.0"];
/** Only people with no skills list these: for them the Django version is most of what tells calls apart. */
export const OLD_VERSIONS = ["2.2", "3.0", "3.1", "3.2", "4.0", "4.1", "5.0"];

/** Offsets on 2026-11-24 (southern summer time where it applies). */
export const ZONES: [string, number][] = [
  ["Pacific/Kiritimati", 14],
  ["Pacific/Pago_Pago", -11],
  ["Pacific/Niue", -11],
  ["Pacific/Auckland", 13],
  ["Pacific/Chatham", 13.75],
  ["Pacific/Tongatapu", 13],
  ["Pacific/Fiji", 12],
  ["Asia/Kamchatka", 12],
  ["America/Adak", -10],
  ["Pacific/Honolulu", -10],
  ["America/Anchorage", -9],
  ["America/Los_Angeles", -8],
  ["America/Denver", -7],
  ["America/Chicago", -6],
  ["America/New_York", -5],
  ["America/Sao_Paulo", -3],
  ["Atlantic/Azores", -1],
  ["Europe/London", 0],
  ["Europe/Berlin", 1],
  ["Africa/Nairobi", 3],
  ["Asia/Kolkata", 5.5],
  ["Asia/Kathmandu", 5.75],
  ["Asia/Shanghai", 8],
  ["Asia/Tokyo", 9],
  ["Australia/Sydney", 11],
];
export const DATE_LINE = ZONES.filter(([, o]) => o >= 12 || o <= -10);

export const CALL_KINDS: CallKind[] = [
  "co-maintainer",
  "new-maintainer",
  "triage-review",
  "release-management",
  "django-compat",
  "documentation",
  "ci-packaging",
];
export const KINDS_FOR_ROLE: Record<string, CallKind[]> = {
  "co-maintainer": ["co-maintainer", "release-management", "django-compat", "documentation", "ci-packaging"],
  "triager-reviewer": ["triage-review", "django-compat", "documentation"],
  "new-owner": ["new-maintainer"],
};

export type Profile = {
  volunteers: number;
  poolPerPopular: number;
  dateLine: number;
  missingZone: number;
  missingHours: number;
  missingDjango: number;
  noTzMaintainers: number;
  archetypes: [string, number][];
};
export const PROFILES: Record<string, Profile> = {
  standard: {
    volunteers: 124,
    poolPerPopular: 30,
    dateLine: 0.25,
    missingZone: 0.08,
    missingHours: 0.12,
    missingDjango: 0.2,
    noTzMaintainers: 0.3,
    archetypes: [
      ["skilled-roles", 50],
      ["skilled-no-roles", 12],
      ["roles-no-skills", 8],
      ["mentor", 8],
      ["mentee", 10],
      ["roadie", 12],
    ],
  },
  hard: {
    volunteers: 126,
    poolPerPopular: 60,
    dateLine: 0.5,
    missingZone: 0.15,
    missingHours: 0.25,
    missingDjango: 0.35,
    noTzMaintainers: 0.5,
    archetypes: [
      ["skilled-roles", 36],
      ["skilled-no-roles", 14],
      ["roles-no-skills", 12],
      ["mentor", 10],
      ["mentee", 14],
      ["roadie", 14],
    ],
  },
};

/** mulberry32: small, seeded, the same on every machine. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const weighted = (xs: [string, number][]) => {
    let r = next() * xs.reduce((s, [, w]) => s + w, 0);
    for (const [x, w] of xs) if ((r -= w) < 0) return x;
    return xs[xs.length - 1]![0];
  };
  const shuffle = <T>(xs: T[]): T[] => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  return { next, int, pick, weighted, shuffle, chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof rng>;
