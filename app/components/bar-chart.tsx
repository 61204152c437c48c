// Bar charts drawn on the server (no script, CSP-safe), each with a caption and the same numbers in
// a table for anyone who prefers figures. The labels and values are HTML text at the page's own
// size, so they stay readable in a narrow card and on a phone; only each bar is a tiny SVG that
// stretches (an SVG with its text inside would scale the text down with the drawing).
import { useId } from "react";

export type Bar = { label: string; value: number; note?: string };

type Props = {
  title: string;
  caption: string;
  bars: Bar[];
  /** The largest value of the scale; defaults to the largest bar. */
  max?: number;
  unit?: string;
  columns: [string, string];
};

/** What a screen reader announces for the drawing: the title and every bar's label and value. */
export function chartDescription(title: string, bars: Bar[], unit = ""): string {
  if (bars.length === 0) return `${title}: no data yet.`;
  return `${title}: ${bars.map((b) => `${b.label} ${b.value}${unit}`).join(", ")}.`;
}

export function BarChart({ title, caption, bars, max, unit = "", columns }: Props) {
  const id = useId();
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value), 1);
  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        <strong>{title}</strong> {caption}
      </figcaption>
      <div className="chart-bars" role="img" aria-label={chartDescription(title, bars, unit)}>
        {bars.map((b) => {
          // Out of 1000 so that a small share still shows as a sliver.
          const width = b.value > 0 ? Math.max(Math.round((b.value / top) * 1000), 8) : 0;
          return (
            <div className="chart-row" key={b.label}>
              <span className="chart-label">{b.label}</span>
              <svg className="chart-track" viewBox="0 0 1000 10" preserveAspectRatio="none" aria-hidden="true">
                <rect x="0" y="0" width={width} height="10" className="chart-bar" />
              </svg>
              <span className="chart-value">
                {b.value}
                {unit}
              </span>
            </div>
          );
        })}
      </div>
      <details className="chart-data">
        <summary>Data table: {title}</summary>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{columns[0]}</th>
                <th scope="col">{columns[1]}</th>
              </tr>
            </thead>
            <tbody>
              {bars.map((b) => (
                <tr key={b.label}>
                  <th scope="row">{b.label}</th>
                  <td>
                    {b.value}
                    {unit}
                    {b.note ? <span className="muted"> ({b.note})</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
