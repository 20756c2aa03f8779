// The console's awards list in Chromium: search, the "select all on this page" box (the
// script's), a batch suspension through the form, a refused batch, axe-core's WCAG 2.2 AA
// rules, the Content-Security-Policy, nothing wider than the window, and screenshots at
// 1280 and 390 pixels wide.
//
// Reads a JSON brief on standard input: {base, chromium, screenshots, person: {email,
// password}, list}. Prints {ok, error, axe: {name: [violations]}, cspErrors, overflow, batch}.
import { check as checkPage, launch, openPage, readBrief, signIn, writeReport } from "./browser_kit.mjs";

const brief = readBrief();
const report = { axe: {}, cspErrors: [], overflow: [], screenshots: [] };
const browser = await launch(brief.chromium);
const check = (page, name) => checkPage(page, report, brief.screenshots, "award-list", name);

try {
  const { page } = await openPage(browser, report);
  await signIn(page, brief.base, brief.person);

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
writeReport(report);
