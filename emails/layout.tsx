// The frame every Roadies email shares: the name at the top, the message, and a footer saying why
// the person gets it and a link to the notification settings, where each kind of email has its switch.
import type { ReactNode } from "react";
import { Body, Container, Head, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";

export type EmailLayoutProps = {
  /** The line mail clients show next to the subject. */
  preview: string;
  /** One sentence: why this person receives this email. */
  reason: string;
  appUrl: string;
  children: ReactNode;
};

// Inline styles are how email clients take CSS; these pages never reach the app's CSP.
// Colours keep at least 4.5:1 contrast on white (WCAG 2.2 AA).
const body = {
  backgroundColor: "#f4f4f2",
  color: "#1f2328",
  fontFamily: "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif",
  margin: 0,
  padding: "24px 0",
};
const container = {
  backgroundColor: "#ffffff",
  border: "1px solid #d0d7de",
  borderRadius: "6px",
  margin: "0 auto",
  maxWidth: "560px",
  padding: "24px 32px",
};
const brand = { color: "#0c4b33", fontSize: "20px", fontWeight: 700, margin: "0 0 16px" };
const footer = { color: "#57606a", fontSize: "13px", lineHeight: "20px", margin: "0 0 8px" };
const footerLink = { color: "#0c4b33", textDecoration: "underline" };

export function EmailLayout({ preview, reason, appUrl, children }: EmailLayoutProps) {
  // The one page listing every kind of email with its switch.
  const settingsUrl = `${appUrl.replace(/\/$/, "")}/settings/notifications`;
  return (
    <Html lang="en" dir="ltr">
      <Head>
        <title>{preview}</title>
      </Head>
      <Preview>{preview}</Preview>
      <Body style={body}>
        <Container style={container}>
          <Text style={brand}>Roadies</Text>
          <Section>{children}</Section>
          <Hr style={{ borderColor: "#d0d7de", margin: "24px 0 16px" }} />
          <Text style={footer}>{reason}</Text>
          <Text style={footer}>
            Choose which emails you get in your{" "}
            <Link href={settingsUrl} style={footerLink}>
              Roadies notification settings
            </Link>
            .
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

/** Shared text styles for templates, so every email reads the same. */
export const emailText = {
  heading: { color: "#1f2328", fontSize: "22px", fontWeight: 700, lineHeight: "30px", margin: "0 0 12px" },
  paragraph: { color: "#1f2328", fontSize: "15px", lineHeight: "24px", margin: "0 0 12px" },
  link: { color: "#0c4b33", textDecoration: "underline" },
  listItem: { color: "#1f2328", fontSize: "15px", lineHeight: "24px", margin: "0 0 8px" },
} as const;
