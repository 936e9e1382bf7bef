import { createRoot } from "react-dom/client";
import { App } from "./App";
import { ApiClient } from "./api";
import { beginSignIn, completeSignIn, type OidcConfig } from "./oidc";
import { keepToken, takeToken } from "./session";
import "./console.css";

interface SiteConfig {
  apiBaseUrl?: string;
  oidc?: OidcConfig;
}

/** A token from the link (local) or this tab's session; else, where config.json names an OIDC issuer (the
 * static site in AWS), the sign-in: back from the provider, the code is exchanged; otherwise it starts. */
async function signIn(): Promise<{ token: string | null; baseUrl: string }> {
  const { location, sessionStorage, history } = window;
  const token = takeToken(location, sessionStorage, history);
  // The console is served by the API's own gateway under /console/ (locally and in AWS): the same origin.
  if (token) return { token, baseUrl: location.origin };
  const response = await fetch("config.json").catch(() => null);
  const config: SiteConfig = response?.ok ? await response.json() : {};
  const baseUrl = config.apiBaseUrl ?? location.origin;
  if (!config.oidc) return { token: null, baseUrl };
  const signedIn = await completeSignIn(config.oidc, location.search, sessionStorage);
  if (signedIn) {
    keepToken(sessionStorage, signedIn);
    history.replaceState(null, "", `${location.pathname}#/`);
    return { token: signedIn, baseUrl };
  }
  location.assign(await beginSignIn(config.oidc, sessionStorage));
  return { token: null, baseUrl };
}

const root = createRoot(document.getElementById("root")!);
signIn().then(
  ({ token, baseUrl }) => root.render(<App api={token ? new ApiClient(baseUrl, token) : null} />),
  (error: unknown) => root.render(<p role="alert">{error instanceof Error ? error.message : String(error)}</p>),
);
