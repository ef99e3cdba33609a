// The cluster page in a real browser: Debian's chromium, headless, driven by playwright-core.
// Run by ClusterPageBrowserIT (mvn verify), which starts the cluster and passes everything in:
//
//   node cluster-page.test.mjs --chromium /usr/bin/chromium --page http://127.0.0.1:PORT/ \
//        --api http://127.0.0.1:PORT/ --namespace NS --nodes N --gang NS/NAME --screenshot FILE
//
// Checks: the page loads with no error and asks nothing of another origin, shows the node count and
// the waiting gang's reason, shows a pod created through the Kubernetes API without a reload, and
// shows a NUMA node's zones on click. Prints one line per step; exit status 0 only if all passed.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    chromium: { type: "string" }, page: { type: "string" }, api: { type: "string" }, namespace: { type: "string" },
    nodes: { type: "string" }, gang: { type: "string" }, screenshot: { type: "string" },
  },
});
for (const key of ["chromium", "page", "api", "namespace", "nodes", "gang", "screenshot"]) {
  if (!args[key]) {
    console.error("missing --" + key);
    process.exit(2);
  }
}
// Generous: the machine running the suite may be busy; the page itself updates every 2 s.
const WAIT = { timeout: 60000 };

function step(text) {
  console.log("step: " + text);
}

const browser = await chromium.launch({
  executablePath: args.chromium,
  // playwright-core gives every launch a fresh temporary profile (its own --user-data-dir).
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const problems = [];
let failed = false;
let page = null;
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: "dark" });
  page = await context.newPage();
  const origin = new URL(args.page).origin;
  page.on("console", (m) => { if (m.type() === "error") problems.push("console error: " + m.text()); });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) problems.push("request to another origin: " + r.url());
  });

  await page.goto(args.page, { waitUntil: "load" });
  step("loaded " + args.page);

  await page.locator("#node-count").filter({ hasText: new RegExp("^" + Number(args.nodes).toLocaleString("en-US") + "$") })
    .waitFor(WAIT);
  const cells = await page.locator("#pools .node").count();
  if (cells !== Number(args.nodes)) throw new Error("the grid has " + cells + " node cells, expected " + args.nodes);
  step("node count " + args.nodes + " shown, " + cells + " cells in the grid");

  const gangRow = page.locator(`tr.gang-row[data-gang="${args.gang}"][data-state="WAITING"]`);
  await gangRow.locator("td.why", { hasText: "waiting for the rest" }).waitFor(WAIT);
  step("waiting gang " + args.gang + ": " + (await gangRow.locator("td.why").textContent()));

  // A pod no node can hold, created through the Kubernetes API as kubectl would.
  const name = "page-test-too-big";
  const pod = {
    apiVersion: "v1", kind: "Pod", metadata: { name, namespace: args.namespace },
    spec: {
      schedulerName: "kubenexus-scheduler",
      containers: [{ name: "main", image: "busybox", resources: { requests: { cpu: "5000", memory: "1Gi" } } }],
    },
  };
  const created = await fetch(new URL(`api/v1/namespaces/${args.namespace}/pods`, args.api),
    { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(pod) });
  if (created.status !== 201 && created.status !== 200) throw new Error("creating the pod: HTTP " + created.status + " " + await created.text());
  const loadsBefore = await page.evaluate(() => performance.getEntriesByType("navigation").length);
  await page.locator('.reason[data-reason="Insufficient cpu"] .ex', { hasText: args.namespace + "/" + name }).waitFor(WAIT);
  const loadsAfter = await page.evaluate(() => performance.getEntriesByType("navigation").length);
  if (loadsAfter !== loadsBefore || page.url() !== args.page) throw new Error("the page reloaded to show the new pod");
  step("created " + args.namespace + "/" + name + " through the API; the page lists it under 'Insufficient cpu' without a reload");

  const numaNode = page.locator("#pools .node.numa").first();
  const numaName = await numaNode.getAttribute("data-node");
  await numaNode.click();
  await page.locator("#node-detail .zone").first().waitFor(WAIT);
  const zones = await page.locator("#node-detail .zone").count();
  step("clicked " + numaName + ": " + zones + " NUMA zones shown");

  mkdirSync(dirname(args.screenshot), { recursive: true });
  await page.screenshot({ path: args.screenshot, fullPage: true });
  step("screenshot " + args.screenshot);

  if (problems.length > 0) throw new Error(problems.join("; "));
  step("no console error, no request to another origin");
} catch (e) {
  failed = true;
  console.error("FAILED: " + (e && e.message ? e.message : e));
  if (problems.length > 0) console.error("also seen: " + problems.join("; "));
  if (page) {
    // What the page showed when it failed, for the person reading the build's output.
    const shot = args.screenshot.replace(/\.png$/, "") + "-failed.png";
    try {
      mkdirSync(dirname(shot), { recursive: true });
      await page.screenshot({ path: shot, fullPage: true });
      console.error("screenshot of the failure: " + shot);
    } catch (ignored) { /* the browser may be gone */ }
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
