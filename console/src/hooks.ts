// Loading data for a page, again every `everyMs` while `live` (live updates by polling).
import { useEffect, useState } from "react";

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
}

export function usePolling<T>(load: () => Promise<T>, deps: unknown[], everyMs = 0, live = true): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let cancelled = false;
    load().then(
      (value) => {
        if (!cancelled) {
          setData(value);
          setError(null);
        }
      },
      (reason: unknown) => {
        if (!cancelled) setError(reason instanceof Error ? reason.message : String(reason));
      },
    );
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  useEffect(() => {
    if (!everyMs || !live) return undefined;
    const timer = setInterval(() => setTick((t) => t + 1), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, live]);
  return { data, error, reload: () => setTick((t) => t + 1) };
}
