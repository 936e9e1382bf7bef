// Policy: a decision's findings (as GET /policy/decisions/{id} answers them) and the rules of the bundle.
import type { ApiClient } from "../api";
import { FindingsTable } from "../components";
import { usePolling } from "../hooks";
import type { Finding, PolicyDecision, PolicyRule } from "../types";

interface Loaded {
  decision: PolicyDecision | null;
  findings: Finding[];
  bundle: string;
  rules: PolicyRule[];
}

async function load(api: ApiClient, decisionId?: string): Promise<Loaded> {
  const [decision, { bundle, rules }] = await Promise.all([
    decisionId ? api.decision(decisionId) : Promise.resolve(null),
    api.rules(),
  ]);
  return { decision, findings: decision?.findings ?? [], bundle, rules };
}

export function PolicyPage({ api, decisionId }: { api: ApiClient; decisionId?: string }) {
  const { data, error } = usePolling(() => load(api, decisionId), [decisionId]);
  if (error) return <p className="error" role="alert">{error}</p>;
  if (!data) return <p>Loading…</p>;
  const { decision, findings, bundle, rules } = data;
  return (
    <section>
      <h2>Policy</h2>
      {decision && (
        <div className="panel decision">
          <h3>Decision {decision.decision_id}</h3>
          <p>
            {decision.subject} in {decision.environment} ({decision.enforcement}):{" "}
            {decision.valid ? "valid" : "blocked"}, {decision.violations} finding(s), {decision.blocking} blocking ·
            bundle {decision.bundle_version} · {decision.evaluated_at}
          </p>
          {decision.findings_kept < decision.findings_total && (
            <p className="note">
              {decision.findings_kept} of {decision.findings_total} findings kept on the decision (most severe first); the
              workflow's policy report holds every one.
            </p>
          )}
          <FindingsTable findings={findings} />
        </div>
      )}
      <h3>Rules of {bundle}</h3>
      <table className="rules-table">
        <thead>
          <tr>
            <th>id</th>
            <th>title</th>
            <th>severity</th>
            <th>category</th>
            <th>description</th>
            <th>remediation</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.id}>
              <td>{r.id}</td>
              <td>{r.title}</td>
              <td>{r.severity}</td>
              <td>{r.category}</td>
              <td>{r.description}</td>
              <td>{r.remediation}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
