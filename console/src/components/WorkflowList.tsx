// Workflows as a table: status, service, template, requester, created; each row links to its page.
import type { WorkflowSummary } from "../types";
import { stateColour } from "../format";

export interface WorkflowListProps {
  workflows: WorkflowSummary[];
  /** Where a workflow's row links to; the console's own page by default. */
  linkTo?: (workflowId: string) => string;
}

export function WorkflowList({ workflows, linkTo = (id) => `#/workflows/${id}` }: WorkflowListProps) {
  if (workflows.length === 0) return <p className="empty">No workflows match.</p>;
  return (
    <table className="workflow-list">
      <thead>
        <tr>
          <th>workflow</th>
          <th>status</th>
          <th>service</th>
          <th>template</th>
          <th>requested by</th>
          <th>created</th>
        </tr>
      </thead>
      <tbody>
        {workflows.map((w) => (
          <tr key={w.workflowId} data-workflow={w.workflowId} data-status={w.status}>
            <td>
              <a href={linkTo(w.workflowId)}>{w.workflowId}</a>
            </td>
            <td>
              <span className="badge" style={{ background: stateColour(w.status) }}>
                {w.status}
              </span>
            </td>
            <td>{w.serviceName ?? "–"}</td>
            <td>{w.template}</td>
            <td>{w.requestedBy}</td>
            <td>{new Date(w.createdAt).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
