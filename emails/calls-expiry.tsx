// To a call's maintainers, seven days before it expires: keep it open in one click, or close it.
import type { ReactElement } from "react";
import { Heading, Link, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type CallExpiryEmailProps = {
  appUrl: string;
  callId: number;
  callTitle: string;
  packageName: string;
  expiresOn: string;
  renewUrl: string;
};

export function CallExpiryEmail(props: CallExpiryEmailProps) {
  const base = props.appUrl.replace(/\/$/, "");
  return (
    <EmailLayout
      preview={`Your call for ${props.packageName} expires on ${props.expiresOn}`}
      reason={`You receive this because you are a verified maintainer of ${props.packageName} on Roadies. We send it once per expiry date.`}
      appUrl={base}
    >
      <Heading as="h1" style={emailText.heading}>
        “{props.callTitle}” expires on {props.expiresOn}
      </Heading>
      <Text style={emailText.paragraph}>
        Calls expire so that the list stays true. If {props.packageName} still needs this help, keep the call open for
        90 more days; no sign-in needed.
      </Text>
      <Text style={emailText.paragraph}>
        <Link href={props.renewUrl} style={emailText.link}>
          Keep it open 90 more days
        </Link>
      </Text>
      <Text style={emailText.paragraph}>
        Found someone, or no longer need help?{" "}
        <Link href={`${base}/calls/${props.callId}/manage`} style={emailText.link}>
          Close the call and record the outcome
        </Link>
        .
      </Text>
    </EmailLayout>
  );
}

export function callExpiryEmail(props: CallExpiryEmailProps): { subject: string; react: ReactElement } {
  return {
    subject: `Your call for ${props.packageName} expires on ${props.expiresOn}`,
    react: <CallExpiryEmail {...props} />,
  };
}

export default CallExpiryEmail;

CallExpiryEmail.PreviewProps = {
  appUrl: "http://127.0.0.1:3000",
  callId: 1,
  callTitle: "Co-maintainer for releases",
  packageName: "django-filter",
  expiresOn: "2026-12-01",
  renewUrl: "http://127.0.0.1:3000/calls/1/renew?token=x",
} satisfies CallExpiryEmailProps;
