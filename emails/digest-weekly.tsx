// The match digest: what a person could help with this week (and, for maintainers, who could
// help them), each item with its reasons and a link; why they get it and how to stop it.
import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { Heading, Link, Section, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type DigestEmailItem = {
  kind: string;
  section: string;
  title: string;
  packageName: string;
  url: string;
  reasons: string[];
};

export type DigestEmailProps = {
  login: string;
  name: string | null;
  week: string;
  /** "every week", "every 2 weeks" … */
  frequency: string;
  items: DigestEmailItem[];
  appUrl: string;
  preferencesUrl: string;
  unsubscribeUrl: string;
};

const SECTION_TITLES: Record<string, string> = {
  people: "For your calls",
  calls: "Calls you could help with",
  transfers: "Packages looking for a new maintainer",
  programs: "Mentoring projects open for applications",
};
const SECTION_ORDER = ["people", "calls", "transfers", "programs"];

const itemTitle = { color: "#1f2328", fontSize: "16px", fontWeight: 600, lineHeight: "24px", margin: "0 0 2px" };
const itemMeta = { color: "#57606a", fontSize: "14px", lineHeight: "20px", margin: "0 0 4px" };
const reason = { color: "#1f2328", fontSize: "14px", lineHeight: "20px", margin: "0 0 2px" };

export function digestSubject(count: number): string {
  return count === 1 ? "1 match for you on Roadies this week" : `${count} matches for you on Roadies this week`;
}

export function DigestEmail(props: DigestEmailProps) {
  const { login, name, week, frequency, items, appUrl, preferencesUrl, unsubscribeUrl } = props;
  const sections = SECTION_ORDER.map((s) => ({ section: s, items: items.filter((i) => i.section === s) })).filter(
    (s) => s.items.length > 0,
  );
  return (
    <EmailLayout
      preview={digestSubject(items.length)}
      reason={`You receive this digest ${frequency} because you have a Roadies account as @${login} and the match digest is on (${week}).`}
      appUrl={appUrl}
    >
      <Heading as="h1" style={emailText.heading}>
        Hello {name?.trim() || login}, here is what matches you this week
      </Heading>
      {sections.map((s) => (
        <Section key={s.section}>
          <Heading as="h2" style={{ ...emailText.heading, fontSize: "18px", margin: "16px 0 8px" }}>
            {SECTION_TITLES[s.section] ?? s.section}
          </Heading>
          {s.items.map((item) => (
            <Section key={item.url + item.title} style={{ margin: "0 0 16px" }}>
              <Text style={itemTitle}>
                <Link href={item.url} style={emailText.link}>
                  {item.title}
                </Link>
              </Text>
              <Text style={itemMeta}>{item.packageName}</Text>
              {item.reasons.map((r) => (
                <Text key={r} style={reason}>
                  • {r}
                </Text>
              ))}
            </Section>
          ))}
        </Section>
      ))}
      <Text style={emailText.paragraph}>
        Change how often you get this, pause it, or choose its sections in your{" "}
        <Link href={preferencesUrl} style={emailText.link}>
          notification preferences
        </Link>
        . To stop it entirely,{" "}
        <Link href={unsubscribeUrl} style={emailText.link}>
          unsubscribe from the digest
        </Link>
        .
      </Text>
    </EmailLayout>
  );
}

/** The plain-text part, written for reading in a text mail client (and much cheaper than converting HTML). */
export function digestText(props: DigestEmailProps): string {
  const { login, name, week, frequency, items, appUrl, preferencesUrl, unsubscribeUrl } = props;
  const lines = [`Hello ${name?.trim() || login}, here is what matches you this week`, ""];
  for (const section of SECTION_ORDER) {
    const inSection = items.filter((i) => i.section === section);
    if (inSection.length === 0) continue;
    const title = SECTION_TITLES[section] ?? section;
    lines.push(title, "-".repeat(title.length), "");
    for (const item of inSection) {
      lines.push(item.title, `${item.packageName}: ${item.url}`, ...item.reasons.map((r) => `  * ${r}`), "");
    }
  }
  lines.push(
    `Change how often you get this, pause it, or choose its sections: ${preferencesUrl}`,
    `Unsubscribe from the digest: ${unsubscribeUrl}`,
    "",
    "--",
    `You receive this digest ${frequency} because you have a Roadies account as @${login} and the match digest is on (${week}).`,
    `Roadies: ${appUrl}`,
  );
  return lines.join("\n");
}

const XHTML_DOCTYPE =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

/**
 * The digest goes to thousands of people at once: its HTML is rendered synchronously (about twice
 * as fast as react-email's streaming render, the same markup for these components).
 */
export function digestEmail(props: DigestEmailProps): {
  subject: string;
  react: ReactElement;
  html: string;
  text: string;
} {
  const react = <DigestEmail {...props} />;
  return {
    subject: digestSubject(props.items.length),
    react,
    html: XHTML_DOCTYPE + renderToStaticMarkup(react),
    text: digestText(props),
  };
}

export default DigestEmail;

DigestEmail.PreviewProps = {
  login: "ada",
  name: "Ada Lovelace",
  week: "2026-W48",
  frequency: "every week",
  appUrl: "http://127.0.0.1:3000",
  preferencesUrl: "http://127.0.0.1:3000/settings/notifications",
  unsubscribeUrl: "http://127.0.0.1:3000/unsubscribe/preview",
  items: [
    {
      kind: "call",
      section: "calls",
      title: "Co-maintainer for django-example",
      packageName: "django-example",
      url: "http://127.0.0.1:3000/calls/1",
      reasons: ["expert in Django ORM, which this call needs", "asks 3 hours a week; you offered 5"],
    },
  ],
} satisfies DigestEmailProps;
