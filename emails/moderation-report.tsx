// The outcome of something a person reported: what the working group did, and its note.
import type { ReactElement } from "react";
import { Heading, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type ModerationReportProps = {
  appUrl: string;
  /** "call", "profile", "comment" or "message". */
  what: string;
  /** The day it was reported, formatted. */
  reportedOn: string;
  outcome: "handled" | "declined";
  note: string;
};

export function ModerationReport({ appUrl, what, reportedOn, outcome, note }: ModerationReportProps) {
  const heading = outcome === "handled" ? "We acted on your report" : "We looked at your report";
  return (
    <EmailLayout preview={heading} reason="You receive this because you reported something on Roadies." appUrl={appUrl}>
      <Heading as="h1" style={emailText.heading}>
        {heading}
      </Heading>
      <Text style={emailText.paragraph}>
        On {reportedOn} you reported a {what}.{" "}
        {outcome === "handled"
          ? "The working group looked at it and acted on it."
          : "The working group looked at it and decided to take no action."}
      </Text>
      <Text style={emailText.paragraph}>Their note: {note}</Text>
      <Text style={emailText.paragraph}>Thank you for telling us. The Roadies working group</Text>
    </EmailLayout>
  );
}

export function moderationReportEmail(props: ModerationReportProps): { subject: string; react: ReactElement } {
  const subject = props.outcome === "handled" ? "Your report: we acted on it" : "Your report: no action taken";
  return { subject, react: <ModerationReport {...props} /> };
}

export default ModerationReport;

ModerationReport.PreviewProps = {
  appUrl: "http://127.0.0.1:3000",
  what: "call",
  reportedOn: "12 January 2026",
  outcome: "handled",
  note: "The call was spam; we hid it and suspended the account.",
} satisfies ModerationReportProps;
