// Every email of the special-requests area: a heading, a few paragraphs and one link. For
// confidential requests the model passes only generic words: never a title, package or details.
import type { ReactElement } from "react";
import { Heading, Link, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type RequestNoticeProps = {
  appUrl: string;
  heading: string;
  paragraphs: string[];
  action: { href: string; label: string };
  reason: string;
};

export function RequestNotice({ appUrl, heading, paragraphs, action, reason }: RequestNoticeProps) {
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
      <Text style={emailText.paragraph}>
        <Link href={action.href} style={emailText.link}>
          {action.label}
        </Link>
      </Text>
      <Text style={emailText.paragraph}>The Roadies working group</Text>
    </EmailLayout>
  );
}

export function requestNotice(subject: string, props: RequestNoticeProps): { subject: string; react: ReactElement } {
  return { subject, react: <RequestNotice {...props} /> };
}

export default RequestNotice;

RequestNotice.PreviewProps = {
  appUrl: "http://127.0.0.1:3000",
  heading: "A confidential request is waiting for you",
  paragraphs: [
    "You have been assigned a new confidential request on Roadies. Its details are only shown on the site, to the people allowed to see it.",
  ],
  action: { href: "http://127.0.0.1:3000/requests/1", label: "Open the request" },
  reason: "You receive this because you are in one of the Roadies expert pools.",
} satisfies RequestNoticeProps;
