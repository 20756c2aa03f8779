// A forgotten password, reset in a real browser through the e-mailed link.
//
// Reads a JSON brief on standard input: {base, chromium, screenshots, email, newPassword,
// asked, linkFile}. The script asks for a link, writes the file `asked`, and waits for the
// Rust test to write the link it found in the e-mail (from a real SMTP server) into
// `linkFile`. It then opens the link, chooses the new password and signs in with it.
// Prints a JSON report: {ok, error, asked, notice, dashboard, reused, axe, overflow,
// screenshots, cspErrors}.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { check, launch, openPage, readBrief, writeReport } from "./browser_kit.mjs";

const brief = readBrief();
const report = { cspErrors: [], axe: {}, screenshots: [] };
const browser = await launch(brief.chromium);
try {
  const { page } = await openPage(browser, report);
  await page.goto(`${brief.base}/login`);
  await page.getByRole("link", { name: "Forgotten your password?" }).click();
  await page.waitForURL(/\/password\/forgot/);
  await check(page, report, brief.screenshots, "reset", "forgot");
  await page.getByLabel("E-mail address").fill(brief.email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  report.asked = (await page.locator("p.notice").innerText()).trim();
  await check(page, report, brief.screenshots, "reset", "asked");
  writeFileSync(brief.asked, "asked");

  const deadline = Date.now() + 30000;
  while (!existsSync(brief.linkFile) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const link = readFileSync(brief.linkFile, "utf8").trim();
  await page.goto(link);
  await check(page, report, brief.screenshots, "reset", "choose");
  await page.getByLabel("New password").fill(brief.newPassword);
  await page.getByRole("button", { name: "Change my password" }).click();
  await page.waitForURL(/\/login\?notice=password-reset/);
  report.notice = (await page.locator("p.notice").innerText()).trim();
  await check(page, report, brief.screenshots, "reset", "signin");
  await page.getByLabel("E-mail address").fill(brief.email);
  await page.getByLabel("Password").fill(brief.newPassword);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/dashboard/);
  report.dashboard = true;

  // The link works once.
  await page.goto(link);
  report.reused = (await page.locator("h1").innerText()).trim();
  report.ok = true;
} catch (e) {
  report.ok = false;
  report.error = `${e.stack || e}`;
} finally {
  await browser.close();
}
writeReport(report);
