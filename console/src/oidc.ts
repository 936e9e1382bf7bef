// Sign-in in AWS: OpenID Connect authorization code flow with PKCE (RFC 7636, S256), a public client (no
// secret in the page). The issuer and client id come from /console/config.json (the CDK app writes them);
// the API's JWT authorizer accepts the tokens of that issuer whose audience is the client id. Locally the
// console keeps the token link (session.ts): the local API verifies only its own issuer's tokens.
export interface OidcConfig {
  issuer: string;
  clientId: string;
  redirectUri: string;
  scope?: string;
  /** Which token of the answer the API's authorizer takes (its audience must be the client id). */
  token?: "access_token" | "id_token";
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

const PENDING = "agentic.oidc.pending"; // the verifier and state of the sign-in under way (sessionStorage)

function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A fresh random string for the code verifier and the state: 32 random bytes, base64url (43 characters). */
export function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The S256 code challenge of a verifier: base64url(SHA-256(verifier)). */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

async function discover(issuer: string, fetcher: typeof fetch): Promise<Discovery> {
  const response = await fetcher(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`the sign-in provider's discovery document answered ${response.status}`);
  const document = (await response.json()) as Partial<Discovery> & { issuer?: string };
  if (document.issuer !== issuer || !document.authorization_endpoint || !document.token_endpoint) {
    throw new Error(`the discovery document of ${issuer} does not name this issuer and its endpoints`);
  }
  return document as Discovery;
}

/** Where to send the browser to sign in; the verifier and state wait in ``storage`` for the way back. */
export async function beginSignIn(config: OidcConfig, storage: Storage, fetcher: typeof fetch = fetch): Promise<string> {
  const { authorization_endpoint } = await discover(config.issuer, fetcher);
  const verifier = randomToken();
  const state = randomToken();
  storage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scope ?? "openid",
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: "S256",
  });
  return `${authorization_endpoint}?${query}`;
}

/** The way back (``?code=&state=``): the code exchanged for a token with the waiting verifier; null when
 * ``search`` is not a sign-in answer. An answer whose state is not the one sent is refused (CSRF). */
export async function completeSignIn(
  config: OidcConfig,
  search: string,
  storage: Storage,
  fetcher: typeof fetch = fetch,
): Promise<string | null> {
  const params = new URLSearchParams(search);
  const error = params.get("error");
  if (error) throw new Error(`sign-in refused: ${params.get("error_description") ?? error}`);
  const code = params.get("code");
  if (!code) return null;
  const pending = JSON.parse(storage.getItem(PENDING) ?? "null") as { verifier: string; state: string } | null;
  storage.removeItem(PENDING);
  if (!pending || params.get("state") !== pending.state) {
    throw new Error("sign-in answer does not match the sign-in this tab started; sign in again");
  }
  const { token_endpoint } = await discover(config.issuer, fetcher);
  const response = await fetcher(token_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: config.redirectUri,
      client_id: config.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const body = (await response.json()) as { access_token?: string; id_token?: string; error?: string };
  const token = body[config.token ?? "access_token"];
  if (!response.ok || !token) {
    throw new Error(`the token endpoint refused the sign-in: ${body.error ?? response.status}`);
  }
  return token;
}
