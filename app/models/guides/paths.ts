// Where a guide lives. The best-practices guide is the guides index itself (/guides), so the links
// the best-practice checks and compatibility drives have always used (/guides#classifiers) keep
// working; every other guide is /guides/<slug>. Pure: pages and emails share it.

/** The guide shown on /guides, under the list of all guides. */
export const INDEX_GUIDE_SLUG = "best-practices";

/** The page of a guide, with an optional section anchor. */
export function guidePath(slug: string, anchor?: string): string {
  const path = slug === INDEX_GUIDE_SLUG ? "/guides" : `/guides/${slug}`;
  return anchor ? `${path}#${anchor}` : path;
}

/** The guide slug and anchor a site link points at (`/guides#naming`, `/guides/security#deadlines`), or null. */
export function parseGuideLink(href: string): { slug: string; anchor: string | null } | null {
  const match = /^\/guides(?:\/([a-z0-9-]+))?\/?(?:#([A-Za-z0-9_-]+))?$/.exec(href);
  if (!match) return null;
  return { slug: match[1] ?? INDEX_GUIDE_SLUG, anchor: match[2] ?? null };
}

export const suggestionPath = (id: number) => `/guides/suggestions/${id}`;

/**
 * Every section of a guide that the site links to (the best-practice checks in
 * app/models/packages/health.server.ts, the compatibility drives): the one list, so a suggestion
 * that removes one of these anchors is refused and tests/integration/guides-anchors.test.ts checks
 * each exists in the current text. Link to a section through here, never with a literal URL.
 */
export const guideLinks = {
  supportedVersions: guidePath(INDEX_GUIDE_SLUG, "supported-versions"),
  ci: guidePath(INDEX_GUIDE_SLUG, "ci"),
  preReleases: guidePath(INDEX_GUIDE_SLUG, "pre-releases"),
  djangoUpgrade: guidePath(INDEX_GUIDE_SLUG, "django-upgrade"),
  classifiers: guidePath(INDEX_GUIDE_SLUG, "classifiers"),
  trustedPublishing: guidePath(INDEX_GUIDE_SLUG, "trusted-publishing"),
  naming: guidePath(INDEX_GUIDE_SLUG, "naming"),
  coMaintainers: guidePath(INDEX_GUIDE_SLUG, "co-maintainers"),
} as const;

/** The anchors of one guide that the site links to. */
export function linkedAnchors(slug: string): string[] {
  return Object.values(guideLinks).flatMap((href) => {
    const link = parseGuideLink(href);
    return link && link.slug === slug && link.anchor ? [link.anchor] : [];
  });
}
