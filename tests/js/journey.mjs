// The whole journey in a real browser (Debian's Chromium driven by playwright-core), with
// an axe-core accessibility check of every key page and a screenshot of each.
//
// Reads a JSON brief on standard input: {base, chromium, screenshots, org, statement,
// level, holder, assessor, issuer} (each person {email, password}). Prints a JSON report:
// {ok, error, steps, axe: {page: [violations]}, cspErrors, screenshots}; when the journey
// breaks, `error` names the step (the Rust test asserts on the report).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { check as checkPage, launch, openPage, readBrief, signIn as signInAt, writeReport } from "./browser_kit.mjs";

const brief = readBrief();
const report = { steps: [], axe: {}, cspErrors: [], screenshots: [] };
const browser = await launch(brief.chromium);

const person = () => openPage(browser, report, { acceptDownloads: true });
const check = (page, name) => checkPage(page, report, brief.screenshots, "journey", name);
const signIn = (page, who) => signInAt(page, brief.base, who);

function step(name) {
  report.steps.push(name);
}

async function expectText(page, text) {
  await page.getByText(text, { exact: false }).first().waitFor({ timeout: 10000 });
}

async function verifyFile(page, file, name) {
  await page.goto(`${brief.base}/verify`);
  await page.getByLabel("A credential file or badge image").setInputFiles(file);
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await page.locator("#verdict-heading").waitFor();
  const verdict = (await page.locator("#verdict-heading").innerText()).trim();
  await check(page, name);
  return verdict;
}

try {
  const holder = await person();
  const assessor = await person();
  const issuer = await person();
  const visitor = await person();

  step("holder signs in");
  await signIn(holder.page, brief.holder);
  await check(holder.page, "dashboard");

  step("holder records evidence");
  await holder.page.goto(`${brief.base}/evidence/new?statement=${brief.statement}&level=${brief.level}`);
  await check(holder.page, "evidence-new");
  await holder.page.getByLabel("Kind of evidence").selectOption("course-completion");
  await holder.page.getByLabel("What you did and what it shows").fill("Completed the module on patient choice, with a reflective essay.");
  await holder.page.getByRole("button", { name: "Save draft" }).click();
  await expectText(holder.page, "saved as a draft");
  await holder.page.getByLabel("Attach a file").setInputFiles({ name: "certificate.txt", mimeType: "text/plain", buffer: Buffer.from("Certificate of completion\n") });
  await holder.page.getByRole("button", { name: "Attach", exact: true }).click();
  await expectText(holder.page, "The file is attached");
  await holder.page.getByLabel("Organisation whose assessors should review it").selectOption(brief.org);
  await holder.page.getByRole("button", { name: "Submit", exact: true }).click();
  await expectText(holder.page, "An assessor will review it");
  await check(holder.page, "evidence-detail");

  step("assessor lands on what waits for them");
  await signIn(assessor.page, brief.assessor);
  await expectText(assessor.page, "1 piece of evidence waits for an assessor");
  report.assessorLanding = (await assessor.page.locator("main").innerText()).slice(0, 400);

  step("assessor attests");
  await assessor.page.goto(`${brief.base}/assess`);
  await check(assessor.page, "assess");
  await assessor.page.getByRole("button", { name: new RegExp(`^Attest evidence ${brief.statement}`) }).click();
  await expectText(assessor.page, "Decision recorded");

  step("issuer awards");
  await signIn(issuer.page, brief.issuer);
  await issuer.page.goto(`${brief.base}/console/${brief.org}`);
  await check(issuer.page, "console");
  await issuer.page.goto(`${brief.base}/console/${brief.org}/award`);
  await issuer.page.getByLabel("Achievement").selectOption({ index: 0 });
  await issuer.page.getByLabel("Recipient's e-mail address").fill(brief.holder.email);
  await issuer.page.getByRole("button", { name: "Award credential" }).click();
  await expectText(issuer.page, "The credential is issued");
  await check(issuer.page, "console-award");

  step("holder publishes a portfolio and downloads the baked PNG");
  await holder.page.goto(`${brief.base}/my/credentials`);
  await holder.page.getByRole("button", { name: /^Make public/ }).first().click();
  await expectText(holder.page, "Visibility updated");
  await check(holder.page, "my-credentials");
  const credentialHref = await holder.page.locator(".credential-row h2 a").first().getAttribute("href");
  const awardId = credentialHref.split("/").pop();
  await holder.page.goto(`${brief.base}/portfolio`);
  await holder.page.getByLabel("Address").fill("journey-holder");
  await holder.page.getByLabel("Publish my portfolio").check();
  await holder.page.getByLabel("Show my progress towards pathways").check();
  await holder.page.getByRole("button", { name: "Save", exact: true }).click();
  await expectText(holder.page, "portfolio settings are saved");
  await check(holder.page, "portfolio-settings");
  await holder.page.goto(`${brief.base}/credentials/${awardId}`);
  await check(holder.page, "credential");
  report.linkedinWhenActive = await holder.page.getByRole("link", { name: /Add to LinkedIn/ }).count();

  step("the signed credential names the address this Credence answers on");
  const vc = await (await holder.page.request.get(`${brief.base}/credentials/${awardId}`, { headers: { Accept: "application/ld+json" } })).json();
  report.credentialId = vc.id;
  report.issuerId = typeof vc.issuer === "string" ? vc.issuer : vc.issuer.id;
  report.statusListUrl = [vc.credentialStatus].flat()[0].statusListCredential;
  const issuerUrl = `${brief.base}/orgs/${brief.org}`;
  // Every image on the credential's page (its badge, its QR code) loads under the CSP.
  report.brokenImages = await holder.page.evaluate(() =>
    [...document.images].filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.src),
  );
  report.images = await holder.page.evaluate(() => document.images.length);
  report.statusListStatus = (await holder.page.request.get(report.statusListUrl)).status();
  report.issuerPageStatus = (await holder.page.request.get(issuerUrl)).status();
  const [download] = await Promise.all([
    holder.page.waitForEvent("download"),
    holder.page.getByRole("link", { name: "Download baked PNG" }).click(),
  ]);
  const png = join(brief.screenshots, "journey-baked-badge.png");
  await download.saveAs(png);
  const bytes = readFileSync(png);
  if (bytes.subarray(1, 4).toString() !== "PNG") throw new Error("the baked badge is not a PNG");

  step("a visitor opens the front page");
  await visitor.page.goto(`${brief.base}/`);
  await check(visitor.page, "home");

  step("anyone sees the public portfolio");
  await visitor.page.goto(`${brief.base}/p/journey-holder`);
  await check(visitor.page, "portfolio");
  await visitor.page.emulateMedia({ media: "print" });
  await visitor.page.screenshot({ path: join(brief.screenshots, "journey-portfolio-print.png"), fullPage: true });
  report.printedAddresses = await visitor.page.locator(".credential-address").allInnerTexts();
  const pdf = await visitor.page.pdf({ format: "A4", printBackground: true });
  writeFileSync(join(brief.screenshots, "journey-portfolio.pdf"), pdf);
  report.printedPages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  await visitor.page.emulateMedia({ media: "screen" });

  step("a visitor verifies the PNG");
  const before = await verifyFile(visitor.page, png, "verify-valid");
  if (before !== "Verified") {
    // Say which check was not passed: the page lists each with its sentence.
    const checks = (await visitor.page.locator("main").innerText()).replace(/\s+/g, " ");
    throw new Error(`expected Verified, saw ${before}: ${checks.slice(0, 2000)}`);
  }

  step("a visitor checks it against another e-mail address");
  await visitor.page.goto(`${brief.base}/verify`);
  await visitor.page.getByLabel("A credential file or badge image").setInputFiles(png);
  await visitor.page.getByLabel("Optional: check it was issued to this e-mail address").fill("someone.else@journey.test");
  await visitor.page.getByRole("button", { name: "Verify", exact: true }).click();
  await visitor.page.locator("#verdict-heading").waitFor();
  report.mismatchVerdict = (await visitor.page.locator("#verdict-heading").innerText()).trim();
  report.mismatchSentence = (await visitor.page.locator(".verdict p:not(.verdict-mark)").first().innerText()).trim();
  await check(visitor.page, "verify-warning");

  step("issuer finds the award by its recipient's name");
  await issuer.page.goto(`${brief.base}/console/${brief.org}/awards`);
  await issuer.page.getByLabel("Recipient's name or e-mail address").fill("journey HOLDER");
  await issuer.page.getByRole("button", { name: "Search", exact: true }).click();
  await issuer.page.waitForURL(/[?&]q=journey/);
  report.foundRows = await issuer.page.locator("tbody tr").allInnerTexts();
  await check(issuer.page, "console-awards-search");
  await issuer.page.locator("tbody tr", { hasText: brief.holder.email }).getByRole("link").first().click();
  await issuer.page.waitForURL(new RegExp(`/awards/${awardId}$`));

  step("issuer sees only the actions that apply");
  report.statusChoices = await issuer.page.getByLabel("New status").locator("option").allInnerTexts();

  step("issuer revokes");
  await issuer.page.goto(`${brief.base}/console/${brief.org}/awards/${awardId}`);
  await issuer.page.getByLabel("New status").selectOption("revoke");
  await issuer.page.getByLabel("Reason").fill("Awarded in error during the journey test.");
  await issuer.page.getByLabel("I understand that a revocation is permanent").check();
  await issuer.page.getByRole("button", { name: "Change status" }).click();
  await expectText(issuer.page, "status is changed");

  step("the visitor sees it revoked");
  const after = await verifyFile(visitor.page, png, "verify-revoked");
  if (after !== "Not valid") throw new Error(`expected Not valid, saw ${after}`);
  const revocation = await visitor.page.locator(".check-failed").allInnerTexts();
  if (!revocation.some((t) => /revoked/i.test(t))) throw new Error(`no revocation line: ${revocation}`);
  report.revokedLines = revocation;
  await holder.page.goto(`${brief.base}/credentials/${awardId}`);
  report.linkedinWhenRevoked = await holder.page.getByRole("link", { name: /Add to LinkedIn/ }).count();

  step("a phone-sized verification does not scroll sideways");
  await visitor.page.setViewportSize({ width: 390, height: 844 });
  await verifyFile(visitor.page, png, "verify-phone");
  report.phoneScrollWidth = await visitor.page.evaluate(() => document.documentElement.scrollWidth);

  step("phone-sized dashboard");
  await holder.page.setViewportSize({ width: 390, height: 844 });
  await holder.page.goto(`${brief.base}/dashboard`);
  await check(holder.page, "dashboard-phone");

  report.ok = true;
} catch (e) {
  report.ok = false;
  report.error = `${report.steps.at(-1)}: ${e.stack || e}`;
} finally {
  await browser.close();
}
writeReport(report);
