// A guide as the pages show it: its text rendered with heading anchors, its dates formatted.
import { renderMarkdownDocument } from "#app/utils/markdown.server.ts";
import { formatDate, isoDay } from "#app/utils/dates.ts";
import type { GuideWithText } from "#app/models/guides/guides.server.ts";
import { guidePath } from "#app/models/guides/paths.ts";

/** `embedded`: shown under the page's own h1 and h2 (the guides index), so its sections are h3. */
export function guideView(guide: GuideWithText, { embedded = false }: { embedded?: boolean } = {}) {
  const { html, headings } = renderMarkdownDocument(guide.body, { headingOffset: embedded ? 1 : 0 });
  return {
    slug: guide.slug,
    title: guide.title,
    summary: guide.summary,
    href: guidePath(guide.slug),
    html,
    headings,
    ownerLogin: guide.ownerLogin,
    ownerName: guide.ownerName,
    currentRevision: guide.currentRevision,
    lastReviewed: formatDate(guide.lastReviewedAt),
    lastReviewedIso: isoDay(guide.lastReviewedAt),
    reviewDue: formatDate(guide.reviewDueAt),
    due: guide.due,
  };
}
