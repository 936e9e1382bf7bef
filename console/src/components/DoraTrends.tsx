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

/** SVG polyline points of one metric over the weeks; weeks without a value break nothing (they are left out). */
export function sparkline(weeks: DoraWeek[], key: keyof DoraWeek): string {
  const values = weeks.map((w) => w[key]);
  const numbers = values.filter((v): v is number => typeof v === "number");
  if (numbers.length === 0) return "";
  const max = Math.max(...numbers) || 1;
  const step = weeks.length > 1 ? W / (weeks.length - 1) : 0;
  return values
    .map((v, i) => (typeof v === "number" ? `${(i * step).toFixed(1)},${(H - (v / max) * H).toFixed(1)}` : null))
    .filter((p): p is string => p !== null)
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
                    <polyline points={sparkline(trend.weeks, m.key)} fill="none" stroke="#6366f1" strokeWidth={2} transform="translate(4,4)" />
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
