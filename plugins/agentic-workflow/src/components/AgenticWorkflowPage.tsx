// The platform's page: workflows by status with DORA weekly trends, and one workflow's task graph.
import { useApi, useRouteRef } from "@backstage/core-plugin-api";
import { useState } from "react";
import { Route, Routes, useParams } from "react-router-dom";
import { LISTED_STATUSES, agenticWorkflowApiRef } from "../api";
import { DoraTrends, WorkflowGraph, WorkflowList } from "../console";
import { rootRouteRef } from "../routes";
import { Shown } from "./Shown";
import { useLoaded } from "./useLoaded";

function WorkflowsView() {
  const api = useApi(agenticWorkflowApiRef);
  const page = useRouteRef(rootRouteRef);
  const [status, setStatus] = useState<string>(LISTED_STATUSES[0]);
  const workflows = useLoaded(() => api.workflows(status), status);
  const trends = useLoaded(() => api.doraTrends("service"), "service");
  return (
    <>
      <label>
        Status{" "}
        <select value={status} onChange={(event) => setStatus(event.target.value)}>
          {LISTED_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <Shown
        loaded={workflows}
        what="workflows"
        draw={(list) => <WorkflowList workflows={list} linkTo={(id) => `${page()}/workflows/${id}`} />}
      />
      <h2>DORA, weekly, per service</h2>
      <Shown loaded={trends} what="DORA trends" draw={(list) => <DoraTrends trends={list} />} />
    </>
  );
}

function WorkflowView() {
  const api = useApi(agenticWorkflowApiRef);
  const { workflowId = "" } = useParams();
  const workflow = useLoaded(() => api.workflow(workflowId), workflowId);
  return (
    <Shown
      loaded={workflow}
      what={`workflow ${workflowId}`}
      draw={(w) => (
        <>
          <h2>
            {w.workflowId}: {w.status}
          </h2>
          {w.reason && <p role="note">{w.reason}</p>}
          <WorkflowGraph tasks={w.tasks} />
        </>
      )}
    />
  );
}

export function AgenticWorkflowPage() {
  return (
    <main>
      <h1>Agentic DevOps</h1>
      <Routes>
        <Route path="/" element={<WorkflowsView />} />
        <Route path="/workflows/:workflowId" element={<WorkflowView />} />
      </Routes>
    </main>
  );
}
