// The console's awards list in Chromium: search, the "select all on this page" box (the
// script's), a batch suspension through the form, a refused batch, axe-core's WCAG 2.2 AA
// rules, the Content-Security-Policy, nothing wider than the window, and screenshots at
// 1280 and 390 pixels wide.
//
// Reads a JSON brief on standard input: {base, chromium, screenshots, person: {email,
// password}, list}. Prints {ok, error, axe: {name: [violations]}, cspErrors, overflow, batch}.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const brief = JSON.parse(readFileSync(0, "utf8"));
const report = { axe: {}, cspErrors: [], overflow: [], screenshots: [] };

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
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (wide > 0) report.overflow.push(`${name}: ${wide}px`);
  const path = join(brief.screenshots, `award-list-${name}.png`);
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

  const response = await page.goto(`${brief.base}${brief.list}`);
  if (!response.ok()) throw new Error(`${brief.list} answered ${response.status()}`);
  await check(page, "desktop");

  // Search, then tick the whole page with the header box and suspend.
  await page.getByLabel("Recipient's name or e-mail address").fill("bob");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/q=bob/);
  const count = await page.locator("#award-count").innerText();
  if (!count.includes("16 awards match")) throw new Error(`the search found: ${count}`);
  if (await page.locator("[data-select-all-link]").isVisible()) {
    throw new Error("the no-script link shows beside the script's box");
  }
  await page.locator("#select-page").check();
  const ticked = await page.locator('input[name="award"]:checked').count();
  if (ticked !== 16) throw new Error(`the header box ticked ${ticked} awards`);
  await page.getByLabel("New status").selectOption("suspend");
  await page.getByLabel("Reason", { exact: true }).fill("Under review.");
  await page.getByRole("button", { name: "Apply to the selected awards" }).click();
  await page.locator(".batch-outcome").waitFor();
  report.batch = (await page.locator(".batch-outcome strong").innerText()).trim();
  await check(page, "batch-result");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${brief.base}${brief.list}`);
  await check(page, "phone");
  // A batch with nothing chosen is refused, with the messages beside the fields.
  await page.getByRole("button", { name: "Apply to the selected awards" }).click();
  await page.getByText("Nothing was changed.").waitFor();
  await check(page, "refused-phone");
  report.ok = true;
} catch (e) {
  report.ok = false;
  report.error = `${e.stack || e}`;
} finally {
  await browser.close();
}
writeFileSync(1, JSON.stringify(report));
