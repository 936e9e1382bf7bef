// A rollout as a chart: the traffic share of the new and the previous version at each step (in order), with
// each step's SLO measurements against their objectives and the step's verdict.
import type { RolloutStep } from "../types";

export interface RolloutPoint {
  index: number;
  label: string;
  newShare: number;
  previousShare: number;
  passed: boolean;
  checks: { metric: string; value: number | null; objective: number | null; passed: boolean }[];
}

/** One point per step; shares are clamped to 0-100 %. */
export function rolloutSeries(steps: RolloutStep[]): RolloutPoint[] {
  return steps.map((step, index) => {
    const share = Math.min(100, Math.max(0, step.weight));
    return {
      index,
      label: step.label,
      newShare: share,
      previousShare: 100 - share,
      passed: step.passed,
      checks: (step.evidence ?? []).map((e) => ({
        metric: e.metric,
        value: e.value,
        objective: e.threshold,
        passed: e.passed,
      })),
    };
  });
}

export interface RolloutChartProps {
  steps: RolloutStep[];
  version?: string;
  previousVersion?: string;
}

const BAR = 56;
const GAP = 28;
const HEIGHT = 160;

function show(value: number | null): string {
  return value === null ? "–" : Number.isInteger(value) ? String(value) : value.toFixed(3);
}

export function RolloutChart({ steps, version = "new", previousVersion = "previous" }: RolloutChartProps) {
  const points = rolloutSeries(steps);
  const width = 50 + points.length * (BAR + GAP);
  if (points.length === 0) return <p className="empty">No rollout steps recorded yet.</p>;
  return (
    <div className="rollout-chart">
      <svg role="img" aria-label="traffic share per step" width={width} height={HEIGHT + 40}>
        <text x={0} y={12} fontSize={11}>100%</text>
        <text x={0} y={HEIGHT + 4} fontSize={11}>0%</text>
        {points.map((p) => {
          const x = 40 + p.index * (BAR + GAP);
          const newHeight = (p.newShare / 100) * HEIGHT;
          return (
            <g key={p.index} data-step={p.index} data-verdict={p.passed ? "passed" : "failed"}>
              <title>{`${p.label}: ${version} ${p.newShare}%, ${previousVersion} ${p.previousShare}%`}</title>
              <rect x={x} y={4} width={BAR} height={HEIGHT - newHeight} fill="#cbd5e1" />
              <rect x={x} y={4 + HEIGHT - newHeight} width={BAR} height={newHeight} fill="#6366f1" />
              <text x={x + BAR / 2} y={HEIGHT + 20} fontSize={11} textAnchor="middle">
                {`${p.newShare}%`}
              </text>
              <text x={x + BAR / 2} y={HEIGHT + 36} fontSize={12} textAnchor="middle" fill={p.passed ? "#15803d" : "#b91c1c"}>
                {p.passed ? "✓ passed" : "✗ failed"}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="legend">
        <span style={{ color: "#6366f1" }}>■</span> {version} <span style={{ color: "#94a3b8" }}>■</span> {previousVersion}
      </p>
      <table className="slo-table">
        <thead>
          <tr>
            <th>step</th>
            <th>metric</th>
            <th>measured</th>
            <th>objective</th>
            <th>verdict</th>
          </tr>
        </thead>
        <tbody>
          {points.flatMap((p) =>
            p.checks.map((c) => (
              <tr key={`${p.index}-${c.metric}`} className={c.passed ? "ok" : "bad"}>
                <td>{p.label}</td>
                <td>{c.metric}</td>
                <td>{show(c.value)}</td>
                <td>{show(c.objective)}</td>
                <td>{c.passed ? "passed" : "breached"}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}
