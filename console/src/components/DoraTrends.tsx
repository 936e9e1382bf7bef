// The four DORA metrics as weekly trends, one small line chart per metric and group (service or template).
import type { DoraTrend, DoraWeek } from "../types";

export const METRICS: { key: keyof DoraWeek; title: string; unit: string }[] = [
  { key: "deployment_frequency_per_day", title: "Deployment frequency", unit: "/day" },
  { key: "lead_time_hours", title: "Lead time for changes", unit: "h" },
  { key: "change_failure_rate", title: "Change failure rate", unit: "" },
  { key: "time_to_restore_hours", title: "Time to restore", unit: "h" },
];

const W = 220;
const H = 70;

/** The points of one metric over the weeks, scaled to the chart; weeks without a value are left out. */
export function sparkPoints(weeks: DoraWeek[], key: keyof DoraWeek): { x: number; y: number }[] {
  const values = weeks.map((w) => w[key]);
  const numbers = values.filter((v): v is number => typeof v === "number");
  const max = Math.max(0, ...numbers) || 1;
  const step = weeks.length > 1 ? W / (weeks.length - 1) : 0;
  return values.flatMap((v, i) => (typeof v === "number" ? [{ x: i * step, y: H - (v / max) * H }] : []));
}

/** SVG polyline points of one metric over the weeks. */
export function sparkline(weeks: DoraWeek[], key: keyof DoraWeek): string {
  return sparkPoints(weeks, key)
    .map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`)
    .join(" ");
}

export interface DoraTrendsProps {
  trends: DoraTrend[];
}

export function DoraTrends({ trends }: DoraTrendsProps) {
  if (trends.length === 0) return <p className="empty">No deployments in this window.</p>;
  return (
    <div className="dora-trends">
      {trends.map((trend) => (
        <section key={trend.group} data-group={trend.group}>
          <h3>{trend.group}</h3>
          <div className="dora-row">
            {METRICS.map((m) => {
              const last = [...trend.weeks].reverse().find((w) => typeof w[m.key] === "number");
              return (
                <figure key={m.key} data-metric={m.key}>
                  <figcaption>
                    {m.title}: {last ? `${last[m.key]}${m.unit}` : "–"}
                  </figcaption>
                  <svg role="img" aria-label={`${m.title} per week`} width={W + 8} height={H + 8}>
                    <g transform="translate(4,4)">
                      <polyline points={sparkline(trend.weeks, m.key)} fill="none" stroke="#6366f1" strokeWidth={2} />
                      {sparkPoints(trend.weeks, m.key).map((p) => (
                        <circle key={p.x} cx={p.x} cy={p.y} r={3} fill="#6366f1" />
                      ))}
                    </g>
                  </svg>
                  <small>
                    {trend.weeks.length ? `weeks from ${trend.weeks[0].week_start}` : ""}
                  </small>
                </figure>
              );
            })}
          </div>
        </section>
      ))}
    </div>
  );
}
