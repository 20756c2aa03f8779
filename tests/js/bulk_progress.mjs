// A bulk award job's page in a real browser: it opens while the job is still running and
// must reach "Finished" by itself (its script polls the job; nobody reloads the page).
//
// Reads a JSON brief on standard input: {base, chromium, screenshots, job_path, signal,
// issuer: {email, password}}. After the page shows "In progress" it writes the file
// `signal`, and the Rust test then runs the job. Prints a JSON report:
// {ok, error, before, after, rows, cspErrors}.
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { launch, openPage, readBrief, signIn, writeReport } from "./browser_kit.mjs";

const brief = readBrief();
const report = { cspErrors: [] };
const browser = await launch(brief.chromium);
try {
  const { page } = await openPage(browser, report);
  await signIn(page, brief.base, brief.issuer);

  await page.goto(`${brief.base}${brief.job_path}`);
  report.before = (await page.locator("#progress-heading").innerText()).trim();
  await page.screenshot({ path: join(brief.screenshots, "bulk-running.png"), fullPage: true });
  writeFileSync(brief.signal, "page open");
  // The page's own script must bring the result: wait without touching the page.
  await page.locator("#progress-heading", { hasText: "Finished" }).waitFor({ timeout: 30000 });
  report.after = (await page.locator("#progress-heading").innerText()).trim();
  report.rows = await page.locator("tbody tr").count();
  await page.screenshot({ path: join(brief.screenshots, "bulk-finished.png"), fullPage: true });
  report.ok = true;
} catch (e) {
  report.ok = false;
  report.error = `${e.stack || e}`;
} finally {
  await browser.close();
}
writeReport(report);
