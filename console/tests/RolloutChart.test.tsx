import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { RolloutChart, rolloutSeries } from "../src/components";
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
