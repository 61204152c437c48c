// The package directory's vocabulary, shared by its page, its JSON and CSV, and the model: the
// query (filters, sort, page) as one zod schema, the sortable columns with their words, and the
// URL of a query. No server code.
import { z } from "zod";
import { maintenanceStates } from "#app/models/packages/labels.ts";

export const directorySorts = [
  "name",
  "stars",
  "downloads",
  "release",
  "django",
  "python",
  "state",
  "calls",
  "maintainers",
] as const;
export type DirectorySort = (typeof directorySorts)[number];
export type SortOrder = "asc" | "desc";

/** Column headings, and the order a first click sorts in (biggest first, names and states A→Z). */
export const sortColumns: Record<DirectorySort, { label: string; first: SortOrder }> = {
  name: { label: "Package", first: "asc" },
  stars: { label: "GitHub stars", first: "desc" },
  downloads: { label: "Downloads (30 days)", first: "desc" },
  release: { label: "Last release", first: "desc" },
  django: { label: "Django", first: "desc" },
  python: { label: "Python", first: "desc" },
  state: { label: "Maintenance", first: "asc" },
  calls: { label: "Open calls", first: "desc" },
  maintainers: { label: "Verified maintainers", first: "desc" },
};

export const DEFAULT_SORT: DirectorySort = "downloads";
export const DIRECTORY_PAGE_SIZE = 50;
/** A comparison shows at most this many packages side by side. */
export const COMPARE_MAX = 6;

const text = (max: number) => z.string().trim().max(max).optional().catch(undefined);

/** The directory's query: every parameter optional; anything malformed is ignored, never an error. */
export const DirectoryQuery = z.object({
  q: text(100),
  category: text(100),
  django: z
    .string()
    .trim()
    .regex(/^\d{1,4}(\.\d{1,2})?$/)
    .optional()
    .catch(undefined),
  state: z.enum(maintenanceStates).optional().catch(undefined),
  help: z.enum(["1"]).optional().catch(undefined),
  sort: z.enum(directorySorts).optional().catch(undefined),
  order: z.enum(["asc", "desc"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
export type DirectoryQuery = z.infer<typeof DirectoryQuery>;

export function parseDirectoryQuery(url: URL): DirectoryQuery {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(DirectoryQuery.shape)) {
    const value = url.searchParams.get(key);
    if (value !== null && value !== "") raw[key] = value;
  }
  return DirectoryQuery.parse(raw);
}

/** The query string of `query` (leading `?`, or "" for none), with `changes` applied. */
export function directorySearch(
  query: DirectoryQuery,
  changes: Partial<Record<keyof DirectoryQuery, string | number | undefined>> = {},
) {
  const params = new URLSearchParams();
  const merged: Record<string, string | number | undefined> = { ...query, ...changes };
  for (const key of Object.keys(DirectoryQuery.shape)) {
    const value = merged[key];
    if (value === undefined || value === "" || (key === "page" && Number(value) <= 1)) continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

/** The link of a column heading: sorts by it, or flips the order when it is the current sort. */
export function sortLink(query: DirectoryQuery, column: DirectorySort): string {
  const current = query.sort ?? DEFAULT_SORT;
  const order = query.order ?? sortColumns[current].first;
  const next = current === column ? (order === "asc" ? "desc" : "asc") : sortColumns[column].first;
  return directorySearch(query, { sort: column, order: next, page: undefined }) || "?";
}

/** How many filters (not the name search, sort or page) are set. */
export const activeFilters = (q: DirectoryQuery) => [q.category, q.django, q.state, q.help].filter(Boolean).length;
