// A small OIDC provider for the console's sign-in tests, on loopback: discovery document, authorize
// (redirects back to redirect_uri with a code and the state), token endpoint (an access token only for
// the code presented with the verifier of its S256 challenge, the same client and redirect URI).
import { createHash } from "node:crypto";
import { createServer } from "node:http";

export function s256(verifier) {
  return createHash("sha256").update(verifier).digest("base64url");
}

function read(request) {
  return new Promise((resolve) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk.toString()));
    request.on("end", () => resolve(text));
  });
}

export async function startProvider() {
  const codes = new Map();
  const tokenRequests = [];
  let issuer = "";
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", issuer);
    const json = (status, value) =>
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    if (url.pathname === "/.well-known/openid-configuration") {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        code_challenge_methods_supported: ["S256"],
      });
    }
    if (url.pathname === "/authorize") {
      const q = url.searchParams;
      const code = `code-${codes.size + tokenRequests.length + 1}`;
      codes.set(code, {
        challenge: q.get("code_challenge"),
        method: q.get("code_challenge_method"),
        clientId: q.get("client_id"),
        redirectUri: q.get("redirect_uri"),
      });
      const back = new URL(q.get("redirect_uri") ?? "");
      back.search = new URLSearchParams({ code, state: q.get("state") ?? "" }).toString();
      return response.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === "/token" && request.method === "POST") {
      const form = new URLSearchParams(await read(request));
      tokenRequests.push(Object.fromEntries(form));
      const issued = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      const verifier = form.get("code_verifier") ?? "";
      const ok =
        issued !== undefined &&
        issued.method === "S256" &&
        issued.challenge === s256(verifier) &&
        issued.clientId === form.get("client_id") &&
        issued.redirectUri === form.get("redirect_uri") &&
        form.get("grant_type") === "authorization_code";
      return ok
        ? json(200, { access_token: `at-for-${verifier.slice(0, 6)}`, token_type: "Bearer" })
        : json(400, { error: "invalid_grant" });
    }
    return json(404, {});
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${server.address().port}`;
  return { issuer, tokenRequests, stop: () => new Promise((resolve) => server.close(resolve)) };
}
