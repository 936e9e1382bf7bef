export function s256(verifier: string): string;
export function startProvider(): Promise<{
  issuer: string;
  tokenRequests: Record<string, string>[];
  stop: () => Promise<unknown>;
}>;
