import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { BarChart } from "#app/components/bar-chart.tsx";
import { useNotices } from "#app/components/notices.ts";
import { ecosystemReview } from "#app/models/ecosystem/ecosystem.server.ts";
import { atRiskActions } from "#app/models/ecosystem/popularity.server.ts";
import { checkinAtRisk, nominateAtRisk } from "#app/models/ecosystem/at-risk.server.ts";
import { atRiskActionSchema } from "#app/models/ecosystem/at-risk-forms.ts";
import { PopularitySection } from "#app/components/popularity-section.tsx";
import { EcosystemSurveys } from "#app/components/ecosystem-surveys.tsx";
import { surveysForReview } from "#app/models/surveys/results.server.ts";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { isRoadieOrWorkingGroup, requireRoadieOrWorkingGroup } from "#app/models/people/roadies.server.ts";
import { nominateRule } from "#app/models/calls/nominations.server.ts";
import { hitRateLimit } from "#app/utils/rate-limit.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

export const meta: MetaFunction = () => [{ title: "Ecosystem review · Roadies" }];

// [directory] A refused one-step action (409) shows the page as it is now.
export const shouldRevalidate = revalidateAfterConflict;

export async function loader({ request }: LoaderFunctionArgs) {
  // Each chain of reads starts at once, so that their reads go out together (db.server.ts).
  const reviewing = ecosystemReview();
  // [directory] Roadies and the working group act on the at-risk list: they see its state.
  const triaging = Promise.all([reviewing, getCurrentUser(request)]).then(async ([review, user]) =>
    user && (await isRoadieOrWorkingGroup(user)) ? atRiskActions(review.popularity.atRisk) : null,
  );
  const [review, triage, surveys] = await Promise.all([reviewing, triaging, surveysForReview()]);
  // The notice after asking names a package of the list, never text from the address.
  const askedName = new URL(request.url).searchParams.get("asked");
  const asked = review.popularity.atRisk.find((a) => a.normalizedName === askedName)?.name ?? null;
  return { ...review, triage, asked, surveys };
}

// [directory] A roadie nominates an at-risk package, or asks its maintainers now, in one step.
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRoadieOrWorkingGroup(request);
  const submission = parseWithZod(await readFormData(request), { schema: atRiskActionSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const { intent, package: name } = submission.value;
  switch (intent) {
    case "nominate": {
      const limit = await hitRateLimit(nominateRule, `user:${user.id}`);
      if (!limit.allowed) {
        return data(submission.reply({ formErrors: ["You have nominated many packages today: try again tomorrow."] }), {
          status: 429,
        });
      }
      const result = await nominateAtRisk(user.id, name);
      if (!result.ok) return refused(submission, result.problem);
      return redirect(`/admin/nominations/${result.nominationId}`);
    }
    case "checkin": {
      const result = await checkinAtRisk(user.id, name);
      if (!result.ok) return refused(submission, result.problem);
      return redirect(`/ecosystem?asked=${encodeURIComponent(name)}#at-risk`);
    }
  }
}

const problems = {
  "no-package": "Roadies does not track that package.",
  "not-at-risk": "That package is no longer at risk by these rules: reload the page.",
  "no-maintainer": "Nobody has verified this package on Roadies, so there is no one to ask: nominate it instead.",
} as const;

function refused(submission: { reply: (o: { formErrors: string[] }) => unknown }, problem: keyof typeof problems) {
  return data(submission.reply({ formErrors: [problems[problem]] }), { status: 409 });
}

export default function Ecosystem() {
  const r = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const notices = { asked: useNotices(new URLSearchParams(r.asked ? { asked: r.asked } : {})).get("asked") };
  const monthLabel = (m: string) => m;
  return (
    <section className="stack ecosystem">
      <h1>Ecosystem review</h1>
      <p>
        How the {r.total} packages tracked on Roadies are doing, from their PyPI and GitHub metadata and from activity
        on Roadies. Support is what packages <em>declare</em> in their classifiers, which often lags behind what works.
        Figures as of {r.generatedOn}.
      </p>
      <p>
        Download the numbers: <a href="/ecosystem.csv">CSV</a> · <a href="/ecosystem.json">JSON</a> ·{" "}
        <Link to="/reports">monthly reports</Link>
      </p>
      <div className="grid charts">
        <BarChart
          title="Declared Django support"
          caption={`Share of the ${r.total} tracked packages that declare each supported or upcoming Django release.`}
          bars={r.django.map((s) => ({ label: `Django ${s.label}`, value: s.share, note: `${s.count} of ${s.total}` }))}
          max={100}
          unit="%"
          columns={["Django release", "Share of packages"]}
        />
        <BarChart
          title="Declared Python support"
          caption={`Share of the ${r.total} tracked packages that declare each Python version.`}
          bars={r.python.map((s) => ({ label: `Python ${s.label}`, value: s.share, note: `${s.count} of ${s.total}` }))}
          max={100}
          unit="%"
          columns={["Python version", "Share of packages"]}
        />
        <BarChart
          title="Maintenance states"
          caption="Number of packages in each maintenance state (see a package's page for the rule that decided it)."
          bars={r.states.map((s) => ({ label: s.label, value: s.count, note: `${s.share}%` }))}
          columns={["State", "Packages"]}
        />
        <BarChart
          title="Calls opened per month"
          caption="Calls for help posted on Roadies in each of the last 12 months."
          bars={r.perMonth.map((m) => ({ label: monthLabel(m.month), value: m.opened }))}
          columns={["Month", "Calls opened"]}
        />
        <BarChart
          title="Calls filled per month"
          caption="Calls for help that found someone, per month."
          bars={r.perMonth.map((m) => ({ label: monthLabel(m.month), value: m.filled }))}
          columns={["Month", "Calls filled"]}
        />
        <BarChart
          title="Transfers completed per month"
          caption="Packages handed over to a new maintainer through a call."
          bars={r.perMonth.map((m) => ({ label: monthLabel(m.month), value: m.transfers }))}
          columns={["Month", "Transfers"]}
        />
      </div>
      <PopularitySection
        popularity={r.popularity}
        total={r.total}
        triage={r.triage}
        asked={notices.asked}
        errors={(actionData as { error?: { ""?: string[] } } | undefined)?.error?.[""] ?? []}
      />
      <div className="card">
        <h2>Over the last 12 months</h2>
        <ul>
          <li>
            Calls filled: <strong>{r.callsFilledInYear}</strong>
          </li>
          <li>
            Median time to fill a call:{" "}
            <strong>{r.medianDaysToFill === null ? "no call filled yet" : `${r.medianDaysToFill} days`}</strong>
          </li>
          <li>
            Transfers completed: <strong>{r.transfersInYear}</strong>
          </li>
          {r.drives.map((d) => (
            <li key={d.version}>
              <Link to={`/compat/${d.version}`}>Django {d.version} compatibility</Link>:{" "}
              <strong>
                {d.ready} of {d.total}
              </strong>{" "}
              packages ready
            </li>
          ))}
        </ul>
      </div>
      <EcosystemSurveys surveys={r.surveys} />
    </section>
  );
}
