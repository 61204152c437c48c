// Every email's footer links to the notification settings, the one page where each kind of email
// has its switch (before, it pointed to the profile page, which has no email settings).
import { readdirSync } from "node:fs";
import { createElement, type ComponentType } from "react";
import { render } from "@react-email/render";
import { describe, expect, it } from "vitest";

const templates = readdirSync(new URL("../../emails/", import.meta.url)).filter(
  (f) => f.endsWith(".tsx") && f !== "layout.tsx",
);

describe("every email's footer", () => {
  it.each(templates)("%s links to /settings/notifications", async (file) => {
    const mod = (await import(`#emails/${file}`)) as {
      default: ComponentType<object> & { PreviewProps?: object };
    };
    expect(mod.default.PreviewProps, `${file} has preview props`).toBeDefined();
    const html = await render(createElement(mod.default, mod.default.PreviewProps));
    // The footer: everything after the layout's rule.
    const footer = html.split("<hr").at(-1)!;
    expect(footer).toMatch(/href="[^"]*\/settings\/notifications"/);
    expect(footer).toContain("notification settings");
    expect(footer).not.toContain("/settings/profile");
  });
});
