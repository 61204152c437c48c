// Sent at most once a quarter to each maintainer of a package Roadies considers dormant: three
// one-click answers (signed links) that update the package's state.
import type { ReactElement } from "react";
import { Heading, Link, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type CheckinEmailProps = {
  login: string;
  packageName: string;
  rule: string;
  /** Dormant (the quarterly job), or widely used and at risk (a roadie asked from the ecosystem review). */
  why?: "dormant" | "at-risk";
  links: { stillMaintained: string; wouldLikeHelp: string; wantToHandOver: string };
  appUrl: string;
};

export function CheckinEmail({ login, packageName, rule, why = "dormant", links, appUrl }: CheckinEmailProps) {
  return (
    <EmailLayout
      preview={`How is ${packageName} doing?`}
      reason={`You receive this because you are a verified maintainer of ${packageName} on Roadies. We ask at most once a quarter.`}
      appUrl={appUrl}
    >
      <Heading as="h1" style={emailText.heading}>
        How is {packageName} doing?
      </Heading>
      <Text style={emailText.paragraph}>
        Hello @{login},{" "}
        {why === "dormant"
          ? `Roadies lists ${packageName} as dormant: ${rule}`
          : `many people depend on ${packageName}, and the roadies noticed something that may put it at risk: ${rule}`}{" "}
        That may be just fine (some packages are done), so we would rather ask you than guess. One click is enough:
      </Text>
      <Text style={emailText.listItem}>
        •{" "}
        <Link href={links.stillMaintained} style={emailText.link}>
          It is still maintained
        </Link>{" "}
        : we will show it as maintained.
      </Text>
      <Text style={emailText.listItem}>
        •{" "}
        <Link href={links.wouldLikeHelp} style={emailText.link}>
          I would like help
        </Link>{" "}
        : we will suggest posting a call for a co-maintainer.
      </Text>
      <Text style={emailText.listItem}>
        •{" "}
        <Link href={links.wantToHandOver} style={emailText.link}>
          I want to hand it over
        </Link>{" "}
        : we will help you find a new maintainer.
      </Text>
      <Text style={emailText.paragraph}>Thank you for the time you have given this package.</Text>
      <Text style={emailText.paragraph}>The Roadies crew</Text>
    </EmailLayout>
  );
}

export function checkinEmail(props: CheckinEmailProps): { subject: string; react: ReactElement } {
  return { subject: `How is ${props.packageName} doing?`, react: <CheckinEmail {...props} /> };
}

export default CheckinEmail;

CheckinEmail.PreviewProps = {
  login: "ada",
  packageName: "django-example",
  rule: "No release since Django 6.0 came out on 2025-12-03, more than 6 months ago.",
  links: { stillMaintained: "#", wouldLikeHelp: "#", wantToHandOver: "#" },
  appUrl: "http://127.0.0.1:3000",
} satisfies CheckinEmailProps;
