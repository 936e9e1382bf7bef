// The task DAG of a workflow: one column per depth, nodes coloured by state, attempts and time vs estimate.
import type { Task } from "../types";
import { elapsedSeconds, formatSeconds, parseDuration, stateColour } from "../format";

export interface NodeBox {
  task: Task;
  column: number;
  row: number;
  x: number;
  y: number;
  seconds: number | null;
  estimate: number | null;
  overEstimate: boolean;
}

export interface GraphLayout {
  nodes: NodeBox[];
  edges: { from: NodeBox; to: NodeBox }[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 170;
export const NODE_HEIGHT = 64;
const GAP_X = 60;
const GAP_Y = 24;

/** Depth of each task = the longest chain of dependencies before it (unknown ids are ignored). */
export function depths(tasks: Task[]): Map<string, number> {
  const byId = new Map(tasks.map((t) => [t.taskId, t]));
  const depth = new Map<string, number>();
  const visit = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0; // a cycle is not a DAG: draw it flat rather than loop
    seen.add(id);
    const parents = (byId.get(id)?.dependsOn ?? []).filter((p) => byId.has(p));
    const value = parents.length ? 1 + Math.max(...parents.map((p) => visit(p, seen))) : 0;
    depth.set(id, value);
    return value;
  };
  tasks.forEach((t) => visit(t.taskId, new Set()));
  return depth;
}

export function layoutGraph(tasks: Task[], now: Date = new Date()): GraphLayout {
  const depth = depths(tasks);
  const rows = new Map<number, number>();
  const nodes = tasks.map((task) => {
    const column = depth.get(task.taskId) ?? 0;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    const seconds = elapsedSeconds(task.startedAt, task.finishedAt, now);
    const estimate = parseDuration(task.estimatedDuration);
    return {
      task,
      column,
      row,
      x: 10 + column * (NODE_WIDTH + GAP_X),
      y: 10 + row * (NODE_HEIGHT + GAP_Y),
      seconds,
      estimate,
      overEstimate: seconds !== null && estimate !== null && seconds > estimate,
    };
  });
  const byId = new Map(nodes.map((n) => [n.task.taskId, n]));
  const edges = nodes.flatMap((to) =>
    to.task.dependsOn.flatMap((id) => {
      const from = byId.get(id);
      return from ? [{ from, to }] : [];
    }),
  );
  const columns = Math.max(0, ...nodes.map((n) => n.column)) + 1;
  const maxRows = Math.max(1, ...rows.values());
  return {
    nodes,
    edges,
    width: 20 + columns * NODE_WIDTH + (columns - 1) * GAP_X,
    height: 20 + maxRows * NODE_HEIGHT + (maxRows - 1) * GAP_Y,
  };
}

export interface WorkflowGraphProps {
  tasks: Task[];
  now?: Date;
}

export function WorkflowGraph({ tasks, now }: WorkflowGraphProps) {
  const layout = layoutGraph(tasks, now);
  return (
    <svg
      className="workflow-graph"
      role="img"
      aria-label="task graph"
      width={layout.width}
      height={layout.height}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
    >
      {layout.edges.map(({ from, to }) => (
        <line
          key={`${from.task.taskId}->${to.task.taskId}`}
          x1={from.x + NODE_WIDTH}
          y1={from.y + NODE_HEIGHT / 2}
          x2={to.x}
          y2={to.y + NODE_HEIGHT / 2}
          stroke="#64748b"
          strokeWidth={1.5}
        />
      ))}
      {layout.nodes.map((node) => (
        <g key={node.task.taskId} data-task={node.task.taskId} data-status={node.task.status}>
          <title>{`${node.task.agent} ${node.task.action}: ${node.task.status}${node.task.error ? ` (${node.task.error})` : ""}`}</title>
          <rect
            x={node.x}
            y={node.y}
            width={NODE_WIDTH}
            height={NODE_HEIGHT}
            rx={8}
            fill={stateColour(node.task.status)}
            stroke={node.overEstimate ? "#b91c1c" : "#334155"}
            strokeWidth={node.overEstimate ? 2.5 : 1}
          />
          <text x={node.x + 10} y={node.y + 20} fontWeight="bold" fontSize={13}>
            {node.task.taskId}
          </text>
          <text x={node.x + 10} y={node.y + 38} fontSize={11}>
            {`${node.task.status} · attempt ${node.task.attempt}/${node.task.maxAttempts}`}
          </text>
          <text x={node.x + 10} y={node.y + 54} fontSize={11}>
            {`${formatSeconds(node.seconds)} / est ${formatSeconds(node.estimate)}`}
          </text>
        </g>
      ))}
    </svg>
  );
}
