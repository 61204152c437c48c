// The public, read-only shapes of calls for /api/calls and the Atom feed, and ETag handling.
import { createHash } from "node:crypto";
import { env } from "#app/utils/env.server.ts";
import { callKindLabels, type CallKind } from "#db/schema.ts";
import type { CallSummary } from "#app/models/calls/listing.server.ts";

export const API_VERSION = 1;

type PublicCallInput = Omit<CallSummary, "skills"> & { skills: CallSummary["skills"] };

export function publicCall(c: PublicCallInput) {
  const appUrl = env().appUrl;
  return {
    id: c.id,
    url: `${appUrl}/calls/${c.id}`,
    title: c.title,
    kind: c.kind,
    kindLabel: callKindLabels[c.kind as CallKind],
    urgency: c.urgency,
    status: c.status,
    package: { name: c.packageName, slug: c.packageSlug, url: `${appUrl}/packages/${c.packageSlug}` },
    hoursPerWeek: c.hoursPerWeek,
    djangoVersions: c.djangoVersions,
    skills: c.skills.map((s) => ({ id: s.skillId, name: s.name, level: s.level })),
    description: c.description,
    expiresOn: c.expiresOn,
    postedAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

/** A JSON answer with a strong ETag over its bytes; 304 when the client already has it. */
export function jsonWithEtag(request: Request, body: unknown, status = 200) {
  const text = JSON.stringify(body);
  const etag = `"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"`;
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    ETag: etag,
    "Cache-Control": "public, max-age=60",
    "Access-Control-Allow-Origin": "*",
    Vary: "Accept-Encoding",
  };
  const ifNoneMatch = request.headers.get("if-none-match");
  if (status === 200 && ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(text, { status, headers });
}
