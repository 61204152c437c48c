// The package page's health section: maintenance state and its rule, explained signals, the
// best-practice check and per-release compatibility (with the maintainers' report form). Its links are
// plain <a href>s: the package page routes them (link-clicks.tsx).
import { Form } from "@remix-run/react";
import { appLink } from "#app/components/link-clicks.tsx";
import { isoDay } from "#app/utils/dates.ts";
import { stateLabels } from "#app/models/packages/labels.ts";

type Level = "good" | "warning" | "problem" | "info";
export type PackageHealthData = {
  packageName: string;
  state: "healthy" | "needs_attention" | "dormant" | "archived" | "unknown";
  rule: string;
  signals: { id: string; label: string; level: Level; detail: string }[];
  practices: { id: string; label: string; passed: boolean; detail: string; guide: string }[];
  compat: { version: string; status: string; reported: string | null; upcoming: boolean }[];
  canReport: boolean;
  syncedAt: number | null;
};

const levelLabels: Record<Level, string> = { good: "Good", warning: "Watch", problem: "Problem", info: "Note" };
const compatLabels: Record<string, string> = {
  declared: "Declared",
  compatible: "Compatible (reported)",
  in_progress: "In progress",
  needs_help: "Needs help",
  not_planned: "Not planned",
  maybe: "Maybe",
  unknown: "Unknown",
};
const reportOptions = [
  ["none", "No report"],
  ["compatible", "Compatible"],
  ["in_progress", "In progress"],
  ["needs_help", "Needs help"],
  ["not_planned", "Not planned"],
] as const;

export function PackageHealth({ health }: { health: PackageHealthData }) {
  const passed = health.practices.filter((p) => p.passed).length;
  return (
    <section className="stack package-health" aria-labelledby="health-heading">
      <h2 id="health-heading">Health</h2>
      <p>
        Maintenance state: <strong className={`tag state-${health.state}`}>{stateLabels[health.state]}</strong>{" "}
        <span>{health.rule}</span>
      </p>
      <ul className="signals">
        {health.signals.map((s) => (
          <li key={s.id} className={`signal signal-${s.level}`}>
            <span className={`tag level-${s.level}`}>{levelLabels[s.level]}</span> <strong>{s.label}</strong>
            {`: ${s.detail}`}
          </li>
        ))}
      </ul>
      <p className="muted">
        {health.syncedAt
          ? `Metadata from PyPI and GitHub, last synced ${isoDay(health.syncedAt)}.`
          : "Metadata from PyPI and GitHub has not been synced yet."}
      </p>

      <h3>Best-practice check</h3>
      <p>{`${passed} of ${health.practices.length} met.`}</p>
      <ul className="practices">
        {health.practices.map((p) => (
          <li key={p.id}>
            <span className={p.passed ? "tag level-good" : "tag level-warning"}>{p.passed ? "Yes" : "Not yet"}</span>{" "}
            <strong>{p.label}</strong>
            {`: ${p.detail} `}
            <a {...appLink} href={p.guide}>
              Why and how
            </a>
          </li>
        ))}
      </ul>

      <h3>Django compatibility</h3>
      <div className="table-scroll">
        <table>
          <caption>Status for each supported or upcoming Django release</caption>
          <thead>
            <tr>
              <th scope="col">Django</th>
              <th scope="col">Status</th>
              {health.canReport ? <th scope="col">Your report</th> : null}
            </tr>
          </thead>
          <tbody>
            {health.compat.map((c) => (
              <tr key={c.version}>
                <th scope="row">
                  <a {...appLink} href={`/compat/${c.version}`}>
                    {c.upcoming ? `${c.version} (upcoming)` : c.version}
                  </a>
                </th>
                <td>
                  <span className={`tag compat-${c.status}`}>{compatLabels[c.status]}</span>
                  {c.status === "needs_help" ? (
                    <>
                      {" "}
                      <a
                        {...appLink}
                        href={`/calls/new?package=${encodeURIComponent(health.packageName)}&kind=django-compat&django=${encodeURIComponent(c.version)}`}
                      >
                        Post a compatibility call
                      </a>
                    </>
                  ) : null}
                </td>
                {health.canReport ? (
                  <td>
                    <Form
                      method="post"
                      action={`/packages/${health.packageName}/compatibility`}
                      className="inline-form"
                    >
                      <input type="hidden" name="version" value={c.version} />
                      <label htmlFor={`compat-${c.version}`} className="visually-hidden">
                        Status for Django {c.version}
                      </label>
                      <select id={`compat-${c.version}`} name="status" defaultValue={c.reported ?? "none"}>
                        {reportOptions.map(([value, label]) => (
                          <option key={value} value={value}>
                            {label}
                          </option>
                        ))}
                      </select>{" "}
                      <button type="submit" className="button button-small button-secondary">
                        Save<span className="visually-hidden"> status for Django {c.version}</span>
                      </button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
