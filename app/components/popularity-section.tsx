// The ecosystem review's popularity section: PyPI downloads (last 30 days) by declared Django
// support and by maintenance state, and the widely used packages at risk, with a roadie's one-step
// forms (nominate, ask the maintainers) that post without JavaScript.
import { Form, Link } from "@remix-run/react";
import { BarChart } from "#app/components/bar-chart.tsx";
import { FormErrors } from "#app/components/field.tsx";
import { formatCount } from "#app/components/package-figures.tsx";
import { atRiskReasonLabels, type AtRiskReason } from "#app/models/ecosystem/labels.ts";

type Share = { label: string; downloads: number; share: number };

export type PopularityData = {
  counted: number;
  totalDownloads: number;
  current: { version: string; share: number } | null;
  django: Share[];
  states: (Share & { state: string })[];
  popularCount: number;
  popularThreshold: number | null;
  atRisk: {
    name: string;
    normalizedName: string;
    downloadsLastMonth: number;
    rank: number;
    state: string;
    stateLabel: string;
    verifiedMaintainers: number;
    lastRelease: string | null;
    reasons: AtRiskReason[];
  }[];
};

export type TriageState = Record<
  string,
  { nominationId: number | null; checkinsAsked: number; checkinsAnswered: number }
>;

export function PopularitySection({
  popularity: p,
  total,
  triage,
  asked,
  errors,
}: {
  popularity: PopularityData;
  total: number;
  /** Only for roadies and the working group: what was done about each package already. */
  triage: TriageState | null;
  asked: string | null;
  errors: string[];
}) {
  return (
    <section className="stack popularity" aria-labelledby="popularity-heading">
      <h2 id="popularity-heading">Popularity and health</h2>
      {p.counted === 0 ? (
        <p>Download figures from PyPI have not been synced yet: they appear here after the next package sync.</p>
      ) : (
        <>
          <p>
            {p.counted} of the {total} tracked packages have a download figure: together{" "}
            <strong>{formatCount(p.totalDownloads)}</strong> downloads from PyPI over the last 30 days (pypistats.org,
            mirrors excluded).
            {p.current ? (
              <>
                {" "}
                <strong>{p.current.share}%</strong> of those downloads are of packages that declare Django{" "}
                {p.current.version}, the newest release.
              </>
            ) : null}
          </p>
          <div className="grid charts">
            <BarChart
              title="Downloads by declared Django support"
              caption="Share of the last 30 days' downloads that come from packages declaring each supported or upcoming release."
              bars={p.django.map((d) => ({
                label: `Django ${d.label}`,
                value: d.share,
                note: formatCount(d.downloads),
              }))}
              max={100}
              unit="%"
              columns={["Django release", "Share of downloads"]}
            />
            <BarChart
              title="Downloads by maintenance state"
              caption="Share of the last 30 days' downloads that go to packages in each maintenance state."
              bars={p.states.map((s) => ({ label: s.label, value: s.share, note: formatCount(s.downloads) }))}
              max={100}
              unit="%"
              columns={["State", "Share of downloads"]}
            />
          </div>
        </>
      )}
      <h3 id="at-risk">At risk and widely used</h3>
      <p>
        Widely used: the {p.popularCount} most downloaded packages
        {p.popularThreshold !== null ? ` (${formatCount(p.popularThreshold)} downloads or more in 30 days)` : ""}. At
        risk: one verified maintainer, no release in 12 months, or no declared support for the current Django.
      </p>
      {asked ? (
        <div className="alert" role="status">
          <p>The verified maintainers of {asked} were asked how it is doing. Their answer updates its state.</p>
        </div>
      ) : null}
      <FormErrors errors={errors} />
      {p.atRisk.length === 0 ? (
        <p>No widely used package is at risk by these rules.</p>
      ) : (
        <div className="table-scroll">
          <table className="at-risk-table">
            <caption className="visually-hidden">Widely used packages at risk, most downloaded first</caption>
            <thead>
              <tr>
                <th scope="col">Package</th>
                <th scope="col">Downloads (30 days)</th>
                <th scope="col">Why</th>
                <th scope="col">Maintenance</th>
                {triage ? <th scope="col">Act</th> : null}
              </tr>
            </thead>
            <tbody>
              {p.atRisk.map((a) => {
                const t = triage?.[a.normalizedName];
                return (
                  <tr key={a.normalizedName}>
                    <th scope="row">
                      <Link to={`/packages/${a.normalizedName}`}>{a.name}</Link>
                    </th>
                    <td className="number">
                      {formatCount(a.downloadsLastMonth)} <span className="muted">(#{a.rank})</span>
                    </td>
                    <td>
                      <ul className="plain-list">
                        {a.reasons.map((r) => (
                          <li key={r}>{atRiskReasonLabels[r]}</li>
                        ))}
                      </ul>
                    </td>
                    <td>
                      <span className={`tag state-${a.state}`}>{a.stateLabel}</span>
                    </td>
                    {triage ? (
                      <td className="at-risk-actions">
                        {t?.nominationId ? (
                          <Link to={`/admin/nominations/${t.nominationId}`} aria-label={`Nominated: ${a.name}`}>
                            Nominated
                          </Link>
                        ) : (
                          <Form method="post" action="/ecosystem">
                            <input type="hidden" name="package" value={a.normalizedName} />
                            <button type="submit" name="intent" value="nominate" className="button button-secondary">
                              Nominate<span className="visually-hidden"> {a.name}</span>
                            </button>
                          </Form>
                        )}
                        {a.verifiedMaintainers === 0 ? (
                          <span className="muted">No verified maintainer to ask</span>
                        ) : t?.checkinsAsked ? (
                          <span className="muted">
                            Asked this quarter ({t.checkinsAnswered} of {t.checkinsAsked} answered)
                          </span>
                        ) : (
                          <Form method="post" action="/ecosystem">
                            <input type="hidden" name="package" value={a.normalizedName} />
                            <button type="submit" name="intent" value="checkin" className="button button-secondary">
                              Ask the maintainers<span className="visually-hidden"> of {a.name}</span>
                            </button>
                          </Form>
                        )}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
