// The console's sign-in: a bearer token arrives in the URL fragment (#token=..., never sent to a server
// nor logged), is kept in sessionStorage (this tab only), and the fragment is cleared at once.
const KEY = "agentic.token";

export function takeToken(location: Location, storage: Storage, history: History): string | null {
  const match = /^#token=([^&]+)/.exec(location.hash);
  if (match) {
    storage.setItem(KEY, decodeURIComponent(match[1]));
    history.replaceState(null, "", `${location.pathname}${location.search}#/`);
  }
  return storage.getItem(KEY);
}

export function signOut(storage: Storage): void {
  storage.removeItem(KEY);
}

export function keepToken(storage: Storage, token: string): void {
  storage.setItem(KEY, token);
}
