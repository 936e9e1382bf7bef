import type { ReactNode } from "react";
import type { Loaded } from "./useLoaded";

/** A loaded value drawn by `draw`, or what stands in for it: loading, or the API's error message. */
export function Shown<T>({ loaded, what, draw }: { loaded: Loaded<T>; what: string; draw: (value: T) => ReactNode }) {
  if (loaded.state === "loading") return <p role="status">Loading {what}…</p>;
  if (loaded.state === "error") return <p role="alert">Could not load {what}: {loaded.message}</p>;
  return <>{draw(loaded.value)}</>;
}
