import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { DoraTrends, FindingsTable, sparkPoints } from "../src/components";
import type { DoraWeek, Finding } from "../src/types";

function finding(rule: string, severity: string, extra: Partial<Finding> = {}): Finding {
  return { rule, severity, message: `${rule} found`, file: "Dockerfile", line: 2, remediation: "pin it", waiver_id: null, ...extra };
}

function week(start: string, frequency: number, failure: number | null): DoraWeek {
  return {
    week_start: start,
    deployments: frequency * 7,
    deployment_frequency_per_day: frequency,
    lead_time_hours: null,
    change_failure_rate: failure,
    time_to_restore_hours: null,
  };
}

describe("FindingsTable", () => {
  it("lists the most severe first, with file:line and the waiver that covers a finding", () => {
    // Given a low finding, a waived medium one and a high one
    const findings = [
      finding("CKV_1", "low", { file: "main.tf", line: 48 }),
      finding("CMP-001", "medium", { waiver_id: "wvr-7", line: null }),
      finding("DOCKER-001", "high"),
    ];
    // When rendered
    const html = renderToStaticMarkup(<FindingsTable findings={findings} />);
    // Then high, medium, low, each with where it is, and the waiver named
    const rules = [...html.matchAll(/<tr class="severity-\w+"><td>([^<]+)<\/td>/g)].map((m) => m[1]);
    expect(rules).toEqual(["DOCKER-001", "CMP-001", "CKV_1"]);
    expect(html).toContain("<td>main.tf:48</td>");
    expect(html).toContain("<td>wvr-7</td>");
  });

  it("names who approved the waiver of a finding and until when, as the decision recorded it", () => {
    // Given a finding waived by an approved waiver
    const waiver = { waiver_id: "wvr-9", reason: "base image pinned next sprint", owner: "team-orders", approved_by: "lead@example.com", expires_at: "2027-01-31T00:00:00Z" };
    const findings = [finding("DOCKER-001", "high", { waiver_id: "wvr-9", waiver })];
    // When rendered
    const html = renderToStaticMarkup(<FindingsTable findings={findings} />);
    // Then the waiver cell says why, who approved it and until when
    expect(html).toContain("<td>wvr-9 (base image pinned next sprint; approved by lead@example.com, until 2027-01-31)</td>");
  });
});

describe("DoraTrends", () => {
  it("places each week's value on the chart and leaves out weeks without one", () => {
    const weeks = [week("2026-11-02", 0, null), week("2026-11-09", 1, 0.5), week("2026-11-16", 2, 0)];
    expect(sparkPoints(weeks, "deployment_frequency_per_day").map((p) => p.y)).toEqual([70, 35, 0]);
    expect(sparkPoints(weeks, "change_failure_rate").map((p) => p.x)).toEqual([110, 220]);
  });

  it("draws the four metrics for each group", () => {
    const html = renderToStaticMarkup(<DoraTrends trends={[{ group: "orders", weeks: [week("2026-11-16", 1, 0)] }]} />);
    expect(html.match(/data-metric=/g)).toHaveLength(4);
    expect(html).toContain("Deployment frequency: 1/day");
  });
});
