// Small pure helpers shared by the components: durations, colours of states.
import type { TaskStatus } from "./types";

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1 };

/** "1m30s", "5s", "2h" -> seconds; null when the text is not such a duration. */
export function parseDuration(text: string | null | undefined): number | null {
  if (!text) return null;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)([hms])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text.trim()) return null;
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2]], 0);
}

/** Seconds between two ISO times (to `now` when the end is missing); null without a start. */
export function elapsedSeconds(start: string | null, end: string | null, now: Date = new Date()): number | null {
  if (!start) return null;
  const to = end ? Date.parse(end) : now.getTime();
  return Math.max(0, (to - Date.parse(start)) / 1000);
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return "–";
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${Math.round(seconds - minutes * 60)}s`;
}

export const STATE_COLOURS: Record<TaskStatus | string, string> = {
  pending: "#cbd5e1",
  ready: "#93c5fd",
  running: "#3b82f6",
  succeeded: "#22c55e",
  failed: "#ef4444",
  skipped: "#a8a29e",
  cancelled: "#78716c",
  in_progress: "#3b82f6",
  awaiting_approval: "#f59e0b",
  completed: "#22c55e",
};

export function stateColour(status: string): string {
  return STATE_COLOURS[status] ?? "#e5e7eb";
}
