// Workflows with filters (status, template, service, requester), refreshed every 3 s, and a form to start one.
import { useState } from "react";
import type { ApiClient, WorkflowFilters } from "../api";
import { WorkflowList } from "../components";
import { usePolling } from "../hooks";
import type { WorkflowSummary } from "../types";

const STATUSES = ["in_progress", "awaiting_approval", "completed", "failed", "cancelled"];

/** The API lists one status at a time: "any status" asks for each and merges them, newest first. The
 * other filters go to the API too, and are applied here as well in case the API does not filter by them. */
async function listWorkflows(api: ApiClient, filters: WorkflowFilters): Promise<WorkflowSummary[]> {
  const statuses = filters.status ? [filters.status] : STATUSES;
  const pages = await Promise.all(statuses.map((status) => api.workflows({ ...filters, status })));
  const has = (value: string | null, wanted?: string) => !wanted || (value ?? "").includes(wanted);
  return pages
    .flat()
    .filter((w) => has(w.template, filters.template) && has(w.serviceName, filters.service))
    .filter((w) => has(w.requestedBy, filters.requester))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

function CreateForm({ api }: { api: ApiClient }) {
  const [service, setService] = useState("");
  const [language, setLanguage] = useState("python");
  const [environment, setEnvironment] = useState("dev");
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    try {
      const created = await api.createWorkflow("microservice-rest-api", { serviceName: service, language, environment });
      window.location.hash = `#/workflows/${created.workflowId}`;
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <form className="create" onSubmit={submit} aria-label="new workflow">
      <strong>New service</strong>
      <input name="serviceName" placeholder="service name" value={service} onChange={(e) => setService(e.target.value)} required />
      <select name="language" value={language} onChange={(e) => setLanguage(e.target.value)}>
        <option>python</option>
        <option>node</option>
        <option>go</option>
      </select>
      <select name="environment" value={environment} onChange={(e) => setEnvironment(e.target.value)}>
        <option>dev</option>
        <option>staging</option>
        <option>prod</option>
      </select>
      <button type="submit">Create workflow</button>
      {message && <span className="error" role="alert">{message}</span>}
    </form>
  );
}

export function WorkflowsPage({ api }: { api: ApiClient }) {
  const [filters, setFilters] = useState<WorkflowFilters>({});
  const { data, error } = usePolling(() => listWorkflows(api, filters), [JSON.stringify(filters)], 3000);
  const set = (key: keyof WorkflowFilters) => (e: { target: { value: string } }) =>
    setFilters({ ...filters, [key]: e.target.value || undefined });
  return (
    <section>
      <h2>Workflows</h2>
      <CreateForm api={api} />
      <div className="filters">
        <select aria-label="status" value={filters.status ?? ""} onChange={set("status")}>
          <option value="">any status</option>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <input aria-label="template" placeholder="template" onChange={set("template")} />
        <input aria-label="service" placeholder="service" onChange={set("service")} />
        <input aria-label="requester" placeholder="requester" onChange={set("requester")} />
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {data ? <WorkflowList workflows={data} /> : <p>Loading…</p>}
    </section>
  );
}
