// The zod schemas of the calls area's forms, shared by the actions (server) and the pages (browser):
// pure, no server imports.
import { z } from "zod";
import { textField } from "#app/utils/form-text.ts";
import { normalizePackageName } from "#app/models/packages/names.ts";
import { callKinds, callUrgencies, type CallKind, type CallUrgency } from "#db/schema/calls.ts";
import { DAY_MS, isoDay } from "#app/utils/dates.ts";
import { callSorts } from "#app/models/calls/labels.ts";

export { callKindLabels, callKinds, callUrgencies } from "#db/schema/calls.ts";
export type { CallKind, CallUrgency };

export const skillLevelValues = ["learning", "comfortable", "expert"] as const;
export const urgencyLabels: Record<CallUrgency, string> = {
  low: "Low",
  normal: "Normal",
  high: "High",
  critical: "Critical",
};
// The statuses' words live with the other labels of the area (labels.ts).
export { statusLabels } from "#app/models/calls/labels.ts";

export const DEFAULT_EXPIRY_DAYS = 90;
export const MAX_EXPIRY_DAYS = 365;

const realDate = (v: string) => {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
};

/** A browser or form sends one value as a string and several as an array: always an array here. */
const list = (value: unknown) =>
  (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]).filter(
    (v) => typeof v === "string" && v.trim() !== "",
  );

const DJANGO_VERSION = /^(\d\.\d|\d{4}(\.\d)?)$/;

/**
 * The call form. `now` decides what "90 days ahead" and "at most a year" mean; `djangoVersions`, when
 * given, are the versions the form offered (djangoVersionChoices("new-call", …)): any other, such as
 * an end-of-life release on a new call, is refused.
 */
export function callFormSchema(now = Date.now(), djangoVersions?: readonly string[]) {
  const today = isoDay(now);
  const latest = isoDay(now + MAX_EXPIRY_DAYS * DAY_MS);
  return z.object({
    kind: z.enum(callKinds, { error: "Choose what kind of help the package needs." }),
    title: textField({
      required: "Give the call a title.",
      min: 5,
      max: 120,
      tooShort: "The title needs at least 5 characters.",
    }),
    description: textField({
      required: "Describe what the package needs.",
      min: 20,
      max: 10_000,
      tooShort: "Describe the call in at least 20 characters.",
    }),
    skills: z.preprocess(
      list,
      z
        .array(
          z
            .string()
            .regex(/^[a-z0-9-]{1,60}:(learning|comfortable|expert)$/, "Pick skills from the list.")
            .transform((v) => {
              const [skillId, level] = v.split(":") as [string, (typeof skillLevelValues)[number]];
              return { skillId, level };
            }),
        )
        .min(1, "Choose at least one skill.")
        .max(8, "Choose at most 8 skills.")
        .refine((s) => new Set(s.map((x) => x.skillId)).size === s.length, "Choose each skill once."),
    ),
    hoursPerWeek: z.coerce
      .number({ error: "Say how many hours a week it takes." })
      .int("Use whole hours.")
      .min(1, "At least 1 hour a week.")
      .max(40, "At most 40 hours a week."),
    djangoVersions: z.preprocess(
      list,
      z
        .array(z.string().regex(DJANGO_VERSION, "Pick Django versions from the list."))
        .max(20)
        .superRefine((versions, ctx) => {
          const refused = djangoVersions ? versions.filter((v) => !djangoVersions.includes(v)) : [];
          if (refused.length)
            ctx.addIssue({
              code: "custom",
              message: `Django ${refused.join(", ")} ${refused.length > 1 ? "are" : "is"} not offered for new calls: choose a supported or upcoming release.`,
            });
        }),
    ),
    urgency: z.enum(callUrgencies, { error: "Choose how urgent it is." }),
    // Off unless said (an unticked checkbox sends nothing; calls made from a nomination never say).
    mentoring: z.boolean().optional(),
    expiresOn: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Use the form YYYY-MM-DD.")
      .refine(realDate, "This is not a real date.")
      .refine((v) => v > today, "The expiry date must be in the future.")
      .refine((v) => v <= latest, `A call can stay open at most a year (until ${latest}).`)
      .optional(),
  });
}
export type CallFormValue = z.output<ReturnType<typeof callFormSchema>>;

export const InterestForm = z.object({
  message: textField({
    required: "Tell the maintainers a little about yourself and why this call.",
    min: 10,
    max: 2000,
    tooShort: "Write at least 10 characters.",
  }),
  shareEmail: z.boolean().default(false),
});

export const DeclineForm = z.object({
  interestId: z.coerce.number().int().positive(),
  message: textField({ max: 2000 }).optional(),
});

export const OutcomeForm = z
  .object({
    outcome: z.enum(["filled", "closed"], { error: "Choose whether the call was filled or closed." }),
    note: textField({
      required: "Write a short outcome note.",
      min: 3,
      max: 2000,
      tooShort: "Write a short outcome note.",
    }),
    filledByLogin: z
      .string()
      .trim()
      .regex(/^@?[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, "Not a GitHub login.")
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.outcome === "filled" && !v.filledByLogin && v.note.length < 3) {
      ctx.addIssue({ code: "custom", path: ["note"], message: "Say who took it over." });
    }
  });

// PyPI project names (PEP 508 / the core metadata spec), as typed.
const PYPI_NAME = /^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/;

export const PackageForm = z.object({
  name: z
    .string({ error: "Enter the package's name on PyPI." })
    .trim()
    .max(100, "PyPI names have at most 100 characters.")
    .regex(PYPI_NAME, "A PyPI name has letters, digits, '.', '-' and '_', and starts and ends with a letter or digit."),
  repository: z
    .string({ error: "Enter the GitHub repository, e.g. jazzband/django-foo." })
    .trim()
    .max(200)
    .transform((v, ctx) => {
      const parsed = parseRepository(v);
      if (!parsed) {
        ctx.addIssue({ code: "custom", message: "Write owner/name or https://github.com/owner/name." });
        return z.NEVER;
      }
      return parsed;
    }),
});

export const MaintainerForm = z.object({
  login: z
    .string({ error: "Enter a GitHub login." })
    .trim()
    .transform((v) => v.replace(/^@/, ""))
    .pipe(z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, "Not a GitHub login.")),
});

/** "owner/name", "github.com/owner/name" or a github.com URL (with .git or a trailing path) -> owner/name. */
export function parseRepository(input: string): { owner: string; name: string } | null {
  let v = input.trim();
  v = v.replace(/^git@github\.com:/i, "");
  v = v.replace(/^(https?:\/\/)?(www\.)?github\.com\//i, "");
  v = v.replace(/[?#].*$/, "").replace(/\/+$/, "");
  const [owner, rawName] = v.split("/");
  const name = rawName?.replace(/\.git$/i, "");
  if (!owner || !name) return null;
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(owner)) return null;
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(name) || name === "." || name === "..") return null;
  return { owner, name };
}

/** The query of /calls and /api/calls: anything unknown or malformed is ignored, never an error. */
export const CallQuery = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  kind: z.enum(callKinds).optional().catch(undefined),
  skill: z
    .string()
    .regex(/^[a-z0-9-]{1,60}$/)
    .optional()
    .catch(undefined),
  django: z
    .string()
    .regex(/^(\d\.\d|\d{4}(\.\d)?)$/)
    .optional()
    .catch(undefined),
  urgency: z.enum(callUrgencies).optional().catch(undefined),
  package: z
    .string()
    .trim()
    .max(100)
    .transform((v) => normalizePackageName(v) || undefined)
    .optional()
    .catch(undefined),
  sort: z.enum(callSorts).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
export type CallQueryValue = z.output<typeof CallQuery>;

export function parseCallQuery(url: URL): CallQueryValue {
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ""));
  return CallQuery.parse(raw);
}

/**
 * What links may prefill on /calls/new (the compatibility pages' "needs help" links send
 * `?package=…&kind=django-compat&django=6.0`): anything unknown or malformed is ignored.
 */
export const CallPrefill = z.object({
  kind: z.enum(callKinds).optional().catch(undefined),
  django: z.string().regex(DJANGO_VERSION).optional().catch(undefined),
});

/** Notices the package page shows after the maintainers' actions (by code, never text from the URL). */
export const packageNotices = {
  confirmed: "GitHub confirmed your role: you are now a verified maintainer of this package.",
  invited: "Invited: they become a verified maintainer when they sign in and GitHub confirms their role.",
  "already-listed": "That person is already listed for this package.",
  "bad-login": "That is not a GitHub login.",
  no_permission: "GitHub says you do not have the admin or maintain role on this repository.",
  repo_not_found: "GitHub has no such repository that your account can see.",
  github_down: "GitHub could not be reached just now. Please try again in a minute.",
  github_rate_limited: "GitHub is limiting how often we may ask. Please try again in a few minutes.",
  sign_in_again: "Your GitHub authorisation has expired or was revoked. Sign out and sign in again.",
  no_proof:
    "GitHub confirmed your role, but PyPI does not link this project to the repository (project URLs, home page or Trusted Publishing), so your link stays unconfirmed.",
  pypi_down: "PyPI could not be reached just now. Please try again in a minute.",
} as const;
