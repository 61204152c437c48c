// Job schedules in UTC: the next slot comes from the cron pattern, never from when a run happened;
// many missed slots make one due run; retries back off 1, 5, 25 minutes with jitter, capped.
import { describe, expect, it } from "vitest";
import {
  describeCron,
  formatDuration,
  latestSlotAtOrBefore,
  nextSlotAfter,
  retryDelayMs,
  slotIsDue,
} from "#app/jobs/schedule.ts";

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;

describe("cron slots are computed in UTC", () => {
  it("an hourly job at :05 is next due at :05 of the following hour", () => {
    expect(nextSlotAfter("5 * * * *", at("2030-01-01T10:07:30Z"))).toBe(at("2030-01-01T11:05:00Z"));
    expect(nextSlotAfter("5 * * * *", at("2030-01-01T10:05:00Z"))).toBe(at("2030-01-01T11:05:00Z"));
  });

  it("a daily 03:00 job is due at 03:00 UTC whatever the machine's time zone", () => {
    const before = process.env.TZ;
    process.env.TZ = "America/Los_Angeles";
    try {
      expect(nextSlotAfter("0 3 * * *", at("2030-03-10T02:59:00Z"))).toBe(at("2030-03-10T03:00:00Z"));
      expect(nextSlotAfter("0 3 * * *", at("2030-03-10T03:00:00Z"))).toBe(at("2030-03-11T03:00:00Z"));
    } finally {
      process.env.TZ = before;
    }
  });

  it("the latest slot at or before a time includes a slot falling exactly on it", () => {
    expect(latestSlotAtOrBefore("*/5 * * * *", at("2030-01-01T10:05:00Z"))).toBe(at("2030-01-01T10:05:00Z"));
    expect(latestSlotAtOrBefore("*/5 * * * *", at("2030-01-01T10:09:59Z"))).toBe(at("2030-01-01T10:05:00Z"));
  });

  it("a restart does not shift the schedule: due only once the next slot after the last one has come", () => {
    const last = at("2030-01-01T10:05:00Z");
    expect(slotIsDue("5 * * * *", last, at("2030-01-01T11:04:59Z"))).toBe(false);
    expect(slotIsDue("5 * * * *", last, at("2030-01-01T11:05:00Z"))).toBe(true);
  });

  it("a day of downtime makes one due run, not one per missed slot", () => {
    const last = at("2030-01-01T10:05:00Z");
    const afterDowntime = at("2030-01-02T14:30:00Z");
    expect(slotIsDue("5 * * * *", last, afterDowntime)).toBe(true);
    // Once run, the slot recorded is the latest one, so nothing else is due until the next.
    const recorded = latestSlotAtOrBefore("5 * * * *", afterDowntime)!;
    expect(recorded).toBe(at("2030-01-02T14:05:00Z"));
    expect(slotIsDue("5 * * * *", recorded, afterDowntime + MIN)).toBe(false);
  });

  it("a job never run is due at once", () => {
    expect(slotIsDue("0 3 * * *", null, at("2030-01-01T12:00:00Z"))).toBe(true);
  });
});

describe("retry backoff", () => {
  const policy = { attempts: 4, firstDelayMs: MIN, factor: 5, maxDelayMs: 25 * MIN };

  it("waits 1, 5, then 25 minutes, capped", () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4].map((n) => retryDelayMs(policy, n, middle))).toEqual([MIN, 5 * MIN, 25 * MIN, 25 * MIN]);
  });

  it("spreads each delay by up to 20 % either way", () => {
    expect(retryDelayMs(policy, 2, () => 0)).toBe(4 * MIN);
    expect(retryDelayMs(policy, 2, () => 0.999999)).toBeCloseTo(6 * MIN, -2);
  });
});

describe("schedules in words", () => {
  it("reads the patterns of the registry", () => {
    expect(describeCron("* * * * *")).toBe("Every minute");
    expect(describeCron("*/5 * * * *")).toBe("Every 5 minutes");
    expect(describeCron("5 * * * *")).toBe("Every hour at 05 minutes past");
    expect(describeCron("0 3 * * *")).toBe("Every day at 03:00 UTC");
    expect(describeCron("0 3 * * 1")).toBe("Cron “0 3 * * 1” (UTC)");
  });

  it("formats durations", () => {
    expect(formatDuration(350)).toBe("350 ms");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(185_000)).toBe("3 min 5 s");
    expect(formatDuration(64 * MIN)).toBe("1 h 4 min");
  });
});
