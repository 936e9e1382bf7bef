// Policy: a decision's findings (from its workflow's policy task) and the rules of the bundle.
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

async function load(api: ApiClient, decisionId?: string, workflowId?: string | null): Promise<Loaded> {
  const decision = decisionId ? await api.decision(decisionId) : null;
  const owner = workflowId ?? decision?.workflow_id ?? null;
  const task = owner ? (await api.workflow(owner)).tasks.find((t) => t.outputs.decision_id === decisionId) : undefined;
  const list = (key: string) => (Array.isArray(task?.outputs[key]) ? (task?.outputs[key] as Finding[]) : []);
  const { bundle, rules } = await api.rules();
  return { decision, findings: [...list("violations"), ...list("waived")], bundle, rules };
}

export function PolicyPage({ api, decisionId, workflowId }: { api: ApiClient; decisionId?: string; workflowId: string | null }) {
  const { data, error } = usePolling(() => load(api, decisionId, workflowId), [decisionId, workflowId]);
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
