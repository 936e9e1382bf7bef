// Drives the web console in Debian's Chromium (playwright-core) against a running local stack.
// Input (environment): CONSOLE_URL (http://host:port/console/), CHROMIUM, ARTIFACTS (screenshots folder),
// TOKEN_DEVELOPER, TOKEN_REVIEWER (an approver), TOKEN_OUTSIDER (not an approver), SERVICE (a fresh name),
// MODE ("flow": the whole user path; "load": only the first page load, LOADS times; "chart": the rollout
// chart of DEPLOYMENT).
// Output: one JSON object on stdout (what the page showed at each step, the first load in ms, screenshots).
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(new URL("../../../console/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const env = process.env;
const base = env.CONSOLE_URL;
const shots = [];
const result = { screenshots: shots };
const LONG = 600_000;

async function shot(page, name) {
  const path = join(env.ARTIFACTS, `${String(shots.length + 1).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  shots.push(path);
}

async function signIn(browser, token) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${base}#token=${token}`);
  await page.locator(".workflow-list, p.empty").first().waitFor({ timeout: 60_000 });
  const firstLoadMs = Date.now() - started;
  const navigation = await page.evaluate(() => performance.getEntriesByType("navigation")[0].toJSON());
  return { page, firstLoadMs, loadEventMs: navigation.loadEventEnd - navigation.startTime };
}

async function open(page, hash) {
  await page.evaluate((h) => (window.location.hash = h), hash);
}

async function createInPage(page, service, environment) {
  await page.fill("input[name=serviceName]", service);
  await page.selectOption("select[name=environment]", environment);
  await page.click("form.create button[type=submit]");
  await page.waitForURL(/#\/workflows\/wf-/);
  return page.url().split("#/workflows/")[1];
}

async function statusOf(page, wanted) {
  const selector = wanted.map((s) => `.workflow-status[data-status="${s}"]`).join(", ");
  await page.locator(selector).first().waitFor({ timeout: LONG });
  return page.locator(".workflow-status").getAttribute("data-status");
}

async function decide(browser, token, deploymentId, name, after) {
  const { page } = await signIn(browser, token);
  await open(page, `#/deployments/${deploymentId}`);
  await page.fill(".approval input[aria-label=comment]", "CHG-42");
  await page.locator(".approval button", { hasText: "Approve" }).click();
  const message = await page.locator(".decision-result").textContent();
  await page.locator(`.approval[data-status=${after}]`).waitFor(); // the page shows the approval as it is now
  await shot(page, name);
  await page.context().close();
  return message;
}

async function flow(browser) {
  const developer = await signIn(browser, env.TOKEN_DEVELOPER);
  const page = developer.page;
  result.firstLoadMs = developer.firstLoadMs;
  result.loadEventMs = developer.loadEventMs;
  await shot(page, "workflows");

  // a dev workflow created in the page, watched until it ends
  result.workflowId = await createInPage(page, env.SERVICE, "dev");
  await page.locator(".workflow-graph").waitFor();
  result.finalStatus = await statusOf(page, ["completed", "failed", "cancelled"]);
  result.taskStatuses = await page.locator(".workflow-graph g[data-task]").evaluateAll((nodes) =>
    Object.fromEntries(nodes.map((n) => [n.dataset.task, n.dataset.status])),
  );
  result.failureReason = await page.locator(".failure").allTextContents();
  result.traceId = await page.locator(".trace-id").textContent();
  await shot(page, "workflow");

  // the list, filtered by service in the page
  await open(page, "#/");
  await page.fill("input[aria-label=service]", env.SERVICE);
  await page.press("input[aria-label=service]", "Enter");
  await page.locator(`.workflow-list tr[data-workflow="${result.workflowId}"]`).waitFor();
  await page.waitForFunction((s) => [...document.querySelectorAll(".workflow-list tbody tr td:nth-child(3)")].every((td) => td.textContent.includes(s)), env.SERVICE);
  result.filteredServices = await page.locator(".workflow-list tbody tr td:nth-child(3)").allTextContents();
  await shot(page, "workflows-filtered");
  await page.goBack();

  // its deployment: the rollout chart
  await page.locator(".outputs a[href^='#/deployments/']").click();
  await page.locator(".rollout-chart, p.empty").first().waitFor();
  result.rolloutSteps = await page.locator(".rollout-chart [data-step]").evaluateAll((steps) =>
    steps.map((s) => s.dataset.verdict),
  );
  result.sloRows = await page.locator(".slo-table tbody tr").count();
  await shot(page, "deployment");

  // its policy decision: findings and rules
  await page.goBack();
  await page.locator(".outputs a[href^='#/policy/']").click();
  await page.locator(".rules-table tbody tr").first().waitFor();
  result.findingRows = await page.locator(".findings-table tbody tr").count();
  result.findingRules = await page.locator(".findings-table tbody tr td:first-child").allTextContents();
  result.ruleRows = await page.locator(".rules-table tbody tr").count();
  await shot(page, "policy");

  // a prod workflow waits for a person; a non-approver is refused, an approver approves
  await open(page, "#/");
  result.prodWorkflowId = await createInPage(page, `${env.SERVICE}-prod`, "prod");
  result.prodWaiting = await statusOf(page, ["awaiting_approval", "completed", "failed"]);
  const link = page.locator(".outputs a[href^='#/deployments/']");
  result.prodDeploymentId = (await link.textContent()) ?? "";
  await link.click();
  await page.locator(".approval[data-status=pending]").waitFor();
  await shot(page, "prod-deployment-pending");
  result.outsiderMessage = await decide(browser, env.TOKEN_OUTSIDER, result.prodDeploymentId, "refused-non-approver", "pending");
  result.reviewerMessage = await decide(browser, env.TOKEN_REVIEWER, result.prodDeploymentId, "approved-by-approver", "approved");
  if (!result.reviewerMessage.startsWith("approved")) throw new Error(`the approver was not let through: ${result.reviewerMessage}`);
  await open(page, `#/workflows/${result.prodWorkflowId}`);
  result.prodFinal = await statusOf(page, ["completed", "failed", "cancelled"]);
  await shot(page, "prod-workflow");

  await open(page, "#/dora");
  await page.locator(".dora-trends, p.empty, p.error").first().waitFor();
  result.doraGroups = await page.locator(".dora-trends section[data-group]").evaluateAll((g) => g.map((s) => s.dataset.group));
  result.doraError = await page.locator("p.error").allTextContents();
  await shot(page, "dora");
}

async function chart(browser) {
  const { page } = await signIn(browser, env.TOKEN_DEVELOPER);
  await open(page, `#/deployments/${env.DEPLOYMENT}`);
  await page.locator(".rollout-chart").waitFor();
  result.steps = await page.locator(".rollout-chart [data-step]").evaluateAll((steps) =>
    steps.map((s) => ({ share: s.querySelector("text").textContent, verdict: s.dataset.verdict })),
  );
  result.stepX = await page.locator(".rollout-chart [data-step]").evaluateAll((steps) => steps.map((s) => Number(s.dataset.x)));
  result.chartAxis = await page.locator(".rollout-chart svg").getAttribute("aria-label");
  result.sloRows = await page.locator(".slo-table tbody tr").count();
  await shot(page, "canary-rollout");
}

async function loads(browser) {
  result.firstLoadsMs = [];
  result.loadEventsMs = [];
  for (let i = 0; i < Number(env.LOADS ?? 5); i += 1) {
    const { page, firstLoadMs, loadEventMs } = await signIn(browser, env.TOKEN_DEVELOPER);
    result.firstLoadsMs.push(firstLoadMs);
    result.loadEventsMs.push(loadEventMs);
    await page.context().close();
  }
}

const browser = await chromium.launch({ executablePath: env.CHROMIUM, args: ["--no-sandbox"] });
try {
  await ({ load: loads, chart }[env.MODE] ?? flow)(browser);
} catch (error) {
  result.error = String(error?.stack ?? error);
  process.exitCode = 1;
} finally {
  await browser.close();
  process.stdout.write(JSON.stringify(result) + "\n");
}
