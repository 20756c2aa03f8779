// The claim journey in a real browser: an issuer bulk-awards three people, one
// without an account; that person opens the e-mailed link, registers, confirms the address
// and sees the credential.
//
// Reads a JSON brief on standard input: {base, chromium, screenshots, issuer, org,
// achievement, csv, newEmail, newName, newPassword, awarded, claimLinkFile, registered,
// confirmLinkFile}. The script writes the file `awarded` once the job finished and waits
// for the Rust test to write the claim link it found in the e-mail (from a real SMTP
// server) into `claimLinkFile`; then `registered`, waiting for `confirmLinkFile`.
// Prints a JSON report: {ok, error, job, consoleClaim, claimTitle, prefilled, waiting,
// confirmed, credentials, axe, overflow, screenshots, cspErrors}.
import { writeFileSync } from "node:fs";
import { check, openPage, readBrief, runScript, signIn, waitForFile } from "./browser_kit.mjs";

const brief = readBrief();

await runScript(brief, async (browser, report) => {
  // The issuer's bulk award.
  const { page: console_ } = await openPage(browser, report);
  await signIn(console_, brief.base, brief.issuer);
  await console_.goto(`${brief.base}/console/${brief.org}/bulk`);
  await console_.getByLabel("Achievement").selectOption({ label: brief.achievement });
  await console_.getByLabel("CSV file").setInputFiles({
    name: "staff.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(brief.csv),
  });
  await console_.getByRole("button", { name: "Start bulk award" }).click();
  await console_.waitForURL(/\/bulk\/[0-9a-f-]+/);
  await console_.getByText("Finished", { exact: false }).first().waitFor({ timeout: 20000 });
  await console_.reload();
  report.job = (await console_.locator("main").innerText()).replace(/\s+/g, " ");
  await check(console_, report, brief.screenshots, "claim", "bulk-job");
  await console_.goto(`${brief.base}/console/${brief.org}/awards`);
  report.consoleClaim = (
    await console_.locator("tr", { hasText: brief.newEmail }).innerText()
  ).replace(/\s+/g, " ");
  await check(console_, report, brief.screenshots, "claim", "awards");
  writeFileSync(brief.awarded, "awarded");

  // The recipient, who has no account, in a browser of their own.
  const claimLink = await waitForFile(brief.claimLinkFile);
  const { page } = await openPage(browser, report);
  await page.goto(claimLink);
  report.claimTitle = (await page.locator("h1").innerText()).trim();
  await check(page, report, brief.screenshots, "claim", "link");
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.waitForURL(/\/register\?email=/);
  report.prefilled = await page.getByLabel("E-mail address").inputValue();
  await page.getByLabel(/Your name/).fill(brief.newName);
  await page.getByLabel(/Password/).fill(brief.newPassword);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/dashboard/);
  report.waiting = (await page.locator("main").innerText()).replace(/\s+/g, " ");
  await check(page, report, brief.screenshots, "claim", "registered");
  writeFileSync(brief.registered, "registered");

  const confirmLink = await waitForFile(brief.confirmLinkFile);
  await page.goto(confirmLink);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await page.waitForURL(/\/dashboard\?notice=address-confirmed/);
  report.confirmed = (await page.locator("p.notice").first().innerText()).trim();
  await check(page, report, brief.screenshots, "claim", "confirmed");
  await page.goto(`${brief.base}/my/credentials`);
  report.credentials = (await page.locator("main").innerText()).replace(/\s+/g, " ");
  await check(page, report, brief.screenshots, "claim", "credentials");
});
