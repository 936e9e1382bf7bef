// DORA: the four metrics as weekly trends, per service or per template.
import { useState } from "react";
import type { ApiClient } from "../api";
import { DoraTrends } from "../components";
import { usePolling } from "../hooks";

export function DoraPage({ api }: { api: ApiClient }) {
  const [by, setBy] = useState<"service" | "template">("service");
  const { data, error } = usePolling(() => api.doraTrends(by), [by], 30000);
  return (
    <section>
      <h2>DORA metrics, weekly (last 12 weeks)</h2>
      <select aria-label="group by" value={by} onChange={(e) => setBy(e.target.value as "service" | "template")}>
        <option value="service">per service</option>
        <option value="template">per template</option>
      </select>
      {error && <p className="error" role="alert">{error}</p>}
      {data ? <DoraTrends trends={data} /> : !error && <p>Loading…</p>}
    </section>
  );
}
