// Bar charts drawn on the server as SVG (no script, CSP-safe), each with a caption and the same
// numbers in a table for screen readers and for anyone who prefers figures.
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

const ROW = 28;
const LABEL = 120;
const WIDTH = 560;
const VALUE = 70;

export function BarChart({ title, caption, bars, max, unit = "", columns }: Props) {
  const id = useId();
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value), 1);
  const plot = WIDTH - LABEL - VALUE;
  const height = bars.length * ROW + 8;
  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        <strong>{title}</strong> {caption}
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-caption`}
        className="chart-svg"
        preserveAspectRatio="xMinYMin meet"
      >
        {bars.map((b, i) => {
          const y = i * ROW + 4;
          const w = Math.round((b.value / top) * plot);
          return (
            <g key={b.label}>
              <text x={LABEL - 8} y={y + ROW / 2 + 4} textAnchor="end" className="chart-label">
                {b.label}
              </text>
              <rect
                x={LABEL}
                y={y + 4}
                width={Math.max(w, b.value > 0 ? 2 : 0)}
                height={ROW - 10}
                className="chart-bar"
              />
              <text x={LABEL + w + 6} y={y + ROW / 2 + 4} className="chart-value">
                {b.value}
                {unit}
              </text>
            </g>
          );
        })}
      </svg>
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
