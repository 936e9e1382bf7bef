// The entity tab: the workflows and deployments of the catalog component (its name, or agentic.dev/service).
import { useApi, useRouteRef } from "@backstage/core-plugin-api";
import { useEntity } from "@backstage/plugin-catalog-react";
import { agenticWorkflowApiRef } from "../api";
import { WorkflowList } from "../console";
import { rootRouteRef } from "../routes";
import { serviceOf } from "../service";
import { DeploymentTable } from "./DeploymentTable";
import { Shown } from "./Shown";
import { useLoaded } from "./useLoaded";

export function EntityAgenticWorkflowContent() {
  const { entity } = useEntity();
  const api = useApi(agenticWorkflowApiRef);
  const page = useRouteRef(rootRouteRef);
  const service = serviceOf(entity);
  const workflows = useLoaded(() => api.serviceWorkflows(service), service);
  const deployments = useLoaded(() => api.deployments(service), service);
  return (
    <section aria-label={`Agentic DevOps: ${service}`}>
      <h2>Workflows of {service}</h2>
      <Shown
        loaded={workflows}
        what="workflows"
        draw={(list) => <WorkflowList workflows={list} linkTo={(id) => `${page()}/workflows/${id}`} />}
      />
      <h2>Deployments of {service}</h2>
      <Shown loaded={deployments} what="deployments" draw={(list) => <DeploymentTable deployments={list} />} />
    </section>
  );
}
