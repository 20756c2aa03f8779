// Every page of the issuer console in Chromium: axe-core's WCAG 2.2 AA rules, the
// Content-Security-Policy, and a screenshot of each (desktop, and the overview on a phone).
//
// Reads a JSON brief on standard input: {base, chromium, screenshots, person: {email,
// password}, pages: {name: path}}. Prints {ok, error, axe: {page: [violations]}, cspErrors}.
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
  const path = join(brief.screenshots, `console-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  report.screenshots.push(path);
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
  for (const [name, path] of Object.entries(brief.pages)) {
    const response = await page.goto(`${brief.base}${path}`);
    if (!response.ok()) throw new Error(`${path} answered ${response.status()}`);
    await check(page, name);
  }
  // A refused award keeps the form and says what is missing.
  await page.goto(`${brief.base}${brief.pages.award}`);
  await page.getByLabel("Recipient's e-mail address").fill(brief.incomplete);
  await page.getByRole("button", { name: "Award credential" }).click();
  await page.getByText("What is missing").waitFor();
  await check(page, "award-refused");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${brief.base}${brief.pages.overview}`);
  await check(page, "overview-phone");
  await page.goto(`${brief.base}${brief.pages["award-detail"]}`);
  await check(page, "award-detail-phone");
  report.ok = true;
} catch (e) {
  report.ok = false;
  report.error = `${e.stack || e}`;
} finally {
  await browser.close();
}
writeFileSync(1, JSON.stringify(report));
