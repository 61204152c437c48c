// [experience] The demo outbox shows an email's links to a local server pointing at the demo that
// runs now, so an email written while the demo was on another port (or by a command that took the
// wrong one) still opens; links to anywhere else are left alone.
import { describe, expect, test } from "vitest";
import { relinkLocalOrigins } from "#app/models/digest/outbox.server.ts";

describe("outbox links to a local server", () => {
  test("a link written for port 3000 opens on the demo's port 3100, and the old address is reported", () => {
    const text = "See it: http://127.0.0.1:3000/calls/7 or http://localhost:3000/settings/notifications.";
    expect(relinkLocalOrigins(text, "http://127.0.0.1:3100")).toEqual({
      content: "See it: http://127.0.0.1:3100/calls/7 or http://127.0.0.1:3100/settings/notifications.",
      from: ["http://127.0.0.1:3000", "http://localhost:3000"],
    });
  });

  test("links already on this server and links elsewhere are kept as they are", () => {
    const html = '<a href="http://127.0.0.1:3100/calls/7">call</a> <a href="https://github.com/x/y">repo</a>';
    expect(relinkLocalOrigins(html, "http://127.0.0.1:3100")).toEqual({ content: html, from: [] });
  });

  test("a host that only starts like a local one is not taken for it", () => {
    const text = "http://127.0.0.1.example.org/x and http://localhost.evil.test/y";
    expect(relinkLocalOrigins(text, "http://127.0.0.1:3100").content).toBe(text);
  });
});
