// The platform API as Backstage reaches it: the proxy endpoint `/agentic` (app-config.yaml) found through
// discoveryApi, called with fetchApi, which adds the signed-in user's Backstage token (the proxy forwards it:
// `credentials: forward`); the platform's JWT authorizer accepts that token.
import { createApiRef, type DiscoveryApi, type FetchApi } from "@backstage/core-plugin-api";
import type { Deployment, DoraTrend, Workflow, WorkflowSummary } from "./console";

export const PROXY_PATH = "/agentic";
export const LISTED_STATUSES = ["in_progress", "awaiting_approval", "failed", "completed"] as const;

export interface AgenticWorkflowApi {
  /** The service's workflows of every listed status, newest first. */
  serviceWorkflows(service: string): Promise<WorkflowSummary[]>;
  workflows(status: string): Promise<WorkflowSummary[]>;
  workflow(id: string): Promise<Workflow>;
  deployments(service: string): Promise<Deployment[]>;
  doraTrends(by: "service" | "template"): Promise<DoraTrend[]>;
}

export const agenticWorkflowApiRef = createApiRef<AgenticWorkflowApi>({ id: "plugin.agentic-workflow" });

export class AgenticApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class AgenticWorkflowClient implements AgenticWorkflowApi {
  constructor(private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {}

  private async get<T>(path: string, query: Record<string, string> = {}): Promise<T> {
    const base = `${await this.deps.discoveryApi.getBaseUrl("proxy")}${PROXY_PATH}`;
    const search = new URLSearchParams(query).toString();
    const response = await this.deps.fetchApi.fetch(`${base}${path}${search ? `?${search}` : ""}`);
    const text = await response.text();
    const body = text ? JSON.parse(text) : {};
    if (!response.ok) {
      throw new AgenticApiError(response.status, body.message ?? `${response.status} on ${path}`);
    }
    return body as T;
  }

  async workflows(status: string, service?: string): Promise<WorkflowSummary[]> {
    const query: Record<string, string> = { status, limit: "50" };
    if (service) query.service = service;
    return (await this.get<{ workflows: WorkflowSummary[] }>("/workflows", query)).workflows;
  }

  /** One request: the API lists several statuses at once (`status=a,b`), merged newest first. */
  async serviceWorkflows(service: string): Promise<WorkflowSummary[]> {
    const workflows = await this.workflows(LISTED_STATUSES.join(","), service);
    return [...workflows].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  workflow(id: string): Promise<Workflow> {
    return this.get(`/workflows/${encodeURIComponent(id)}`);
  }

  async deployments(service: string): Promise<Deployment[]> {
    return (await this.get<{ deployments: Deployment[] }>("/deployments", { service })).deployments;
  }

  async doraTrends(by: "service" | "template"): Promise<DoraTrend[]> {
    const query = { bucket: "week", by, window: "84d" };
    return (await this.get<{ trends: DoraTrend[] }>("/metrics/dora", query)).trends;
  }
}
