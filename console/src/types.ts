// The platform API's JSON, as the console reads it (field names as the API sends them).

export type WorkflowStatus = "in_progress" | "awaiting_approval" | "completed" | "failed" | "cancelled";
export type TaskStatus = "pending" | "ready" | "running" | "succeeded" | "failed" | "skipped" | "cancelled";

export interface WorkflowSummary {
  workflowId: string;
  status: WorkflowStatus;
  template: string;
  serviceName: string | null;
  requestedBy: string;
  createdAt: string;
  completedAt: string | null;
}

export interface Task {
  taskId: string;
  agent: string;
  action: string;
  status: TaskStatus;
  dependsOn: string[];
  attempt: number;
  maxAttempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  outputs: Record<string, unknown>;
  estimatedDuration: string | null;
}

export interface Workflow extends WorkflowSummary {
  parameters: Record<string, unknown>;
  reason: string | null;
  links: Record<string, string>;
  tasks: Task[];
  remediations: Record<string, unknown>[];
  traceId?: string | null;
  [extra: string]: unknown;
}

export interface Evidence {
  metric: string;
  value: number | null;
  threshold: number | null;
  passed: boolean;
  query?: string;
  source?: string;
}

export interface RolloutStep {
  weight: number;
  label: string;
  passed: boolean;
  reasons: string[];
  measurements: Record<string, number>;
  evidence: Evidence[];
  /** Percent of traffic per version label during the step (recorded since the steps carry times). */
  traffic?: Record<string, number>;
  started_at?: string | null;
  ended_at?: string | null;
}

export interface DeploymentResult {
  deployment_id: string;
  service_name: string;
  environment: string;
  version: string;
  strategy: string;
  status: string;
  steps: RolloutStep[];
}

export interface Deployment {
  deploymentId: string;
  workflowId: string | null;
  service: string;
  environment: string;
  version: string;
  strategy: string;
  status: string;
  url: string | null;
  updatedAt: string;
  history: { at: string; status: string; detail: string | null; target?: string | null }[];
}

export interface Finding {
  rule: string;
  severity: string;
  message: string;
  file: string | null;
  line: number | null;
  remediation: string | null;
  waiver_id: string | null;
  tool?: string;
  blocking?: boolean;
  /** The waiver that covers it (who asked, who approved, until when), as the decision recorded it. */
  waiver?: { waiver_id: string; reason: string; owner: string; approved_by: string | null; expires_at: string } | null;
}

export interface PolicyDecision {
  decision_id: string;
  subject: string;
  bundle_version: string;
  environment: string;
  enforcement: string;
  valid: boolean;
  violations: number;
  blocking: number;
  workflow_id: string | null;
  evaluated_at: string;
  /** A page of the findings the decision kept (GET /policy/decisions/{id}?limit=&cursor=). */
  findings: Finding[];
  findings_total: number;
  findings_kept: number;
  next_cursor: string | null;
}

export interface PolicyRule {
  id: string;
  title: string;
  severity: string;
  category: string;
  description: string;
  remediation: string;
}

export interface Approval {
  approvalId: string;
  subject: string;
  workflowId: string | null;
  service: string;
  environment: string;
  summary: string;
  status: string;
  requestedBy: string;
  rule: { text: string };
  decidedBy: string | null;
  comment: string | null;
  audit: { at: string; actor: string; action: string; comment: string | null }[];
}

export interface DoraWeek {
  week_start: string;
  deployments: number;
  deployment_frequency_per_day: number;
  lead_time_hours: number | null;
  change_failure_rate: number | null;
  time_to_restore_hours: number | null;
}

export interface DoraTrend {
  group: string;
  weeks: DoraWeek[];
}
