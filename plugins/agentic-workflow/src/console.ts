// The web console's own components and API client (console/src), not copies: the plugin draws with them.
export { WorkflowList, WorkflowGraph, DoraTrends } from "../../../console/src/components";
export type { Deployment, DoraTrend, Workflow, WorkflowSummary } from "../../../console/src/types";
