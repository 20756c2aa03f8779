// The Open Badges 3.0 API's OAuth 2.0 flow driven by an independent client library
// (oauth4webapi): the client reads the service description, registers itself (RFC 7591,
// with fetch: the library has no registration call), builds the authorization URL with
// PKCE S256, Chromium (playwright-core) signs the holder in and presses Allow on the
// consent page (screenshot kept), the redirect's code is exchanged by the library, the
// credentials and profile endpoints are called with the token, the token is refreshed,
// and every answer is validated with ajv against the 1EdTech schemas.
// Brief on stdin: {base, chromium, screenshots, schemas, apiSchemas, holder: {email, password}}.
// Report on stdout: {ok, error?, discovery, registration, consentText, scope, credentials,
// totalCount, link, profile, renamed, refreshedStatus, schemaErrors, oldAccessStatus, cspErrors}.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as oauth from "oauth4webapi";
import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import { readBrief, runScript, openPage, signIn, check } from "./browser_kit.mjs";

const brief = readBrief();
const insecure = { [oauth.allowInsecureRequests]: true };
const ajv = new Ajv2019({ allErrors: true, strict: false });
addFormats(ajv);
const validators = {};
function validate(name, document, report) {
  const dir = existsSync(join(brief.apiSchemas, name)) ? brief.apiSchemas : brief.schemas;
  validators[name] ??= ajv.compile(JSON.parse(readFileSync(join(dir, name), "utf8")));
  if (!validators[name](document)) {
    report.schemaErrors.push({ name, errors: validators[name].errors.slice(0, 5) });
  }
}

await runScript(brief, async (browser, report) => {
  report.schemaErrors = [];
  const base = brief.base;
  // The service description names the endpoints; the client takes them from it.
  const discovery = await (await fetch(`${base}/ims/ob/v3p0/discovery`)).json();
  report.discovery = discovery;
  const acg = discovery.components.securitySchemes.OAuth2ACG;
  const flow = acg.flows.authorizationCode;
  const as = {
    issuer: base,
    authorization_endpoint: flow.authorizationUrl,
    token_endpoint: flow.tokenUrl,
    // Not in the service description (the OB 3.0 API names none): Credence's own.
    revocation_endpoint: `${base}/oauth/revoke`,
  };
  const redirectUri = "http://127.0.0.1:9/callback";
  const scopes = Object.keys(flow.scopes);
  const registered = await fetch(acg["x-imssf-registrationUrl"], {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_name: "Test Backpack",
      redirect_uris: [redirectUri],
      scope: scopes.join(" "),
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    }),
  });
  const registration = await registered.json();
  report.registration = { status: registered.status, client_id: registration.client_id };
  const client = { client_id: registration.client_id };
  const clientAuth = oauth.ClientSecretBasic(registration.client_secret);

  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", client.client_id);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("scope", scopes.join(" "));
  url.searchParams.set("state", state);
  url.searchParams.set("code_challenge", challenge);
  url.searchParams.set("code_challenge_method", "S256");

  const { page } = await openPage(browser, report);
  await signIn(page, base, brief.holder);
  // The client's redirect never reaches a server: the browser's request for it is caught.
  let callback = null;
  await page.route(`${redirectUri}**`, async (route) => {
    callback = route.request().url();
    await route.fulfill({ status: 200, contentType: "text/plain", body: "back at the client" });
  });
  await page.goto(url.href);
  report.consentText = await page.locator("main").innerText();
  await check(page, report, brief.screenshots, "obapi", "consent");
  await page.getByRole("button", { name: "Allow", exact: true }).click();
  await page.waitForURL(`${redirectUri}**`);
  const params = oauth.validateAuthResponse(as, client, new URL(callback), state);

  const tokenResponse = await oauth.authorizationCodeGrantRequest(
    as, client, clientAuth, params, redirectUri, verifier, insecure);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, tokenResponse);
  report.scope = tokens.scope;

  const get = async (token, path) =>
    oauth.protectedResourceRequest(token, "GET", new URL(`${base}${path}`), undefined, undefined, insecure);
  const listed = await get(tokens.access_token, "/ims/ob/v3p0/credentials?limit=10&offset=0");
  report.credentialsStatus = listed.status;
  report.totalCount = listed.headers.get("x-total-count");
  report.link = listed.headers.get("link");
  const credentials = await listed.json();
  report.credentials = credentials;
  validate("ob_v3p0_getopenbadgecredentialsresponse_schema.json", credentials, report);

  const profile = await (await get(tokens.access_token, "/ims/ob/v3p0/profile")).json();
  report.profile = profile;
  validate("ob_v3p0_profile_schema.json", profile, report);
  const put = await oauth.protectedResourceRequest(
    tokens.access_token, "PUT", new URL(`${base}/ims/ob/v3p0/profile`),
    new Headers({ "content-type": "application/json" }),
    JSON.stringify({ ...profile, name: "Renamed By Backpack" }), insecure);
  report.renamed = await put.json();
  validate("ob_v3p0_profile_schema.json", report.renamed, report);

  const refreshResponse = await oauth.refreshTokenGrantRequest(
    as, client, clientAuth, tokens.refresh_token, insecure);
  const refreshed = await oauth.processRefreshTokenResponse(as, client, refreshResponse);
  const again = await get(refreshed.access_token, "/ims/ob/v3p0/credentials");
  report.refreshedStatus = again.status;
  validate("ob_v3p0_getopenbadgecredentialsresponse_schema.json", await again.json(), report);
  // Revocation (RFC 7009) with the library: the refreshed access token then answers 401.
  const revoked = await oauth.revocationRequest(as, client, clientAuth, refreshed.access_token, insecure);
  await oauth.processRevocationResponse(revoked);
  report.afterRevocationStatus = (await fetch(`${base}/ims/ob/v3p0/credentials`, {
    headers: { authorization: `Bearer ${refreshed.access_token}` },
  })).status;
  // The used refresh token is spent: a second use is refused by the server, and the
  // library reports the OAuth error.
  try {
    await oauth.processRefreshTokenResponse(as, client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token, insecure));
    report.reusedRefresh = "accepted";
  } catch (e) {
    report.reusedRefresh = e.error || `${e}`;
  }
  // A token the server does not know: the library sees the Bearer challenge (and throws);
  // plain fetch reads the Imsx_StatusInfo body.
  try {
    await get("not-a-token", "/ims/ob/v3p0/credentials");
    report.badTokenChallenge = "none";
  } catch (e) {
    report.badTokenChallenge = e.constructor.name;
  }
  const refused = await fetch(`${base}/ims/ob/v3p0/credentials`, {
    headers: { authorization: "Bearer not-a-token" },
  });
  report.badTokenStatus = refused.status;
  const imsx = await refused.json();
  report.badTokenBody = imsx;
  validate("ob_v3p0_imsx_statusinfo_schema.json", imsx, report);
});
