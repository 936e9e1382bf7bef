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

/** The waiver that covers a finding: its id, and who approved it until when when the decision recorded that. */
export function waiverText(finding: Finding): string {
  if (!finding.waiver_id) return "–";
  const waiver = finding.waiver;
  if (!waiver) return finding.waiver_id;
  return `${finding.waiver_id} (${waiver.reason}; approved by ${waiver.approved_by ?? "nobody yet"}, until ${waiver.expires_at.slice(0, 10)})`;
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
            <td>{waiverText(f)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
