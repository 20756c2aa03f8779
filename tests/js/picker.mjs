// The evidence form's statement picker in a real browser (Debian's Chromium driven by
// playwright-core): typing in its search box narrows the statements, opening the pathways
// that hold a match; axe-core checks the page, at 1280 and 390 pixels wide.
//
// Reads a JSON brief on standard input: {base, chromium, screenshots, holder: {email,
// password}, query}. Prints a JSON report: {ok, error, total, shown, countText, openWithMatch,
// chosen, stayed, cleared, fieldErrors, summaryLinks, axe: {name: [violations]}, cspErrors,
// screenshots}.
import { readFileSync } from "node:fs";
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
  const path = join(brief.screenshots, `picker-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  report.screenshots.push(path);
}

// How many statements are not hidden by the search.
const shownCount = (page) =>
  page.evaluate(() => document.querySelectorAll("[data-picker-item]:not([hidden])").length);

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) report.cspErrors.push(msg.text());
  });
  await page.goto(`${brief.base}/login`);
  await page.getByLabel("E-mail address").fill(brief.holder.email);
  await page.getByLabel("Password").fill(brief.holder.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/dashboard/);
  await page.goto(`${brief.base}/evidence/new`);
  report.total = await shownCount(page);
  const search = page.getByLabel("Find a statement by code or words");
  await search.waitFor({ state: "visible" });
  await check(page, "desktop");
  // Typed with the keyboard, one key at a time, as a person would.
  await search.focus();
  await page.keyboard.type(brief.query, { delay: 20 });
  report.shown = await shownCount(page);
  report.countText = await page.locator("#statement-count").textContent();
  // Every pathway holding a match is open, and the first match can be chosen by its label.
  report.openWithMatch = await page.evaluate(() =>
    Array.from(document.querySelectorAll("[data-picker-pathway]:not([hidden])")).every((d) => d.open),
  );
  const first = page.locator("[data-picker-item]:not([hidden]) label").first();
  await first.click();
  report.chosen = await page.evaluate(() => document.querySelector("input[name=statement]:checked")?.value || null);
  await check(page, "desktop-search");
  await page.setViewportSize({ width: 390, height: 844 });
  await check(page, "phone-search");
  // Pressing Enter in the search box does not send the form.
  await search.press("Enter");
  report.stayed = page.url().endsWith("/evidence/new");
  await search.fill("");
  report.cleared = await shownCount(page);
  // The form sent empty: every problem beside its field and in the summary, which links
  // to the fields; checked and photographed at both widths.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${brief.base}/evidence/new`);
  await page.getByRole("button", { name: "Save draft" }).click();
  await page.locator("#error-summary").waitFor();
  report.fieldErrors = await page.locator(".field-error").count();
  report.summaryLinks = await page.locator("#error-summary a").count();
  await check(page, "errors-desktop");
  await page.setViewportSize({ width: 390, height: 844 });
  await check(page, "errors-phone");
  report.ok = true;
} catch (e) {
  report.ok = false;
  report.error = String(e && e.stack ? e.stack : e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report));
