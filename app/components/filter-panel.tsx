// Filters that fold away on a phone: a <details> disclosure inside a GET form, so it opens and
// closes with or without JavaScript. It is open when a filter is active; from 700 px up its fields
// are always shown and the toggle hidden (app.css, for browsers that style ::details-content; in
// the others the script opens it on a wide screen).
import { useEffect, useRef, type ReactNode } from "react";

const WIDE = "(min-width: 43.76rem)";

export function FilterPanel({
  activeCount,
  label = "More filters",
  children,
}: {
  /** How many of the panel's filters are set now: a panel with any set starts open. */
  activeCount: number;
  label?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (ref.current && window.matchMedia(WIDE).matches) ref.current.open = true;
  }, []);
  return (
    <details className="filter-panel" open={activeCount > 0 || undefined} ref={ref}>
      <summary>
        {label}
        {activeCount > 0 ? ` (${activeCount} set)` : null}
      </summary>
      <div className="filter-panel-body">{children}</div>
    </details>
  );
}
