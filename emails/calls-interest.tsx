// To a package's maintainers, at once: someone pressed "I'm interested" on their call.
import type { ReactElement } from "react";
import { Heading, Link, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type CallInterestEmailProps = {
  appUrl: string;
  callId: number;
  callTitle: string;
  packageName: string;
  volunteerLogin: string;
  volunteerName: string | null;
  message: string;
  /** The volunteer's address when they chose to share it (it is also the Reply-To). */
  sharedEmail: string | null;
};

export function CallInterestEmail(props: CallInterestEmailProps) {
  const base = props.appUrl.replace(/\/$/, "");
  const who = props.volunteerName ? `${props.volunteerName} (@${props.volunteerLogin})` : `@${props.volunteerLogin}`;
  return (
    <EmailLayout
      preview={`${who} is interested in “${props.callTitle}”`}
      reason={`You receive this because you are a verified maintainer of ${props.packageName} on Roadies and posted this call.`}
      appUrl={base}
    >
      <Heading as="h1" style={emailText.heading}>
        {who} would like to help with {props.packageName}
      </Heading>
      <Text style={emailText.paragraph}>They answered your call “{props.callTitle}” with this message:</Text>
      {props.message.split(/\n+/).map((line, i) => (
        <Text key={i} style={emailText.paragraph}>
          {line}
        </Text>
      ))}
      <Text style={emailText.paragraph}>
        {props.sharedEmail
          ? `They shared their email address with you: ${props.sharedEmail}. Replying to this email reaches them.`
          : "They did not share their email address; accept their interest on Roadies to start the conversation."}
      </Text>
      <Text style={emailText.paragraph}>
        <Link href={`${base}/calls/${props.callId}/manage`} style={emailText.link}>
          See every interest and accept or decline
        </Link>
      </Text>
    </EmailLayout>
  );
}

export function callInterestEmail(props: CallInterestEmailProps): { subject: string; react: ReactElement } {
  return {
    subject: `New interest in your call for ${props.packageName}: ${props.callTitle}`,
    react: <CallInterestEmail {...props} />,
  };
}

export default CallInterestEmail;

CallInterestEmail.PreviewProps = {
  appUrl: "http://127.0.0.1:3000",
  callId: 1,
  callTitle: "Co-maintainer for releases",
  packageName: "django-filter",
  volunteerLogin: "grace",
  volunteerName: "Grace H",
  message: "I have used the package for years and would love to help with releases.",
  sharedEmail: null,
} satisfies CallInterestEmailProps;
