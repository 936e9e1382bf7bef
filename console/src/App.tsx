// The console's shell: a hash router over the pages (#/, #/workflows/:id, #/deployments/:id, #/policy/:id, #/dora).
import { useEffect, useState } from "react";
import type { ApiClient } from "./api";
import { DeploymentPage } from "./pages/DeploymentPage";
import { DoraPage } from "./pages/DoraPage";
import { PolicyPage } from "./pages/PolicyPage";
import { WorkflowPage } from "./pages/WorkflowPage";
import { WorkflowsPage } from "./pages/WorkflowsPage";

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const changed = () => setHash(window.location.hash);
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return hash;
}

function page(api: ApiClient, hash: string) {
  const [path] = hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "workflows" && parts[1]) return <WorkflowPage api={api} workflowId={parts[1]} />;
  if (parts[0] === "deployments" && parts[1]) return <DeploymentPage api={api} deploymentId={parts[1]} />;
  if (parts[0] === "policy") return <PolicyPage api={api} decisionId={parts[1]} />;
  if (parts[0] === "dora") return <DoraPage api={api} />;
  return <WorkflowsPage api={api} />;
}

export function App({ api }: { api: ApiClient | null }) {
  const hash = useHash();
  return (
    <>
      <header>
        <strong>Agentic DevOps</strong>
        <nav>
          <a href="#/">Workflows</a>
          <a href="#/policy">Policy</a>
          <a href="#/dora">DORA</a>
        </nav>
      </header>
      <main>
        {api ? (
          page(api, hash)
        ) : (
          <p className="error" role="alert">
            Not signed in: open the link that <code>agentic console</code> prints (it carries a fresh token).
          </p>
        )}
      </main>
    </>
  );
}
