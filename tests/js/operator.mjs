// The operator pages in Chromium: axe-core's WCAG 2.2 AA rules, the Content-Security-Policy,
// and a screenshot of each at 1280 and at 390 pixels wide.
//
// Reads a JSON brief on standard input: {base, chromium, screenshots, person: {email,
// password}, pages: {list, new, org, body}}. Prints {ok, error, axe: {page: [violations]},
// cspErrors, screenshots}.
import { check as checkPage, launch, openPage, readBrief, signIn, writeReport } from "./browser_kit.mjs";

const brief = readBrief();
const report = { axe: {}, cspErrors: [], screenshots: [] };
const browser = await launch(brief.chromium);
const check = (page, name) => checkPage(page, report, brief.screenshots, "operator", name);

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
  const { page } = await openPage(browser, report);
  await signIn(page, brief.base, brief.person);
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
writeReport(report);
