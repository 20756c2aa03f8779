// What expires, in a real browser: the holder's dashboard section "Expiring soon" and the
// issuer's console list of expiring and expired credentials.
//
// Reads a JSON brief on standard input: {base, chromium, screenshots, holder, issuer, org}
// (holder and issuer: {email, password}). Prints a JSON report: {ok, error, section,
// items, console, axe, overflow, screenshots, cspErrors}.
import { check, openPage, readBrief, runScript, signIn } from "./browser_kit.mjs";

const brief = readBrief();
await runScript(brief, async (browser, report) => {
  const holder = await openPage(browser, report);
  await signIn(holder.page, brief.base, brief.holder);
  const section = holder.page.getByRole("region", { name: "Expiring soon" });
  report.section = (await section.getByRole("heading").first().innerText()).trim();
  report.items = await section.locator("li").evaluateAll((items) =>
    items.map((li) => ({
      text: li.innerText.replace(/\s+/g, " ").trim(),
      link: li.querySelector("a")?.getAttribute("href"),
      tag: li.querySelector(".tag")?.innerText.trim(),
    })),
  );
  await section.scrollIntoViewIfNeeded();
  await check(holder.page, report, brief.screenshots, "expiring", "dashboard");
  await holder.page.locator("#expiring").screenshot({ path: `${brief.screenshots}/expiring-section.png` });
  report.screenshots.push(`${brief.screenshots}/expiring-section.png`);

  const issuer = await openPage(browser, report);
  await signIn(issuer.page, brief.base, brief.issuer);
  await issuer.page.goto(`${brief.base}/console/${brief.org}`);
  await issuer.page.getByRole("link", { name: "Expiring" }).click();
  await issuer.page.waitForURL(/\/expiring/);
  report.console = await issuer.page.locator("table caption").allInnerTexts();
  await check(issuer.page, report, brief.screenshots, "expiring", "console");
});
