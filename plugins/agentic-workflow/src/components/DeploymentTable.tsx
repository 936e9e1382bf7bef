import type { Deployment } from "../console";

export function DeploymentTable({ deployments }: { deployments: Deployment[] }) {
  if (deployments.length === 0) return <p>No deployments yet.</p>;
  return (
    <table className="deployment-list">
      <thead>
        <tr>
          <th>deployment</th>
          <th>environment</th>
          <th>version</th>
          <th>strategy</th>
          <th>status</th>
          <th>updated</th>
        </tr>
      </thead>
      <tbody>
        {deployments.map((d) => (
          <tr key={d.deploymentId} data-deployment={d.deploymentId}>
            <td>{d.deploymentId}</td>
            <td>{d.environment}</td>
            <td>{d.version}</td>
            <td>{d.strategy}</td>
            <td>{d.status}</td>
            <td>{new Date(d.updatedAt).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
