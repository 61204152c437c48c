// /transfers/:id: the ownership transfer checklist, worked by maintainer, successor and roadie.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import {
  requireTransferViewer,
  saveHandoffNotes,
  setStep,
  volunteerToShepherd,
} from "#app/models/requests/transfers.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { invariantResponse } from "#app/utils/http.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";

const partyLabels = { maintainer: "Current maintainer", successor: "Successor", roadie: "Roadie" } as const;

export const meta: MetaFunction = () => [{ title: "Ownership transfer · Roadies" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { transfer, parties, canTick, isRoadie } = await requireTransferViewer(request, params.id);
  const { successor, roadie, maintainers, ...rest } = transfer;
  return {
    transfer: {
      ...rest,
      successor: successor ? { login: successor.login, name: successor.name } : null,
      roadie: roadie ? { login: roadie.login, name: roadie.name } : null,
      maintainers: maintainers.map((m) => m.login),
    },
    parties,
    canTick,
    canShepherd: isRoadie && !transfer.roadieUserId && transfer.status === "in_progress",
  };
}

type Viewer = Awaited<ReturnType<typeof requireTransferViewer>>;

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireTransferViewer(request, params.id);
  const form = await readFormData(request);
  const intent = form.get("intent");
  switch (intent) {
    case "shepherd":
      return shepherd(viewer);
    case "tick":
    case "untick":
      return tick(requireTicker(viewer), form, intent === "tick");
    case "notes":
      return saveNotes(requireTicker(viewer), form);
    default:
      requireTicker(viewer);
      invariantResponse(false, "Unknown action.");
  }
}

/** Only the parties of the transfer work its checklist; others may only look (or volunteer). */
function requireTicker(viewer: Viewer) {
  invariantResponse(viewer.canTick, "Forbidden", { status: 403 });
  return viewer;
}

async function shepherd({ user, transfer }: Viewer) {
  if (!(await volunteerToShepherd(user.id, transfer.id)))
    return data(
      { error: "Another roadie already took this transfer, or you are not an active roadie." },
      { status: 409 },
    );
  return redirect(`/transfers/${transfer.id}`);
}

async function tick({ user, transfer }: Viewer, form: FormData, done: boolean) {
  const result = await setStep(user.id, transfer, String(form.get("step") ?? ""), done);
  if (!result.ok)
    return data(
      { error: result.reason === "closed" ? "This transfer is finished." : "Unknown step." },
      { status: 400 },
    );
  return redirect(`/transfers/${transfer.id}`);
}

async function saveNotes({ user, transfer }: Viewer, form: FormData) {
  const notes = String(form.get("handoffNotes") ?? "").trim();
  if (notes.length > 20_000) return data({ error: "Keep the handoff notes under 20,000 characters." }, { status: 400 });
  await saveHandoffNotes(user.id, transfer, notes);
  return redirect(`/transfers/${transfer.id}`);
}

export default function TransferPage() {
  const { transfer: t, parties, canTick, canShepherd } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const done = t.steps.filter((s) => s.doneAt).length;
  return (
    <section className="stack">
      <p>
        <Link to={`/calls/${t.callId}`}>← {t.callTitle}</Link>
      </p>
      <h1>Ownership transfer of {t.packageName}</h1>
      {result && "error" in result ? (
        <div className="alert alert-error" role="alert">
          <p>{result.error}</p>
        </div>
      ) : null}
      {t.status === "completed" ? (
        <div className="alert" role="status">
          <p>
            Transfer complete{t.completedAt ? ` on ${formatDateTime(t.completedAt)}` : ""}. The call is marked filled.
          </p>
        </div>
      ) : null}
      <dl className="facts">
        <dt>Current maintainers</dt>
        <dd>{t.maintainers.length ? t.maintainers.map((m) => `@${m}`).join(", ") : "None verified"}</dd>
        <dt>Successor</dt>
        <dd>
          {t.successor ? <Link to={`/people/${t.successor.login}`}>@{t.successor.login}</Link> : "A former member"}
        </dd>
        <dt>Roadie</dt>
        <dd>{t.roadie ? <Link to={`/people/${t.roadie.login}`}>@{t.roadie.login}</Link> : "Nobody yet"}</dd>
        <dt>You are</dt>
        <dd>{parties.length ? parties.map((p) => partyLabels[p]).join(", ") : "Following along"}</dd>
      </dl>
      {canShepherd ? (
        <Form method="post">
          <button type="submit" name="intent" value="shepherd" className="button">
            Shepherd this transfer
          </button>
        </Form>
      ) : null}
      <h2>
        Checklist ({done} of {t.steps.length} done)
      </h2>
      <ol className="checklist">
        {t.steps.map((s) => (
          <li key={s.id} className={s.doneAt ? "step-done" : undefined}>
            <div>
              <strong>{s.label}</strong>
              <p className="muted">
                {partyLabels[s.responsible]}
                {s.doneAt ? ` · ticked by @${s.doneBy} on ${formatDateTime(s.doneAt)}` : " · not done yet"}
              </p>
            </div>
            {canTick && t.status === "in_progress" ? (
              <Form method="post">
                <input type="hidden" name="step" value={s.id} />
                <button
                  type="submit"
                  name="intent"
                  value={s.doneAt ? "untick" : "tick"}
                  className={s.doneAt ? "link-button" : "button button-small"}
                >
                  {s.doneAt ? `Undo “${s.label}”` : `Mark “${s.label}” done`}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ol>
      <h2>Handoff notes</h2>
      {t.handoffNotesHtml ? (
        <div className="prose" dangerouslySetInnerHTML={{ __html: t.handoffNotesHtml }} />
      ) : (
        <p className="muted">No notes yet.</p>
      )}
      {canTick ? (
        <Form method="post" className="stack">
          <div className="field">
            <label htmlFor="handoffNotes">Edit handoff notes (Markdown)</label>
            <textarea id="handoffNotes" name="handoffNotes" rows={8} defaultValue={t.handoffNotes} />
          </div>
          <button type="submit" name="intent" value="notes" className="button button-secondary">
            Save notes
          </button>
        </Form>
      ) : null}
    </section>
  );
}
