// A holder offers a credential to a wallet, in a real browser: signs in, opens the
// credential's page, presses "Offer to a wallet" (with a transaction code), and finds the
// QR code (an image with alt text), the openid-credential-offer:// link and the code.
//
// Reads a JSON brief on standard input: {base, chromium, screenshots, holder, award}
// (holder: {email, password}). Prints a JSON report: {ok, error, qr, link, tx_code,
// expires, axe, overflow, screenshots, cspErrors}.
import { check, openPage, readBrief, runScript, signIn } from "./browser_kit.mjs";

const brief = readBrief();
await runScript(brief, async (browser, report) => {
  const { page } = await openPage(browser, report);
  await signIn(page, brief.base, brief.holder);
  await page.goto(`${brief.base}/credentials/${brief.award}`);
  await check(page, report, brief.screenshots, "wallet", "credential");
  await page.getByRole("button", { name: "Offer to a wallet" }).click();
  await page.waitForURL(/\/wallet-offer$/);
  const qr = page.getByRole("img", { name: /QR code of the credential offer/ });
  await qr.waitFor();
  report.qr = {
    alt: await qr.getAttribute("alt"),
    svg: (await qr.getAttribute("src")).startsWith("data:image/svg+xml"),
    width: await qr.evaluate((img) => img.naturalWidth),
  };
  report.link = await page.getByRole("link", { name: "Open in your wallet" }).getAttribute("href");
  report.tx_code = (await page.locator("#wallet-tx-code").innerText()).trim();
  report.expires = (await page.locator("#wallet-offer-expiry").innerText()).trim();
  await check(page, report, brief.screenshots, "wallet", "offer");
});
