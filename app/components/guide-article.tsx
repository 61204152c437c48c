// One guide as readers see it: its title, who keeps it and when it was last reviewed (with a notice
// when that was more than 12 months ago), the sections, the text, and the ways to take part
// (history, suggest an edit, the feed). The guide's HTML comes from the site's safe Markdown.
import type { ReactNode } from "react";
import { Link } from "@remix-run/react";

export type GuideArticleProps = {
  guide: {
    slug: string;
    title: string;
    html: string;
    headings: { level: number; text: string; id: string }[];
    ownerLogin: string | null;
    ownerName: string | null;
    currentRevision: number;
    /** Formatted dates (the loader formats them). */
    lastReviewed: string;
    lastReviewedIso: string;
    reviewDue: string;
    due: boolean;
  };
  historyHref: string;
  suggestHref: string;
  reviewer?: boolean;
  /** 2 when the guide sits under the page's own h1 (the guides index): its title is then an h2. */
  level?: 1 | 2;
  /** Shown between the guide's details and its text (the index lists every guide there). */
  children?: ReactNode;
};

export function GuideArticle({ guide, historyHref, suggestHref, reviewer, level = 1, children }: GuideArticleProps) {
  const Title = level === 1 ? "h1" : "h2";
  const sections = guide.headings.filter((h) => h.level === 2);
  return (
    <article className="stack guide prose" aria-labelledby={`guide-${guide.slug}-title`}>
      <Title id={`guide-${guide.slug}-title`}>{guide.title}</Title>
      <p className="guide-meta muted">
        Kept by {guide.ownerLogin ? (guide.ownerName ?? guide.ownerLogin) : "the working group"} · Last reviewed{" "}
        <time dateTime={guide.lastReviewedIso}>{guide.lastReviewed}</time> ·{" "}
        <Link to={historyHref}>History (revision {guide.currentRevision})</Link> ·{" "}
        <Link to={suggestHref}>Suggest an edit</Link>
      </p>
      {guide.due ? (
        <p className="alert guide-due" role="note">
          <strong>Due for review.</strong> The working group last checked this guide on {guide.lastReviewed}, more than
          12 months ago: some details may have changed since.{" "}
          {reviewer ? <Link to={historyHref}>Review it now</Link> : <Link to={suggestHref}>Suggest a correction</Link>}
        </p>
      ) : null}
      {children}
      {sections.length > 2 ? (
        <nav aria-label={`Sections of ${guide.title}`} className="guide-toc">
          <ol>
            {sections.map((h) => (
              <li key={h.id}>
                <a href={`#${h.id}`}>{h.text}</a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      {/* Safe HTML: app/utils/markdown.server.ts renders no raw HTML and only http(s), mailto and site links. */}
      <div className="guide-body" dangerouslySetInnerHTML={{ __html: guide.html }} />
    </article>
  );
}
