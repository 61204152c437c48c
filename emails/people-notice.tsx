// The short notices of the people area (application outcomes, term renewals, nomination outcomes,
// transfers needing a roadie): a heading, a few paragraphs and at most one action link.
import type { ReactElement } from "react";
import { Heading, Link, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type PeopleNoticeProps = {
  appUrl: string;
  heading: string;
  paragraphs: string[];
  action?: { href: string; label: string };
  reason: string;
};

export function PeopleNotice({ appUrl, heading, paragraphs, action, reason }: PeopleNoticeProps) {
  return (
    <EmailLayout preview={heading} reason={reason} appUrl={appUrl}>
      <Heading as="h1" style={emailText.heading}>
        {heading}
      </Heading>
      {paragraphs.map((p) => (
        <Text key={p} style={emailText.paragraph}>
          {p}
        </Text>
      ))}
      {action ? (
        <Text style={emailText.paragraph}>
          <Link href={action.href} style={emailText.link}>
            {action.label}
          </Link>
        </Text>
      ) : null}
      <Text style={emailText.paragraph}>The Roadies working group</Text>
    </EmailLayout>
  );
}

export function peopleNotice(subject: string, props: PeopleNoticeProps): { subject: string; react: ReactElement } {
  return { subject, react: <PeopleNotice {...props} /> };
}

export default PeopleNotice;

PeopleNotice.PreviewProps = {
  appUrl: "http://127.0.0.1:3000",
  heading: "Your roadie term ends in 14 days",
  paragraphs: ["Thank you for your six months as a roadie. Would you like to stay on for another term?"],
  action: { href: "http://127.0.0.1:3000/terms/renew?token=example", label: "Stay on for another term" },
  reason: "You receive this because you are a roadie on Roadies.",
} satisfies PeopleNoticeProps;
