// The console's components: plain data props (the API's JSON), no fetching. The Backstage plugin uses them too.
export { WorkflowList } from "./WorkflowList";
export type { WorkflowListProps } from "./WorkflowList";
export { WorkflowGraph, layoutGraph, depths } from "./WorkflowGraph";
export type { WorkflowGraphProps, GraphLayout, NodeBox } from "./WorkflowGraph";
export { RolloutChart, rolloutSeries, slots, seconds } from "./RolloutChart";
export type { RolloutChartProps, RolloutPoint, Slot } from "./RolloutChart";
export { FindingsTable, sortFindings } from "./FindingsTable";
export type { FindingsTableProps } from "./FindingsTable";
export { DoraTrends, sparkline, sparkPoints } from "./DoraTrends";
export type { DoraTrendsProps } from "./DoraTrends";
export type * from "../types";
