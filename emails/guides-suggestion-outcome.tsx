// The outcome of an edit someone suggested to a guide: accepted (published as a new revision,
// crediting them) or declined with the reviewer's reason.
import type { ReactElement } from "react";
import { Heading, Link, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type GuideSuggestionOutcomeProps = {
  appUrl: string;
  name: string;
  guideTitle: string;
  /** The note the author wrote with the suggestion. */
  note: string;
  suggestionUrl: string;
  guideUrl: string;
} & ({ outcome: "accepted"; revision: number } | { outcome: "declined"; reason: string });

export function GuideSuggestionOutcome(props: GuideSuggestionOutcomeProps) {
  const heading = props.outcome === "accepted" ? "Your suggestion is published" : "Your suggestion was declined";
  return (
    <EmailLayout
      preview={`${heading}: ${props.guideTitle}`}
      reason="You receive this because you suggested an edit to a Roadies guide. You can switch these emails off in your notification settings."
      appUrl={props.appUrl}
    >
      <Heading as="h1" style={emailText.heading}>
        {heading}
      </Heading>
      <Text style={emailText.paragraph}>Hello {props.name},</Text>
      <Text style={emailText.paragraph}>
        You suggested an edit to the guide “{props.guideTitle}” (“{props.note}”).
      </Text>
      {props.outcome === "accepted" ? (
        <Text style={emailText.paragraph}>
          A reviewer accepted it: it is now revision {props.revision} of the guide, credited to you.{" "}
          <Link href={props.guideUrl}>Read the guide</Link>.
        </Text>
      ) : (
        <Text style={emailText.paragraph}>A reviewer declined it, with this reason: {props.reason}</Text>
      )}
      <Text style={emailText.paragraph}>
        <Link href={props.suggestionUrl}>See your suggestion and its comments</Link>.
      </Text>
      <Text style={emailText.paragraph}>Thank you for helping keep the guides current. The Roadies working group</Text>
    </EmailLayout>
  );
}

export function guideSuggestionOutcomeEmail(props: GuideSuggestionOutcomeProps): {
  subject: string;
  react: ReactElement;
} {
  const subject =
    props.outcome === "accepted"
      ? `Published: your suggestion to “${props.guideTitle}”`
      : `Declined: your suggestion to “${props.guideTitle}”`;
  return { subject, react: <GuideSuggestionOutcome {...props} /> };
}

export default GuideSuggestionOutcome;

GuideSuggestionOutcome.PreviewProps = {
  appUrl: "http://127.0.0.1:3000",
  name: "Ana",
  guideTitle: "Handling a vulnerability report",
  note: "Mention GitHub's private vulnerability reporting in SECURITY.md",
  suggestionUrl: "http://127.0.0.1:3000/guides/suggestions/1",
  guideUrl: "http://127.0.0.1:3000/guides/security",
  outcome: "accepted",
  revision: 2,
} satisfies GuideSuggestionOutcomeProps;
