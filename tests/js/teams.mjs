// Teams and the workforce view in a real browser: an invited member accepts from "Your
// teams" and opens the team's page; an administrator opens the workforce view, then (when
// the brief names them) the affiliations page and the system's view across them.
//
// Reads a JSON brief on standard input: {base, chromium, screenshots, member, admin, team,
// workforce, affiliations?, system?} (member and admin: {email, password}; the rest: paths).
// Prints a JSON report: {ok, error, accepted, teamHeading, gaps, heatmapFirstCell,
// suppressed, affiliated, systemTab, systemPeople, axe, overflow, screenshots, cspErrors}.
import { check, openPage, readBrief, runScript, signIn } from "./browser_kit.mjs";

const brief = readBrief();
await runScript(brief, async (browser, report) => {
  const member = await openPage(browser, report);
  await signIn(member.page, brief.base, brief.member);
  await member.page.goto(`${brief.base}/teams`);
  await member.page.getByRole("button", { name: /^Accept/ }).click();
  await member.page.waitForURL(/notice=member/);
  report.accepted = (await member.page.locator(".notice").innerText()).trim();
  await member.page.goto(`${brief.base}${brief.team}`);
  report.teamHeading = (await member.page.locator("h1").innerText()).trim();
  report.gaps = await member.page.locator("tr.gap").count();
  await check(member.page, report, brief.screenshots, "teams", "team");

  const admin = await openPage(browser, report);
  await signIn(admin.page, brief.base, brief.admin);
  await admin.page.goto(`${brief.base}${brief.workforce}`);
  const first = admin.page.locator("table.heatmap").first();
  report.heatmapFirstCell = (await first.locator("tbody td").first().innerText()).trim();
  report.suppressed = await admin.page.locator("td.heat-na").count();
  await check(admin.page, report, brief.screenshots, "teams", "workforce");
  if (brief.system) {
    await admin.page.goto(`${brief.base}${brief.affiliations}`);
    report.affiliated = await admin.page.locator("main table tbody tr").count();
    await check(admin.page, report, brief.screenshots, "teams", "affiliations");
    await admin.page.goto(`${brief.base}${brief.workforce}`);
    await admin.page.getByRole("link", { name: /^Across the system/ }).click();
    await admin.page.waitForURL(/scope=system/);
    report.systemTab = (await admin.page.locator('.tabs [aria-current="page"]').innerText()).trim();
    report.systemPeople = (await admin.page.locator(".stats strong").first().innerText()).trim();
    await check(admin.page, report, brief.screenshots, "teams", "system");
  }
});
