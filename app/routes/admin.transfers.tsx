// /admin/transfers: ownership transfers, those without a roadie first, and each roadie's load.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRoadieOrWorkingGroup } from "#app/models/people/roadies.server.ts";
import { listTransfers, roadieLoads } from "#app/models/requests/transfers.server.ts";
import { transferSteps } from "#app/models/requests/transfer-forms.ts";

export const meta: MetaFunction = () => [{ title: "Transfers · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // The lists are read beside the check (one round trip less) and shown only if it passes.
  const lists = Promise.all([listTransfers(), roadieLoads()]);
  lists.catch(() => undefined);
  await requireRoadieOrWorkingGroup(request);
  const [all, loads] = await lists;
  return {
    needing: all.filter((t) => t.status === "in_progress" && !t.roadieUserId),
    inProgress: all.filter((t) => t.status === "in_progress" && t.roadieUserId),
    completed: all.filter((t) => t.status === "completed").slice(-20),
    loads: loads.map((l) => ({ login: l.login, activeTransfers: l.activeTransfers })),
  };
}

type Row = {
  id: number;
  packageName: string;
  callTitle: string;
  status: string;
  stepsDone: number;
  confirmations: number;
};

/** Where an open transfer stands: steps ticked by their parties, then the two confirmations. */
function stage(t: Row) {
  if (t.status !== "in_progress") return null;
  if (t.stepsDone < transferSteps.length) return `${t.stepsDone} of ${transferSteps.length} steps ticked`;
  return `every step ticked, ${t.confirmations} of 2 confirmations`;
}

function TransferList({ rows, empty }: { rows: Row[]; empty: string }) {
  if (!rows.length) return <p>{empty}</p>;
  return (
    <ul>
      {rows.map((t) => (
        <li key={t.id}>
          <Link to={`/transfers/${t.id}`}>{t.packageName}</Link> · {t.callTitle}
          {stage(t) ? <span className="muted"> · {stage(t)}</span> : null}
        </li>
      ))}
    </ul>
  );
}

export default function Transfers() {
  const { needing, inProgress, completed, loads } = useLoaderData<typeof loader>();
  return (
    <section className="stack">
      <p>
        <Link to="/admin">← Working group</Link>
      </p>
      <h1>Ownership transfers</h1>
      <h2>Needing a roadie</h2>
      <TransferList rows={needing} empty="Every transfer has a roadie." />
      <h2>In progress</h2>
      <TransferList rows={inProgress} empty="None." />
      <h2>Completed</h2>
      <TransferList rows={completed} empty="None yet." />
      <h2>Roadies&rsquo; load</h2>
      <p className="muted">
        After 7 days without a roadie, a transfer is offered to the roadie with the fewest, then to all.
      </p>
      <ul>
        {loads.map((l) => (
          <li key={l.login}>
            @{l.login}: {l.activeTransfers} active
          </li>
        ))}
      </ul>
    </section>
  );
}
