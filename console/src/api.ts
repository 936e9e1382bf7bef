// A small client of the platform API: a base URL and a bearer token; errors carry the API's message.
import type {
  Approval,
  Deployment,
  DoraTrend,
  PolicyDecision,
  PolicyRule,
  Workflow,
  WorkflowSummary,
} from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface WorkflowFilters {
  status?: string;
  template?: string;
  service?: string;
  requester?: string;
  limit?: number;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  private async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await fetch(this.baseUrl.replace(/\/$/, "") + path, {
      ...init,
      headers: { Authorization: `Bearer ${this.token}`, "Content-Type": "application/json", ...init.headers },
    });
    const text = await response.text();
    const body = text ? JSON.parse(text) : {};
    if (!response.ok) {
      const problems = (body.errors ?? []).map((e: { field: string; problem: string }) => `${e.field}: ${e.problem}`);
      const message = body.message ?? body.detail ?? `${response.status} on ${path}`;
      throw new ApiError(response.status, problems.length ? `${message} (${problems.join("; ")})` : message);
    }
    return body as T;
  }

  async workflows(filters: WorkflowFilters = {}): Promise<WorkflowSummary[]> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) if (value) query.set(key, String(value));
    const page = await this.request<{ workflows: WorkflowSummary[] }>(`/workflows?${query}`);
    return page.workflows;
  }

  async templates(): Promise<{ name: string; title?: string }[]> {
    return (await this.request<{ templates: { name: string; title?: string }[] }>("/templates")).templates;
  }

  workflow(id: string): Promise<Workflow> {
    return this.request(`/workflows/${encodeURIComponent(id)}`);
  }

  createWorkflow(template: string, parameters: Record<string, string>): Promise<Workflow> {
    return this.request("/workflows", { method: "POST", body: JSON.stringify({ template, parameters }) });
  }

  deployment(id: string): Promise<Deployment> {
    return this.request(`/deployments/${encodeURIComponent(id)}`);
  }

  async approvals(): Promise<Approval[]> {
    return (await this.request<{ approvals: Approval[] }>("/approvals")).approvals;
  }

  approval(id: string): Promise<Approval> {
    return this.request(`/approvals/${encodeURIComponent(id)}`);
  }

  decide(id: string, decision: "approve" | "reject", comment: string): Promise<Approval> {
    return this.request(`/approvals/${encodeURIComponent(id)}`, {
      method: "POST",
      body: JSON.stringify({ decision, comment }),
    });
  }

  /** The decision with every finding it kept: its pages (at most 100 findings each) read in turn. */
  async decision(id: string): Promise<PolicyDecision> {
    const path = `/policy/decisions/${encodeURIComponent(id)}?limit=100`;
    const first = await this.request<PolicyDecision>(path);
    const findings = [...first.findings];
    for (let cursor = first.next_cursor; cursor; ) {
      const page: PolicyDecision = await this.request(`${path}&cursor=${encodeURIComponent(cursor)}`);
      findings.push(...page.findings);
      cursor = page.next_cursor;
    }
    return { ...first, findings, next_cursor: null };
  }

  async rules(): Promise<{ bundle: string; rules: PolicyRule[] }> {
    return this.request("/policy/rules");
  }

  async doraTrends(by: "service" | "template", window = "84d"): Promise<DoraTrend[]> {
    const query = new URLSearchParams({ bucket: "week", by, window });
    const body = await this.request<{ trends?: DoraTrend[] }>(`/metrics/dora?${query}`);
    if (!Array.isArray(body.trends)) throw new ApiError(200, "this platform's /metrics/dora has no weekly trends (bucket=week)");
    return body.trends;
  }
}
