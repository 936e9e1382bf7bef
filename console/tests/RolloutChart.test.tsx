import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { RolloutChart, rolloutSeries, slots } from "../src/components";
import type { RolloutStep } from "../src/types";

function step(weight: number, passed: boolean, p95: number): RolloutStep {
  return {
    weight,
    label: `${weight}% of traffic`,
    passed,
    reasons: passed ? [] : [`p95 ${p95} > 500`],
    measurements: { requests: 20 },
    evidence: [{ metric: "p95_latency_ms", value: p95, threshold: 500, passed }],
  };
}

const CANARY = [step(10, true, 40), step(50, true, 60), step(100, false, 900)];

describe("rolloutSeries", () => {
  it("gives the new and the previous version's share at each step", () => {
    const points = rolloutSeries(CANARY);
    expect(points.map((p) => [p.newShare, p.previousShare])).toEqual([
      [10, 90],
      [50, 50],
      [100, 0],
    ]);
  });

  it("carries each step's measurement against its objective", () => {
    const [, , last] = rolloutSeries(CANARY);
    expect(last.checks).toEqual([{ metric: "p95_latency_ms", value: 900, objective: 500, passed: false }]);
  });

  it("clamps a weight outside 0-100", () => {
    expect(rolloutSeries([step(130, true, 1)])[0].newShare).toBe(100);
  });
});

describe("RolloutChart", () => {
  it("draws one bar per step with its verdict", () => {
    // Given a canary whose last step breached its objective
    const html = renderToStaticMarkup(<RolloutChart steps={CANARY} version="abc123" />);
    // Then three steps are drawn, the last one failed, and the breach is in the SLO table
    expect(html.match(/data-step=/g)).toHaveLength(3);
    expect(html).toContain('data-step="2" data-verdict="failed"');
    expect(html).toContain("<td>900</td><td>500</td><td>breached</td>");
  });

  it("says so when no step was recorded", () => {
    expect(renderToStaticMarkup(<RolloutChart steps={[]} />)).toContain("No rollout steps recorded yet.");
  });
});

function timed(weight: number, from: number, to: number): RolloutStep {
  const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 12, 0, s)).toISOString();
  return { ...step(weight, true, 40), started_at: at(from), ended_at: at(to), traffic: { new: weight, old: 100 - weight } };
}

// a canary whose steps took 10 s, 30 s and 20 s
const TIMED = [timed(10, 0, 10), timed(50, 10, 40), timed(100, 40, 60)];

describe("the time axis", () => {
  it("gives each step its start and end in milliseconds since the rollout started", () => {
    expect(rolloutSeries(TIMED).map((p) => [p.startMs, p.endMs])).toEqual([
      [0, 10_000],
      [10_000, 40_000],
      [40_000, 60_000],
    ]);
  });

  it("places each step where its time falls, as wide as it lasted", () => {
    // Given a 600 px axis starting at x = 40 for a 60 s rollout
    const { slots: placed, totalMs } = slots(rolloutSeries(TIMED));
    // Then 10 s is 100 px
    expect(totalMs).toBe(60_000);
    expect(placed).toEqual([
      { x: 40, width: 100 },
      { x: 140, width: 300 },
      { x: 440, width: 200 },
    ]);
  });

  it("labels the axis in seconds since the start", () => {
    const html = renderToStaticMarkup(<RolloutChart steps={TIMED} />);
    expect(html).toContain('aria-label="traffic share over time"');
    expect([...html.matchAll(/<text[^>]*>(\d+ s)<\/text>/g)].map((m) => m[1])).toEqual(["0 s", "30 s", "60 s"]);
  });

  it("draws a first deployment's one step across the whole axis", () => {
    const { slots: placed } = slots(rolloutSeries([timed(100, 0, 7)]));
    expect(placed).toEqual([{ x: 40, width: 600 }]);
  });

  it("falls back to one slot per step when a step has no times", () => {
    const { slots: placed, totalMs } = slots(rolloutSeries([TIMED[0], step(50, true, 1)]));
    expect(totalMs).toBeNull();
    expect(placed.map((p) => p.x)).toEqual([40, 124]);
  });
});
