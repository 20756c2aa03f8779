// Every page of the issuer console in Chromium: axe-core's WCAG 2.2 AA rules, the
// Content-Security-Policy, and a screenshot of each (desktop, and the overview on a phone).
//
// Reads a JSON brief on standard input: {base, chromium, screenshots, person: {email,
// password}, pages: {name: path}}. Prints {ok, error, axe: {page: [violations]}, cspErrors}.
import { check as checkPage, launch, openPage, readBrief, signIn, writeReport } from "./browser_kit.mjs";

const brief = readBrief();
const report = { axe: {}, cspErrors: [], screenshots: [] };
const browser = await launch(brief.chromium);
const check = (page, name) => checkPage(page, report, brief.screenshots, "console", name);

try {
  const { page } = await openPage(browser, report);
  await signIn(page, brief.base, brief.person);
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
writeReport(report);
