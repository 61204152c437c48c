// Sent to an address a person added in their email settings: the link that proves the address is
// theirs. Until it is followed, the address receives nothing else.
import type { ReactElement } from "react";
import { Button, Heading, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type EmailVerificationProps = {
  login: string;
  address: string;
  verifyUrl: string;
  hours: number;
  appUrl: string;
};

const button = {
  backgroundColor: "#0c4b33",
  borderRadius: "6px",
  color: "#ffffff",
  fontSize: "15px",
  fontWeight: 600,
  padding: "10px 16px",
  textDecoration: "none",
};

export function EmailVerification({ login, address, verifyUrl, hours, appUrl }: EmailVerificationProps) {
  return (
    <EmailLayout
      preview={`Confirm ${address} for your Roadies account`}
      reason={`You receive this because someone signed in to Roadies as @${login} added ${address} to their account. If it was not you, ignore this email: the address stays unused.`}
      appUrl={appUrl}
    >
      <Heading as="h1" style={emailText.heading}>
        Confirm your email address
      </Heading>
      <Text style={emailText.paragraph}>
        Follow this link to confirm that {address} belongs to @{login} on Roadies. The link works for {hours} hours.
      </Text>
      <Button href={verifyUrl} style={button}>
        Confirm {address}
      </Button>
      <Text style={emailText.paragraph}>Or copy this address into your browser: {verifyUrl}</Text>
    </EmailLayout>
  );
}

export function emailVerificationEmail(props: EmailVerificationProps): { subject: string; react: ReactElement } {
  return { subject: "Confirm your email address for Roadies", react: <EmailVerification {...props} /> };
}

export default EmailVerification;

EmailVerification.PreviewProps = {
  login: "ada",
  address: "ada@example.org",
  verifyUrl: "http://127.0.0.1:3000/verify-email/abc.def",
  hours: 24,
  appUrl: "http://127.0.0.1:3000",
} satisfies EmailVerificationProps;
