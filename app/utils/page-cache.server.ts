// A micro-cache for pages seen by anonymous visitors: a spike of traffic from a shared link is served
// from memory. Entries are keyed by path and the query parameters that page reads (app/page-cache-keys.ts), and
// tagged with the public-content generation, a counter in the database that every write bumps, so a
// change is visible at once on every instance. What may be stored (a complete GET 200, shareable) is
// decided in server.ts, which sees the response; how a stored page is served again is decided here.
import { createHash } from "node:crypto";
import { constants, crc32, deflateRawSync } from "node:zlib";
import { sql } from "drizzle-orm";
import fresh from "fresh";
import { db, prepared, schema } from "#app/utils/db.server.ts";

const GENERATION_KEY = "public-content";
/** How long an instance trusts the generation it read (the staleness bound across instances). */
const GENERATION_MEMO_MS = 1_000;

let memo: { value: number; readAt: number } | undefined;

/**
 * The generation this instance read less than a second ago, if any: a cache hit checks it without
 * awaiting a promise (publicContentGeneration reads it again when this is undefined).
 */
export function knownGeneration(now = Date.now()): number | undefined {
  return memo && now - memo.readAt < GENERATION_MEMO_MS ? memo.value : undefined;
}

/** The current public-content generation (read from the database at most once a second). */
export async function publicContentGeneration(now = Date.now()): Promise<number> {
  const known = knownGeneration(now);
  if (known !== undefined) return known;
  memo = { value: await readPublicContentGeneration(), readAt: now };
  return memo.value;
}

/**
 * The public-content generation as the database has it now, for a memo that must show this
 * instance's own writes at once (app/utils/public-memo.server.ts): one primary-key read.
 */
export async function readPublicContentGeneration(): Promise<number> {
  const row = await generationQuery().get();
  return row?.value ?? 0;
}
const generationQuery = prepared((d) =>
  d
    .select({ value: schema.appState.value })
    .from(schema.appState)
    .where(sql`${schema.appState.key} = ${GENERATION_KEY}`)
    .prepare(),
);

/** Marks every cached anonymous page as stale: call after any change to what visitors can see. */
export async function bumpPublicContent(): Promise<void> {
  await db()
    .insert(schema.appState)
    .values({ key: GENERATION_KEY, value: 1 })
    .onConflictDoUpdate({ target: schema.appState.key, set: { value: sql`${schema.appState.value} + 1` } });
  memo = undefined;
}

/** True when the request's validators (If-None-Match lists, W/ tags, `*`; RFC 9110) match `etag`. */
export function notModified(requestHeaders: fresh.Headers, etag: string): boolean {
  return fresh(requestHeaders, { etag });
}

export type PageToStore = {
  headers: Record<string, string>;
  body: Buffer;
  /** The CSP nonce the page was rendered with: each later visitor gets their own in its place. */
  nonce: string;
  generation: number;
  storedAt: number;
};

export type CachedPage = {
  headers: Record<string, string>;
  /** The same headers as a flat list of names and values, as `writeHead` takes them. */
  rawHeaders: string[];
  /** The body split where the nonce was; joined again with each request's own nonce. */
  parts: Buffer[];
  /** Each part deflated on its own (ending byte-aligned), so a gzip body is assembled without recompressing. */
  deflated: Buffer[];
  /** Each part's CRC-32 and the operator that moves a CRC past its length (see crc32Then). */
  crcs: { crc: number; shift: Uint32Array }[];
  /** Of the body without its nonce, so it holds across visitors; weak, as the bytes differ by nonce and encoding. */
  etag: string;
  generation: number;
  storedAt: number;
  bytes: number;
  /** What a body is long without its nonces, plain and gzipped (see bodyLength). */
  fixedLength: { plain: number; gzip: number };
};

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
/** CRC-32 and size, 4 bytes each. */
const GZIP_TRAILER_LENGTH = 8;
/** A stored block's header: BFINAL/BTYPE, then LEN and NLEN (RFC 1951 §3.2.4). */
const STORED_BLOCK_HEADER_LENGTH = 5;
/** A final, empty stored block: ends the deflate stream. */
const DEFLATE_END = Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff]);

/** `data` as a stored (uncompressed) deflate block that is not the last one. */
function storedBlock(data: Buffer): Buffer {
  const header = Buffer.alloc(STORED_BLOCK_HEADER_LENGTH);
  header.writeUInt16LE(data.length, 1);
  header.writeUInt16LE(~data.length & 0xffff, 3);
  return Buffer.concat([header, data]);
}

function split(body: Buffer, nonce: string): Buffer[] {
  if (!nonce) return [body];
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(nonce); at !== -1; at = body.indexOf(nonce, from)) {
    parts.push(body.subarray(from, at));
    from = at + Buffer.byteLength(nonce);
  }
  parts.push(body.subarray(from));
  return parts;
}

/** A bounded least-recently-used store of rendered pages. */
export class PageCache {
  private entries = new Map<string, CachedPage>();
  private keysPerPath = new Map<string, number>();
  private bytes = 0;

  constructor(
    private readonly limits = {
      maxEntries: 1_000,
      maxBytes: 16 * 1024 * 1024,
      ttlMs: 60_000,
      /** Variants of one path (distinct queries): random values of a read parameter cannot flush the cache. */
      maxKeysPerPath: 32,
    },
  ) {}

  get(key: string, generation: number, now = Date.now()): CachedPage | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.generation !== generation || now - entry.storedAt > this.limits.ttlMs) {
      this.delete(key);
      return undefined;
    }
    // Re-insert: Map order is the recency order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Stores a complete page; false when its path already has as many variants as it may keep. */
  set(key: string, page: PageToStore): boolean {
    const path = pathOf(key);
    if (!this.entries.has(key) && (this.keysPerPath.get(path) ?? 0) >= this.limits.maxKeysPerPath) return false;
    const parts = split(page.body, page.nonce);
    const deflated = parts.map((part) => deflateRawSync(part, { level: 6, finishFlush: constants.Z_FULL_FLUSH }));
    const hash = createHash("sha1");
    for (const [i, part] of parts.entries()) hash.update(i === 0 ? part : Buffer.concat([Buffer.from([0]), part]));
    const entry: CachedPage = {
      headers: page.headers,
      rawHeaders: Object.entries(page.headers).flat(),
      parts,
      deflated,
      crcs: parts.map((part) => ({ crc: crc32(part), shift: crcShift(part.length) })),
      etag: `W/"${hash.digest("base64url")}"`,
      generation: page.generation,
      storedAt: page.storedAt,
      bytes: page.body.length + deflated.reduce((sum, d) => sum + d.length, 0),
      fixedLength: {
        plain: page.body.length - (parts.length - 1) * Buffer.byteLength(page.nonce),
        gzip:
          GZIP_HEADER.length +
          deflated.reduce((sum, d) => sum + d.length, 0) +
          DEFLATE_END.length +
          GZIP_TRAILER_LENGTH,
      },
    };
    this.delete(key);
    this.entries.set(key, entry);
    this.keysPerPath.set(path, (this.keysPerPath.get(path) ?? 0) + 1);
    this.bytes += entry.bytes;
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.delete(oldest);
    }
    return true;
  }

  /** The page's body as this request gets it: with its own nonce, gzip-encoded or not. */
  body(entry: CachedPage, nonce: string, gzip: boolean): Buffer {
    return Buffer.concat(this.chunks(entry, nonce, gzip));
  }

  /**
   * The same body as the stored pieces and the few bytes that differ per request, to be written
   * one after the other: copying the whole page into a new buffer for each visitor was the largest
   * allocation of a cached answer, and so much of its garbage-collection work.
   */
  chunks(entry: CachedPage, nonce: string, gzip: boolean): Buffer[] {
    const { parts } = entry;
    const glue = Buffer.from(nonce);
    if (!gzip) {
      const chunks = [parts[0]!];
      for (let i = 1; i < parts.length; i++) chunks.push(glue, parts[i]!);
      return chunks;
    }
    // A gzip member whose deflate stream is the stored parts with the nonce between them as stored
    // blocks: valid because every part was flushed to a byte boundary (RFC 1951 §3.2.4, RFC 1952).
    const block = storedBlock(glue);
    let crc = 0;
    let size = 0;
    const chunks: Buffer[] = [GZIP_HEADER];
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) {
        chunks.push(block);
        crc = crc32(glue, crc);
        size += glue.length;
      }
      chunks.push(entry.deflated[i]!);
      crc = crc32Then(crc, entry.crcs[i]!);
      size += parts[i]!.length;
    }
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE(size >>> 0, 4);
    chunks.push(DEFLATE_END, trailer);
    return chunks;
  }

  /** The length of `chunks(entry, nonce, gzip)` together, without making them. */
  bodyLength(entry: CachedPage, nonce: string, gzip: boolean): number {
    const nonces = (entry.parts.length - 1) * Buffer.byteLength(nonce);
    return gzip
      ? entry.fixedLength.gzip + nonces + (entry.parts.length - 1) * STORED_BLOCK_HEADER_LENGTH
      : entry.fixedLength.plain + nonces;
  }

  get size() {
    return this.entries.size;
  }

  private delete(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.entries.delete(key);
    const path = pathOf(key);
    const left = (this.keysPerPath.get(path) ?? 1) - 1;
    if (left > 0) this.keysPerPath.set(path, left);
    else this.keysPerPath.delete(path);
  }
}

const pathOf = (key: string) => key.split("?", 1)[0]!;

// The gzip trailer's CRC-32 covers the whole body, nonces included. Computing it over the page for
// each request was about 7% of the CPU of a cached answer; instead each stored part keeps its own
// CRC and the linear operator that advances a CRC over as many bytes (zlib's crc32_combine, with the
// operator computed once per part): combining is then 32 steps, whatever the page's size.
// An operator is a 32×32 matrix over GF(2), held as the images of the 32 one-bit vectors.

function gf2Times(operator: Uint32Array, vector: number): number {
  let sum = 0;
  for (let i = 0; vector !== 0; i++, vector >>>= 1) if (vector & 1) sum ^= operator[i]!;
  return sum >>> 0;
}

function gf2Compose(a: Uint32Array, b: Uint32Array): Uint32Array {
  return Uint32Array.from(b, (column) => gf2Times(a, column));
}

/** The operator taking the CRC-32 of some bytes to that of the same bytes followed by `length` zero bytes. */
function crcShift(length: number): Uint32Array {
  // One zero bit: the reflected polynomial's shift register step; one byte is eight of them.
  let power: Uint32Array = Uint32Array.from({ length: 32 }, (_, i) => (i === 0 ? 0xedb88320 : (1 << (i - 1)) >>> 0));
  for (let i = 0; i < 3; i++) power = gf2Compose(power, power);
  let result: Uint32Array = Uint32Array.from({ length: 32 }, (_, i) => (1 << i) >>> 0);
  for (let n = length; n > 0; n >>>= 1, power = gf2Compose(power, power)) {
    if (n & 1) result = gf2Compose(power, result);
  }
  return result;
}

/** The CRC-32 of bytes whose CRC is `crc` followed by a part whose CRC and length operator are given. */
function crc32Then(crc: number, part: { crc: number; shift: Uint32Array }): number {
  return (gf2Times(part.shift, crc) ^ part.crc) >>> 0;
}
