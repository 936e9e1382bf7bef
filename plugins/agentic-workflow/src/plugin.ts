import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from "@backstage/core-plugin-api";
import { AgenticWorkflowClient, agenticWorkflowApiRef } from "./api";
import { rootRouteRef } from "./routes";

export const agenticWorkflowPlugin = createPlugin({
  id: "agentic-workflow",
  apis: [
    createApiFactory({
      api: agenticWorkflowApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: (deps) => new AgenticWorkflowClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The platform's page: workflows by status, one workflow's graph, DORA trends. */
export const AgenticWorkflowPage = agenticWorkflowPlugin.provide(
  createRoutableExtension({
    name: "AgenticWorkflowPage",
    component: () => import("./components/AgenticWorkflowPage").then((m) => m.AgenticWorkflowPage),
    mountPoint: rootRouteRef,
  }),
);

/** The entity tab: the component's workflows and deployments. */
export const EntityAgenticWorkflowContent = agenticWorkflowPlugin.provide(
  createComponentExtension({
    name: "EntityAgenticWorkflowContent",
    component: {
      lazy: () => import("./components/EntityAgenticWorkflowContent").then((m) => m.EntityAgenticWorkflowContent),
    },
  }),
);
