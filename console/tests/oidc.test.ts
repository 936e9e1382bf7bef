// The console's OIDC sign-in (authorization code + PKCE) against a small OIDC provider started here on
// loopback (oidc_provider.mjs): discovery, authorize redirect, token endpoint that checks the verifier.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { beginSignIn, codeChallenge, completeSignIn, randomToken, type OidcConfig } from "../src/oidc";
import { s256, startProvider } from "./oidc_provider.mjs";

const CLIENT = "agentic-console";
const REDIRECT = "https://console.example.com/console/";
let provider: Awaited<ReturnType<typeof startProvider>>;
let issuer: string;
let tokenRequests: Record<string, string>[];

beforeAll(async () => {
  provider = await startProvider();
  issuer = provider.issuer;
  tokenRequests = provider.tokenRequests;
});

afterAll(async () => {
  await provider.stop();
});

beforeEach(() => {
  tokenRequests.length = 0;
});

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const config = (): OidcConfig => ({ issuer, clientId: CLIENT, redirectUri: REDIRECT });

/** The browser's part: follow the authorize URL to the provider and read where it sends the page back. */
async function authorize(url: string): Promise<URL> {
  const answer = await fetch(url, { redirect: "manual" });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get("location") ?? "");
}

describe("PKCE", () => {
  it("derives the S256 challenge: base64url of the verifier's SHA-256, unpadded (as Node's own crypto computes it)", async () => {
    const verifier = randomToken();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await codeChallenge(verifier)).toBe(s256(verifier));
  });
});

describe("OIDC sign-in", () => {
  it("goes to the provider with an S256 challenge and comes back with a token for the verifier", async () => {
    // Given a tab that starts the sign-in
    const storage = new MemoryStorage();
    const start = new URL(await beginSignIn(config(), storage));
    expect(start.origin + start.pathname).toBe(`${issuer}/authorize`);
    expect(start.searchParams.get("code_challenge_method")).toBe("S256");
    expect(start.searchParams.get("response_type")).toBe("code");
    // When the provider sends it back with a code
    const back = await authorize(start.toString());
    expect(back.origin + back.pathname).toBe(REDIRECT);
    const token = await completeSignIn(config(), back.search, storage);
    // Then the token endpoint took the code with the verifier of the challenge, and the token is the page's
    expect(tokenRequests).toHaveLength(1);
    expect(token).toBe(`at-for-${tokenRequests[0].code_verifier.slice(0, 6)}`);
    expect(tokenRequests[0].client_id).toBe(CLIENT);
  });

  it("refuses an answer whose state is not the one this tab sent, without asking for a token", async () => {
    // Given a started sign-in
    const storage = new MemoryStorage();
    const back = await authorize(await beginSignIn(config(), storage));
    // When an answer with another state arrives
    back.searchParams.set("state", "forged");
    // Then it is refused and no code is exchanged
    await expect(completeSignIn(config(), back.search, storage)).rejects.toThrow("does not match the sign-in this tab started");
    expect(tokenRequests).toHaveLength(0);
  });

  it("gets no token for a code presented without its own verifier", async () => {
    // Given two sign-ins, and the code of the first presented with the second's verifier
    const first = new MemoryStorage();
    const back = await authorize(await beginSignIn(config(), first));
    const second = new MemoryStorage();
    await beginSignIn(config(), second);
    const swapped = JSON.parse(second.getItem("agentic.oidc.pending") ?? "{}");
    first.setItem("agentic.oidc.pending", JSON.stringify({ ...swapped, state: back.searchParams.get("state") }));
    // When the code is exchanged, Then the provider refuses it
    await expect(completeSignIn(config(), back.search, first)).rejects.toThrow("refused the sign-in: invalid_grant");
  });

  it("leaves a page that is not a sign-in answer alone", async () => {
    expect(await completeSignIn(config(), "", new MemoryStorage())).toBeNull();
    expect(tokenRequests).toHaveLength(0);
  });

  it("says so when the provider refuses the sign-in", async () => {
    const search = "?error=access_denied&error_description=not+in+the+platform+group";
    await expect(completeSignIn(config(), search, new MemoryStorage())).rejects.toThrow("sign-in refused: not in the platform group");
  });
});
