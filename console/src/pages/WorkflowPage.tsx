// One workflow: its task graph (live until it ends), outputs as links, why it failed and what to do,
// remediation records, its trace id, and the approval it waits for.
import type { ApiClient } from "../api";
import { WorkflowGraph } from "../components";
import { usePolling } from "../hooks";
import type { Approval, Workflow } from "../types";
import { ApprovalPanel } from "./ApprovalPanel";

const ENDED = new Set(["completed", "failed", "cancelled"]);

function output(workflow: Workflow, taskId: string, key: string): string | null {
  const value = workflow.tasks.find((t) => t.taskId === taskId)?.outputs[key];
  return typeof value === "string" ? value : null;
}

/** What a person can do about a failed workflow, from the task that failed. */
export function nextStep(workflow: Workflow): string | null {
  if (workflow.status !== "failed") return null;
  const failed = workflow.tasks.find((t) => t.status === "failed");
  if (failed?.agent === "policy")
    return "Open the policy findings below, fix them in the repository (or ask for a waiver), then create the workflow again.";
  if (failed?.agent === "deployment")
    return "Open the deployment: its rollout steps show which objective was breached; the previous version keeps serving.";
  return `Read the workflow's lines from every service: agentic logs ${workflow.workflowId}`;
}

async function load(api: ApiClient, id: string): Promise<{ workflow: Workflow; approval: Approval | null }> {
  const workflow = await api.workflow(id);
  const approval =
    workflow.status === "awaiting_approval" || workflow.parameters.environment === "prod"
      ? await api.approval(`apr-${id}`).catch(() => null)
      : null;
  return { workflow, approval };
}

export function WorkflowPage({ api, workflowId }: { api: ApiClient; workflowId: string }) {
  const { data, error, reload } = usePolling(() => load(api, workflowId), [workflowId], 2000);
  const live = !data || !ENDED.has(data.workflow.status);
  if (error) return <p className="error" role="alert">{error}</p>;
  if (!data) return <p>Loading…</p>;
  const { workflow, approval } = data;
  const deploymentId = output(workflow, "deploy", "deployment_id") ?? (approval?.subject.startsWith("dep-") ? approval.subject : null);
  const decisionId = output(workflow, "policy", "decision_id");
  const step = nextStep(workflow);
  return (
    <section>
      <h2>
        {workflow.serviceName ?? workflow.workflowId}{" "}
        <span className="workflow-status" data-status={workflow.status}>{workflow.status}</span>
        {live && <small> (live)</small>}
      </h2>
      <p>
        {workflow.workflowId} · {workflow.template} · requested by {workflow.requestedBy} · trace id{" "}
        <code className="trace-id">{workflow.traceId ?? "–"}</code>
      </p>
      <WorkflowGraph tasks={workflow.tasks} />
      {workflow.reason && (
        <div className="panel failure">
          <h3>Why it {workflow.status === "failed" ? "failed" : "stopped"}</h3>
          <p>{workflow.reason}</p>
          {step && <p><strong>What to do:</strong> {step}</p>}
        </div>
      )}
      <h3>Outputs</h3>
      <ul className="outputs">
        {Object.entries(workflow.links).map(([name, href]) => (
          <li key={name}>
            {name}: <a href={href}>{href}</a>
          </li>
        ))}
        {deploymentId && (
          <li>
            deployment: <a href={`#/deployments/${deploymentId}`}>{deploymentId}</a>
          </li>
        )}
        {decisionId && (
          <li>
            policy report: <a href={`#/policy/${decisionId}?workflow=${workflow.workflowId}`}>{decisionId}</a>
          </li>
        )}
      </ul>
      {approval && <ApprovalPanel api={api} approval={approval} onDecided={reload} />}
      <h3>Remediation records</h3>
      {workflow.remediations.length === 0 ? (
        <p className="empty">None.</p>
      ) : (
        <ul className="remediations">
          {workflow.remediations.map((r, i) => (
            <li key={i}>
              <strong>{String(r.tier)}</strong> {String(r.playbook)}: {String(r.summary)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
