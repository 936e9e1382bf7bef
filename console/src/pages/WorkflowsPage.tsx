// Workflows with filters (status, template, service, requester), refreshed every 3 s, and a form to start one.
import { useState } from "react";
import type { ApiClient, WorkflowFilters } from "../api";
import { WorkflowList } from "../components";
import { usePolling } from "../hooks";
import type { WorkflowSummary } from "../types";

const STATUSES = ["in_progress", "awaiting_approval", "completed", "failed", "cancelled"];

/** One call whatever the status: "any status" is GET /workflows?status=any (the API merges every status,
 * newest first). The other filters go to the API (GET /workflows?template=&service=&requester=), and are
 * applied here as well, for an API that does not filter by them. */
async function listWorkflows(api: ApiClient, filters: WorkflowFilters): Promise<WorkflowSummary[]> {
  const page = await api.workflows({ limit: 50, ...filters, status: filters.status || "any" });
  const has = (value: string | null, wanted?: string) => !wanted || (value ?? "").includes(wanted);
  return page
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

/** A text filter applies when the user presses Enter or leaves the field (the API checks each value). */
function FilterInput({ name, onApply }: { name: keyof WorkflowFilters; onApply: (value?: string) => void }) {
  const apply = (e: { currentTarget: HTMLInputElement }) => onApply(e.currentTarget.value.trim() || undefined);
  return (
    <input
      aria-label={name}
      placeholder={`${name} (Enter)`}
      onBlur={apply}
      onKeyDown={(e) => e.key === "Enter" && apply(e)}
    />
  );
}

export function WorkflowsPage({ api }: { api: ApiClient }) {
  const [filters, setFilters] = useState<WorkflowFilters>({});
  const { data, error } = usePolling(() => listWorkflows(api, filters), [JSON.stringify(filters)], 3000);
  const templates = usePolling(() => api.templates(), []).data ?? [];
  const set = (key: keyof WorkflowFilters) => (value?: string) => setFilters({ ...filters, [key]: value });
  return (
    <section>
      <h2>Workflows</h2>
      <CreateForm api={api} />
      <div className="filters">
        <select aria-label="status" value={filters.status ?? ""} onChange={(e) => set("status")(e.target.value || undefined)}>
          <option value="">any status</option>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="template" value={filters.template ?? ""} onChange={(e) => set("template")(e.target.value || undefined)}>
          <option value="">any template</option>
          {templates.map((t) => (
            <option key={t.name}>{t.name}</option>
          ))}
        </select>
        <FilterInput name="service" onApply={set("service")} />
        <FilterInput name="requester" onApply={set("requester")} />
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {data ? <WorkflowList workflows={data} /> : <p>Loading…</p>}
    </section>
  );
}
