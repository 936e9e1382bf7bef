import { renderInTestApp, TestApiProvider } from "@backstage/test-utils";
import { screen } from "@testing-library/react";
import { type AgenticWorkflowApi, agenticWorkflowApiRef } from "../api";
import { AgenticWorkflowPage } from "./AgenticWorkflowPage";
import { rootRouteRef } from "../routes";

const TASKS = [
  { taskId: "plan", agent: "planner", action: "plan", dependsOn: [], status: "succeeded" },
  { taskId: "code", agent: "codegen", action: "generate", dependsOn: ["plan"], status: "failed" },
].map((t) => ({
  ...t,
  attempt: 1,
  maxAttempts: 3,
  startedAt: "2026-12-01T10:00:00Z",
  finishedAt: "2026-12-01T10:01:00Z",
  error: null,
  outputs: {},
  estimatedDuration: null,
}));

const api: AgenticWorkflowApi = {
  workflows: async (status) => [
    {
      workflowId: `wf-${status}`,
      status: status as "in_progress",
      template: "python-service",
      serviceName: "orders",
      requestedBy: "ana@example.com",
      createdAt: "2026-12-01T10:00:00Z",
      completedAt: null,
    },
  ],
  workflow: async (id) => ({
    workflowId: id,
    status: "failed",
    template: "python-service",
    serviceName: "orders",
    requestedBy: "ana@example.com",
    createdAt: "2026-12-01T10:00:00Z",
    completedAt: "2026-12-01T10:01:00Z",
    parameters: {},
    reason: "codegen failed: the quality gate found 2 errors",
    links: {},
    tasks: TASKS,
    remediations: [],
  }),
  serviceWorkflows: async () => [],
  deployments: async () => [],
  doraTrends: async () => [],
};

test("the page lists the in-progress workflows first", async () => {
  // When the page is rendered at its root
  await renderInTestApp(
    <TestApiProvider apis={[[agenticWorkflowApiRef, api]]}>
      <AgenticWorkflowPage />
    </TestApiProvider>,
    { mountedRoutes: { "/agentic": rootRouteRef } },
  );
  // Then the in-progress workflow is listed, linked to its own page
  expect(await screen.findByRole("link", { name: "wf-in_progress" })).toHaveAttribute(
    "href",
    "/agentic/workflows/wf-in_progress",
  );
});

test("a workflow's page draws its tasks with the console's graph and says why it failed", async () => {
  // When the page is rendered at a workflow's address
  await renderInTestApp(
    <TestApiProvider apis={[[agenticWorkflowApiRef, api]]}>
      <AgenticWorkflowPage />
    </TestApiProvider>,
    { routeEntries: ["/workflows/wf-9"], mountedRoutes: { "/agentic": rootRouteRef } },
  );
  // Then the failure reason and both tasks of the graph are on the page
  expect(await screen.findByRole("note")).toHaveTextContent("the quality gate found 2 errors");
  expect(screen.getByText("wf-9: failed")).toBeInTheDocument();
  expect(screen.getAllByText(/plan|code/).length).toBeGreaterThanOrEqual(2);
});
