// The evidence form's statement picker in a real browser (Debian's Chromium driven by
// playwright-core): typing in its search box narrows the statements, opening the pathways
// that hold a match; axe-core checks the page, at 1280 and 390 pixels wide.
//
// Reads a JSON brief on standard input: {base, chromium, screenshots, holder: {email,
// password}, query}. Prints a JSON report: {ok, error, total, shown, countText, openWithMatch,
// chosen, stayed, cleared, fieldErrors, summaryLinks, axe: {name: [violations]}, cspErrors,
// screenshots}.
import { check as checkPage, launch, openPage, readBrief, signIn, writeReport } from "./browser_kit.mjs";

const brief = readBrief();
const report = { axe: {}, cspErrors: [], screenshots: [] };
const browser = await launch(brief.chromium);
const check = (page, name) => checkPage(page, report, brief.screenshots, "picker", name);

// How many statements are not hidden by the search.
const shownCount = (page) =>
  page.evaluate(() => document.querySelectorAll("[data-picker-item]:not([hidden])").length);

try {
  const { page } = await openPage(browser, report);
  await signIn(page, brief.base, brief.holder);
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
