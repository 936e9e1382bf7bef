/** @jest-environment node */
// The client against a real HTTP server on loopback, through Backstage's own fetchApi (identity middleware).
import { createFetchApi, FetchMiddlewares } from "@backstage/core-app-api";
import { ConfigReader } from "@backstage/config";
import type { IdentityApi } from "@backstage/core-plugin-api";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AgenticApiError, AgenticWorkflowClient, LISTED_STATUSES } from "./api";

const TOKEN = "backstage-user-token";
let server: Server;
let baseUrl: string;
const seen: { url: string; authorization: string | undefined }[] = [];
let answer: (request: IncomingMessage) => [number, unknown] = () => [200, {}];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ url: request.url ?? "", authorization: request.headers.authorization });
    const [status, body] = answer(request);
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
});

function client(): AgenticWorkflowClient {
  const identityApi = { getCredentials: async () => ({ token: TOKEN }) } as unknown as IdentityApi;
  const config = new ConfigReader({ backend: { baseUrl } });
  const fetchApi = createFetchApi({ middleware: [FetchMiddlewares.injectIdentityAuth({ identityApi, config })] });
  const discoveryApi = { getBaseUrl: async (pluginId: string) => `${baseUrl}/api/${pluginId}` };
  return new AgenticWorkflowClient({ discoveryApi, fetchApi });
}

function workflow(id: string, createdAt: string, status: string) {
  return { workflowId: id, status, template: "python-service", serviceName: "orders", requestedBy: "ana", createdAt };
}

test("a service's workflows of every listed status are asked for in one request through the proxy", async () => {
  // Given an API that answers with one workflow per status it was asked for, oldest first
  answer = (request) => {
    const statuses = (new URL(request.url ?? "", baseUrl).searchParams.get("status") ?? "").split(",");
    const workflows = statuses.map((status, i) => workflow(`wf-${status}`, `2026-12-0${i + 1}T10:00:00Z`, status));
    return [200, { workflows }];
  };
  // When the tab asks for the workflows of "orders"
  const workflows = await client().serviceWorkflows("orders");
  // Then one request went to the proxy's /agentic endpoint for all the listed statuses, filtered by service,
  // with the Backstage token
  expect(seen).toHaveLength(1);
  const url = new URL(seen[0].url, baseUrl);
  expect(url.pathname).toBe("/api/proxy/agentic/workflows");
  expect(url.searchParams.get("status")).toBe(LISTED_STATUSES.join(","));
  expect(url.searchParams.get("service")).toBe("orders");
  expect(seen[0].authorization).toBe(`Bearer ${TOKEN}`);
  // And the workflows come back newest first
  expect(workflows.map((w) => w.workflowId)).toEqual(
    [...LISTED_STATUSES].reverse().map((status) => `wf-${status}`),
  );
});

test("a service's deployments are read from GET /deployments?service=", async () => {
  // Given an API with one deployment
  answer = () => [200, { deployments: [{ deploymentId: "dep-1", service: "orders" }] }];
  // When the deployments of "orders" are asked for
  const deployments = await client().deployments("orders");
  // Then the one request names the service and the deployment comes back
  expect(seen.map((s) => s.url)).toEqual(["/api/proxy/agentic/deployments?service=orders"]);
  expect(deployments.map((d) => d.deploymentId)).toEqual(["dep-1"]);
});

test("an API refusal becomes an error carrying its status and message", async () => {
  // Given an API that refuses the token
  answer = () => [401, { message: "the token's audience is not agentic-platform" }];
  // When a workflow is asked for, Then the error says what the API said
  const failure = client().workflow("wf-1");
  await expect(failure).rejects.toBeInstanceOf(AgenticApiError);
  await expect(failure).rejects.toMatchObject({ status: 401, message: "the token's audience is not agentic-platform" });
});
