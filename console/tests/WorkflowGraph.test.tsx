import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { WorkflowGraph, layoutGraph } from "../src/components";
import type { Task } from "../src/types";

function task(taskId: string, dependsOn: string[], extra: Partial<Task> = {}): Task {
  return {
    taskId,
    agent: taskId,
    action: "run",
    status: "pending",
    dependsOn,
    attempt: 0,
    maxAttempts: 3,
    startedAt: null,
    finishedAt: null,
    error: null,
    outputs: {},
    estimatedDuration: "5s",
    ...extra,
  };
}

const GOLDEN = [task("codegen", []), task("policy", ["codegen"]), task("deploy", ["policy"]), task("verify", ["deploy"])];

describe("layoutGraph", () => {
  it("puts each task one column after the deepest task it depends on", () => {
    // Given a diamond: b and c after a, d after both
    const tasks = [task("a", []), task("b", ["a"]), task("c", ["a"]), task("d", ["b", "c"])];
    // When it is laid out
    const layout = layoutGraph(tasks);
    // Then the columns are 0, 1, 1, 2 and b and c share column 1 on two rows
    const columns = Object.fromEntries(layout.nodes.map((n) => [n.task.taskId, [n.column, n.row]]));
    expect(columns).toEqual({ a: [0, 0], b: [1, 0], c: [1, 1], d: [2, 0] });
  });

  it("draws one edge per dependency", () => {
    const layout = layoutGraph(GOLDEN);
    expect(layout.edges.map((e) => `${e.from.task.taskId}->${e.to.task.taskId}`)).toEqual([
      "codegen->policy",
      "policy->deploy",
      "deploy->verify",
    ]);
  });

  it("marks a task that ran longer than its estimate", () => {
    // Given a task estimated at 5 s that ran 12 s, and one that ran 2 s
    const slow = task("slow", [], {
      startedAt: "2026-01-01T00:00:00Z",
      finishedAt: "2026-01-01T00:00:12Z",
      status: "succeeded",
    });
    const quick = task("quick", [], {
      startedAt: "2026-01-01T00:00:00Z",
      finishedAt: "2026-01-01T00:00:02Z",
      status: "succeeded",
    });
    // When laid out
    const [a, b] = layoutGraph([slow, quick]).nodes;
    // Then only the slow one is over its estimate, with its measured seconds
    expect([a.seconds, a.overEstimate, b.seconds, b.overEstimate]).toEqual([12, true, 2, false]);
  });

  it("survives a dependency cycle without looping", () => {
    const layout = layoutGraph([task("x", ["y"]), task("y", ["x"])]);
    expect(layout.nodes).toHaveLength(2);
  });
});

describe("WorkflowGraph", () => {
  it("colours each node by its state and shows its attempts", () => {
    // Given a failed policy task on its second attempt
    const tasks = [
      task("codegen", [], { status: "succeeded", attempt: 1 }),
      task("policy", ["codegen"], { status: "failed", attempt: 2, error: "DOCKER-001" }),
    ];
    // When rendered
    const html = renderToStaticMarkup(<WorkflowGraph tasks={tasks} />);
    // Then the failed node is red and says attempt 2/3, the succeeded one green
    expect(html).toContain('data-task="policy" data-status="failed"');
    expect(html).toMatch(/data-task="policy".*?fill="#ef4444"/s);
    expect(html).toMatch(/data-task="codegen".*?fill="#22c55e"/s);
    expect(html).toContain("failed · attempt 2/3");
  });
});
