// A policy decision's findings: rule, severity, file:line, remediation and the waiver that covers it.
import type { Finding } from "../types";

const SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"];

export function sortFindings(findings: Finding[]): Finding[] {
  const rank = (s: string) => {
    const i = SEVERITY_ORDER.indexOf(s.toLowerCase());
    return i === -1 ? SEVERITY_ORDER.length : i;
  };
  return [...findings].sort((a, b) => rank(a.severity) - rank(b.severity) || a.rule.localeCompare(b.rule));
}

export function location(finding: Finding): string {
  if (!finding.file) return "–";
  return finding.line ? `${finding.file}:${finding.line}` : finding.file;
}

export interface FindingsTableProps {
  findings: Finding[];
}

export function FindingsTable({ findings }: FindingsTableProps) {
  if (findings.length === 0) return <p className="empty">No findings.</p>;
  return (
    <table className="findings-table">
      <thead>
        <tr>
          <th>rule</th>
          <th>severity</th>
          <th>file:line</th>
          <th>finding</th>
          <th>remediation</th>
          <th>waiver</th>
        </tr>
      </thead>
      <tbody>
        {sortFindings(findings).map((f, i) => (
          <tr key={`${f.rule}-${i}`} className={`severity-${f.severity.toLowerCase()}`}>
            <td>{f.rule}</td>
            <td>{f.severity}</td>
            <td>{location(f)}</td>
            <td>{f.message}</td>
            <td>{f.remediation ?? "–"}</td>
            <td>{f.waiver_id ?? "–"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
