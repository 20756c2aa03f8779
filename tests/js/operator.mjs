// The operator pages in Chromium: axe-core's WCAG 2.2 AA rules, the Content-Security-Policy,
// and a screenshot of each at 1280 and at 390 pixels wide.
//
// Reads a JSON brief on standard input: {base, chromium, screenshots, person: {email,
// password}, pages: {list, new, org, body}}. Prints {ok, error, axe: {page: [violations]},
// cspErrors, screenshots}.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const brief = JSON.parse(readFileSync(0, "utf8"));
const report = { axe: {}, cspErrors: [], screenshots: [] };

const browser = await chromium.launch({
  executablePath: brief.chromium,
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
});

async function check(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }),
  );
  report.axe[name] = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
  const path = join(brief.screenshots, `operator-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  report.screenshots.push(path);
}

async function visit(page, path, name) {
  const response = await page.goto(`${brief.base}${path}`);
  if (!response.ok()) throw new Error(`${path} answered ${response.status()}`);
  await check(page, name);
}

// The create form sent empty: every problem beside its field.
async function refused(page, name) {
  await page.goto(`${brief.base}${brief.pages.new}`);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await page.getByText("The organisation was not created.").waitFor();
  await check(page, name);
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) report.cspErrors.push(msg.text());
  });
  await page.goto(`${brief.base}/login`);
  await page.getByLabel("E-mail address").fill(brief.person.email);
  await page.getByLabel("Password").fill(brief.person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/dashboard/);
  await check(page, "dashboard");
  await page.getByRole("link", { name: "Operator", exact: true }).click();
  await page.waitForURL(/\/operator$/);
  await check(page, "list");
  await visit(page, brief.pages.new, "new");
  await refused(page, "new-refused");
  await visit(page, brief.pages.org, "org");
  await visit(page, brief.pages.body, "body");
  await page.setViewportSize({ width: 390, height: 844 });
  await visit(page, "/dashboard", "dashboard-phone");
  await visit(page, brief.pages.list, "list-phone");
  await refused(page, "new-refused-phone");
  await visit(page, brief.pages.org, "org-phone");
  report.ok = true;
} catch (e) {
  report.ok = false;
  report.error = `${e.stack || e}`;
} finally {
  await browser.close();
}
writeFileSync(1, JSON.stringify(report));
