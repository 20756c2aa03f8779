// What the browser scripts share: the brief read from standard input, Debian's Chromium
// launched by playwright-core, pages that record Content-Security-Policy errors, signing
// in, and an axe-core (WCAG 2.2 AA) check of a page with a full-page screenshot.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/// The JSON brief the Rust test wrote on standard input.
export function readBrief() {
  return JSON.parse(readFileSync(0, "utf8"));
}

/// Prints the report as the script's one line of output.
export function writeReport(report) {
  writeFileSync(1, JSON.stringify(report));
}

/// Headless Chromium at `executablePath`.
export function launch(executablePath) {
  return chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
  });
}

/// A page in a context of its own whose Content-Security-Policy errors go to
/// `report.cspErrors`.
export async function openPage(browser, report, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) report.cspErrors.push(msg.text());
  });
  return { context, page };
}

/// Signs `who` ({email, password}) in through the login form and waits for the dashboard.
export async function signIn(page, base, who) {
  await page.goto(`${base}/login`);
  await page.getByLabel("E-mail address").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/dashboard/);
}

/// Runs axe-core's WCAG 2.2 AA rules on the page (over the DevTools protocol, so the
/// page's CSP does not stop it), records the violations as `report.axe[name]`, notes in
/// `report.overflow` a page wider than its window, and saves a full-page screenshot
/// `<prefix>-<name>.png` in `screenshots`.
export async function check(page, report, screenshots, prefix, name) {
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
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (wide > 0) (report.overflow ??= []).push(`${name}: ${wide}px`);
  const path = join(screenshots, `${prefix}-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  report.screenshots.push(path);
}

/// Launches Chromium, runs `steps(browser, report)`, records in the report whether they
/// all passed (or the error), closes the browser and prints the report.
export async function runScript(brief, steps) {
  const report = { cspErrors: [], axe: {}, screenshots: [] };
  const browser = await launch(brief.chromium);
  try {
    await steps(browser, report);
    report.ok = true;
  } catch (e) {
    report.ok = false;
    report.error = `${e.stack || e}`;
  } finally {
    await browser.close();
  }
  writeReport(report);
}

/// Waits (at most 30 s) for the Rust test to write the file at `path`; returns its text.
export async function waitForFile(path) {
  const deadline = Date.now() + 30000;
  while (!existsSync(path) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return readFileSync(path, "utf8").trim();
}
