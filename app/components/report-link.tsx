// The "Report" control next to a call, a profile, a comment or an interest's message: a plain link
// to the report form (/report/:type/:id), so it works without JavaScript.
import { Link } from "@remix-run/react";

type Props = {
  type: "call" | "profile" | "comment" | "interest" | "message";
  /** The object's id, or the login for a profile. */
  id: string | number;
  /** What a screen reader hears after "Report", e.g. "this call" or "@ada's comment". */
  what: string;
};

export function ReportLink({ type, id, what }: Props) {
  return (
    <Link to={`/report/${type}/${id}`} className="report-link">
      Report<span className="visually-hidden"> {what}</span>
    </Link>
  );
}
