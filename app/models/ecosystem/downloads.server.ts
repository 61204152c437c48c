// A package's downloads over the last 30 days, from pypistats.org's JSON API
// (GET /api/packages/<name>/recent → {"data": {"last_day", "last_week", "last_month"}, …}).
// pypistats.org updates its figures once a day and asks clients to be gentle: the sync asks at most
// once a day per package (DOWNLOADS_FRESH_MS) and spaces its requests (the pypistats pacer).
import { z } from "zod";
import { HOUR_MS } from "#app/utils/dates.ts";
import {
  FetchProblem,
  fetchWithRetry,
  readJson,
  type FetchSettings,
  type Pacer,
} from "#app/models/ecosystem/sync-http.server.ts";

/**
 * Figures fetched within this long are not asked for again. A little under a day, so a daily run
 * that starts a few minutes earlier than yesterday's still refreshes them.
 */
export const DOWNLOADS_FRESH_MS = 20 * HOUR_MS;

const recentJson = z.object({
  data: z.object({ last_month: z.number().int().nonnegative() }),
});

export type DownloadsAnswer = { status: "found"; lastMonth: number } | { status: "missing" };

/** The last 30 days' downloads of one package (its PEP 503 name, as pypistats.org stores it). */
export async function fetchRecentDownloads(
  baseUrl: string,
  normalizedName: string,
  pacer: Pacer,
  s: FetchSettings,
): Promise<DownloadsAnswer> {
  const response = await fetchWithRetry(
    `${baseUrl}/api/packages/${encodeURIComponent(normalizedName)}/recent`,
    { Accept: "application/json", "User-Agent": "Roadies package sync" },
    pacer,
    s,
  );
  if (response.status === 404) {
    await response.body?.cancel();
    return { status: "missing" };
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FetchProblem(`pypistats.org answered HTTP ${response.status}`);
  }
  const parsed = recentJson.safeParse(await readJson(response));
  if (!parsed.success) throw new FetchProblem("unexpected answer from pypistats.org");
  return { status: "found", lastMonth: parsed.data.data.last_month };
}
