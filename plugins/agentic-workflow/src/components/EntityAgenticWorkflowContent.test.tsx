import type { Entity } from "@backstage/catalog-model";
import { EntityProvider } from "@backstage/plugin-catalog-react";
import { renderInTestApp, TestApiProvider } from "@backstage/test-utils";
import { screen } from "@testing-library/react";
import { type AgenticWorkflowApi, agenticWorkflowApiRef } from "../api";
import { EntityAgenticWorkflowContent } from "../plugin";
import { rootRouteRef } from "../routes";

function component(name: string, annotations: Record<string, string> = {}): Entity {
  return { apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name, annotations }, spec: {} };
}

function recordingApi(asked: string[]): AgenticWorkflowApi {
  return {
    serviceWorkflows: async (service) => {
      asked.push(`workflows:${service}`);
      return [
        {
          workflowId: "wf-7",
          status: "completed",
          template: "python-service",
          serviceName: service,
          requestedBy: "ana@example.com",
          createdAt: "2026-12-01T10:00:00Z",
          completedAt: "2026-12-01T10:05:00Z",
        },
      ];
    },
    deployments: async (service) => {
      asked.push(`deployments:${service}`);
      return [
        {
          deploymentId: "dep-3",
          workflowId: "wf-7",
          service,
          environment: "staging",
          version: "1.4.0",
          strategy: "canary",
          status: "succeeded",
          url: null,
          updatedAt: "2026-12-01T10:04:00Z",
          history: [],
        },
      ];
    },
    workflows: async () => [],
    workflow: async () => Promise.reject(new Error("not asked")),
    doraTrends: async () => [],
  };
}

async function renderTab(entity: Entity, api: AgenticWorkflowApi) {
  await renderInTestApp(
    <TestApiProvider apis={[[agenticWorkflowApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityAgenticWorkflowContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { "/agentic": rootRouteRef } },
  );
}

test("the tab shows the component's workflows with the console's list, linked to the plugin page", async () => {
  // Given a component named "orders"
  const asked: string[] = [];
  // When its tab is rendered
  await renderTab(component("orders"), recordingApi(asked));
  // Then its workflow is listed by the console's WorkflowList, linking to the plugin's workflow page
  const link = await screen.findByRole("link", { name: "wf-7" });
  expect(link).toHaveAttribute("href", "/agentic/workflows/wf-7");
  expect(link.closest("table")).toHaveClass("workflow-list");
  expect(asked).toContain("workflows:orders");
});

test("the tab shows the component's deployments", async () => {
  // Given a component named "orders"
  const asked: string[] = [];
  // When its tab is rendered
  await renderTab(component("orders"), recordingApi(asked));
  // Then its deployment is a row with environment, version and status
  const row = (await screen.findByText("dep-3")).closest("tr");
  expect(row).toHaveTextContent("staging1.4.0canarysucceeded");
  expect(asked).toContain("deployments:orders");
});

test("the agentic.dev/service annotation names the service when it differs from the component", async () => {
  // Given a component whose platform service is "orders-api"
  const asked: string[] = [];
  // When its tab is rendered
  await renderTab(component("orders-frontend", { "agentic.dev/service": "orders-api" }), recordingApi(asked));
  // Then the platform is asked about "orders-api", not the component's own name
  expect(await screen.findByText("Workflows of orders-api")).toBeInTheDocument();
  expect(asked.sort()).toEqual(["deployments:orders-api", "workflows:orders-api"]);
});

test("an API error is shown with its message, not an empty list", async () => {
  // Given an API that refuses
  const api = { ...recordingApi([]), serviceWorkflows: async () => Promise.reject(new Error("401: token expired")) };
  // When the tab is rendered
  await renderTab(component("orders"), api);
  // Then the refusal is on the page
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not load workflows: 401: token expired");
});
