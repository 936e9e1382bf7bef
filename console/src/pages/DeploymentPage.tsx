// One deployment: its rollout as a chart (steps from the deploy task's result) and its approval.
import { useRef } from "react";
import type { ApiClient } from "../api";
import { RolloutChart } from "../components";
import { usePolling } from "../hooks";
import type { Approval, Deployment, DeploymentResult, RolloutStep } from "../types";
import { ApprovalPanel } from "./ApprovalPanel";

interface Loaded {
  workflowId: string | null;
  deployment: Deployment | null;
  steps: RolloutStep[];
  approval: Approval | null;
}

/** `known`: the workflow seen on an earlier load (a decided approval is no longer in the pending list,
 * and a prod deployment has no record until it runs). */
async function load(api: ApiClient, id: string, known: string | null): Promise<Loaded> {
  const deployment = await api.deployment(id).catch(() => null);
  const pending = (await api.approvals()).find((a) => a.subject === id) ?? null;
  const workflowId = deployment?.workflowId ?? pending?.workflowId ?? known;
  const workflow = workflowId ? await api.workflow(workflowId) : null;
  const result = workflow?.tasks.find((t) => t.outputs.deployment_id === id)?.outputs as DeploymentResult | undefined;
  const approval = pending ?? (workflowId ? await api.approval(`apr-${workflowId}`).catch(() => null) : null);
  if (!deployment && !approval) throw new Error(`no deployment ${id} and no approval for it`);
  return { workflowId, deployment, steps: result?.steps ?? [], approval: approval?.subject === id ? approval : null };
}

export function DeploymentPage({ api, deploymentId }: { api: ApiClient; deploymentId: string }) {
  const known = useRef<string | null>(null);
  const { data, error, reload } = usePolling(
    () => load(api, deploymentId, known.current).then((loaded) => ((known.current = loaded.workflowId), loaded)),
    [deploymentId],
    3000,
  );
  if (error) return <p className="error" role="alert">{error}</p>;
  if (!data) return <p>Loading…</p>;
  const { deployment, steps, approval } = data;
  return (
    <section>
      <h2>Deployment {deploymentId}</h2>
      {deployment && (
        <p>
          {deployment.service} {deployment.version.slice(0, 12)} to {deployment.environment} ({deployment.strategy}):{" "}
          <span className="deployment-status">{deployment.status}</span>
          {deployment.workflowId && (
            <>
              {" "}· workflow <a href={`#/workflows/${deployment.workflowId}`}>{deployment.workflowId}</a>
            </>
          )}
        </p>
      )}
      <h3>Rollout</h3>
      <RolloutChart steps={steps} version={deployment?.version.slice(0, 12)} />
      {approval && <ApprovalPanel api={api} approval={approval} onDecided={reload} />}
      {deployment && (
        <>
          <h3>History</h3>
          <ul>
            {deployment.history.map((h) => (
              <li key={`${h.at}-${h.status}`}>
                {h.at} {h.status}
                {h.detail ? `: ${h.detail}` : ""}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
