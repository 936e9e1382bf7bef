// A rollout as a chart: the traffic share of the new and the previous version over time (each step from its
// start to its end, as the deployment recorded them), with each step's SLO measurements against their
// objectives and the step's verdict. Steps recorded without times are drawn in order, one slot each.
import type { RolloutStep } from "../types";

export interface RolloutPoint {
  index: number;
  label: string;
  newShare: number;
  previousShare: number;
  passed: boolean;
  checks: { metric: string; value: number | null; objective: number | null; passed: boolean }[];
  /** Milliseconds since the first step started (null when the step has no recorded times). */
  startMs: number | null;
  endMs: number | null;
}

function millis(at: string | null | undefined): number | null {
  const value = at ? Date.parse(at) : NaN;
  return Number.isNaN(value) ? null : value;
}

/** One point per step; shares are clamped to 0-100 %. */
export function rolloutSeries(steps: RolloutStep[]): RolloutPoint[] {
  const origin = millis(steps[0]?.started_at);
  return steps.map((step, index) => {
    const share = Math.min(100, Math.max(0, step.weight));
    const [start, end] = [millis(step.started_at), millis(step.ended_at)];
    const timed = origin !== null && start !== null && end !== null;
    return {
      startMs: timed ? start - origin : null,
      endMs: timed ? Math.max(end, start) - origin : null,
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
const LEFT = 40;
const PLOT = 600; // the time axis's width in px
const MIN_BAR = 6;

export interface Slot {
  x: number;
  width: number;
}

/** Where each step is drawn: on a time axis when every step has its times, else one slot per step. */
export function slots(points: RolloutPoint[]): { slots: Slot[]; totalMs: number | null } {
  const timed = points.length > 0 && points.every((p) => p.startMs !== null && p.endMs !== null);
  if (!timed) return { slots: points.map((p) => ({ x: LEFT + p.index * (BAR + GAP), width: BAR })), totalMs: null };
  const totalMs = Math.max(1, ...points.map((p) => p.endMs as number));
  const at = (ms: number) => LEFT + (ms / totalMs) * PLOT;
  return {
    slots: points.map((p) => ({
      x: at(p.startMs as number),
      width: Math.max(MIN_BAR, at(p.endMs as number) - at(p.startMs as number)),
    })),
    totalMs,
  };
}

/** Seconds for the axis: "0 s", "4.5 s", "72 s". */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 || Number.isInteger(s) ? Math.round(s) : s.toFixed(1)} s`;
}

function show(value: number | null): string {
  return value === null ? "–" : Number.isInteger(value) ? String(value) : value.toFixed(3);
}

export function RolloutChart({ steps, version = "new", previousVersion = "previous" }: RolloutChartProps) {
  const points = rolloutSeries(steps);
  if (points.length === 0) return <p className="empty">No rollout steps recorded yet.</p>;
  const { slots: placed, totalMs } = slots(points);
  const width = totalMs === null ? 50 + points.length * (BAR + GAP) : LEFT + PLOT + 30;
  return (
    <div className="rollout-chart">
      <svg role="img" aria-label={totalMs === null ? "traffic share per step" : "traffic share over time"} width={width} height={HEIGHT + 60}>
        <text x={0} y={12} fontSize={11}>100%</text>
        <text x={0} y={HEIGHT + 4} fontSize={11}>0%</text>
        {points.map((p) => {
          const { x, width: w } = placed[p.index];
          const newHeight = (p.newShare / 100) * HEIGHT;
          return (
            <g key={p.index} data-step={p.index} data-verdict={p.passed ? "passed" : "failed"} data-x={Math.round(x)} data-width={Math.round(w)}>
              <title>{`${p.label}: ${version} ${p.newShare}%, ${previousVersion} ${p.previousShare}%${
                p.startMs === null ? "" : `, ${seconds(p.startMs)} to ${seconds(p.endMs as number)}`
              }`}</title>
              <rect x={x} y={4} width={w} height={HEIGHT - newHeight} fill="#cbd5e1" />
              <rect x={x} y={4 + HEIGHT - newHeight} width={w} height={newHeight} fill="#6366f1" />
              <text x={x + w / 2} y={HEIGHT + 20} fontSize={11} textAnchor="middle">
                {`${p.newShare}%`}
              </text>
              <text x={x + w / 2} y={HEIGHT + 36} fontSize={12} textAnchor="middle" fill={p.passed ? "#15803d" : "#b91c1c"}>
                {p.passed ? "✓" : "✗"}
                {totalMs === null ? (p.passed ? " passed" : " failed") : ""}
              </text>
            </g>
          );
        })}
        {totalMs !== null && (
          <g className="time-axis">
            <line x1={LEFT} x2={LEFT + PLOT} y1={HEIGHT + 42} y2={HEIGHT + 42} stroke="#64748b" />
            {[0, 0.5, 1].map((f) => (
              <text key={f} x={LEFT + f * PLOT} y={HEIGHT + 56} fontSize={11} textAnchor="middle">
                {seconds(f * totalMs)}
              </text>
            ))}
          </g>
        )}
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
