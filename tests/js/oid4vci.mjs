// The wallet side of OpenID4VCI 1.0, driven by an independent client library
// (@openid4vc/openid4vci and @openid4vc/oauth2 of the OpenWallet Foundation), for
// Credence's tests (tests/oid4vci.rs, tests/browser.rs).
//
// Usage (JSON on stdin, JSON on stdout):
//   node oid4vci.mjs {offer_uri, tx_code?, did_method?: "key" | "jwk"}
//     -> {credential, holder_did, offer, issuer_metadata, token_type}
// It resolves the credential offer (by value) and the issuer's metadata (and that of its
// authorization server), exchanges the pre-authorized code (with the transaction code)
// for an access token, fetches a nonce, signs a key proof JWT with a fresh Ed25519 key
// (jose) whose DID is did:key or did:jwk, and requests the credential. The credential is
// then verified by the Rust test with the Digital Bazaar stack (interop.mjs verify).
// The registry runs on a loopback address over http, which the library refuses unless
// told otherwise (allowInsecureUrls).

import {createHash, randomBytes} from 'node:crypto';

import * as jose from 'jose';
import {
  clientAuthenticationAnonymous,
  setGlobalConfig
} from '@openid4vc/oauth2';
import {Openid4vciClient} from '@openid4vc/openid4vci';

setGlobalConfig({allowInsecureUrls: true});

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58btc(bytes) {
  let n = 0n;
  for(const b of bytes) {
    n = n * 256n + BigInt(b);
  }
  let out = '';
  while(n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for(const b of bytes) {
    if(b !== 0) {
      break;
    }
    out = '1' + out;
  }
  return out;
}

// The wallet's key and its DID: did:key (multicodec ed25519-pub 0xed01) or did:jwk.
async function walletKey(didMethod) {
  const {publicKey, privateKey} = await jose.generateKeyPair('EdDSA', {
    crv: 'Ed25519', extractable: true
  });
  const publicJwk = await jose.exportJWK(publicKey);
  let did;
  let kid;
  if(didMethod === 'jwk') {
    did = `did:jwk:${Buffer.from(JSON.stringify(publicJwk)).toString('base64url')}`;
    kid = `${did}#0`;
  } else {
    const raw = Buffer.from(publicJwk.x, 'base64url');
    const fingerprint = 'z' + base58btc(Buffer.concat([Buffer.from([0xed, 0x01]), raw]));
    did = `did:key:${fingerprint}`;
    kid = `${did}#${fingerprint}`;
  }
  return {publicJwk, privateKey, did, kid};
}

async function main() {
  const input = await readStdin();
  const key = await walletKey(input.did_method || 'key');
  const client = new Openid4vciClient({
    callbacks: {
      fetch,
      hash: (data, alg) => createHash(alg.replace('-', '')).update(data).digest(),
      generateRandom: n => randomBytes(n),
      clientAuthentication: clientAuthenticationAnonymous(),
      signJwt: async (_signer, {header, payload}) => {
        const jwt = await new jose.SignJWT(payload)
          .setProtectedHeader(header)
          .sign(key.privateKey);
        return {jwt, signerJwk: key.publicJwk};
      }
    }
  });
  const offer = await client.resolveCredentialOffer(input.offer_uri);
  const issuerMetadata = await client.resolveIssuerMetadata(offer.credential_issuer);
  const {accessTokenResponse} = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer: offer,
    issuerMetadata,
    ...(input.tx_code ? {txCode: input.tx_code} : {})
  });
  const {c_nonce: nonce} = await client.requestNonce({issuerMetadata});
  const credentialConfigurationId = offer.credential_configuration_ids[0];
  const {jwt} = await client.createCredentialRequestJwtProof({
    issuerMetadata,
    credentialConfigurationId,
    nonce,
    signer: {method: 'did', didUrl: key.kid, alg: 'EdDSA'}
  });
  const response = await client.retrieveCredentials({
    issuerMetadata,
    credentialConfigurationId,
    accessToken: accessTokenResponse.access_token,
    proofs: {jwt: [jwt]}
  });
  const body = response.credentialResponse;
  const credential = body.credentials ? body.credentials[0].credential : body.credential;
  process.stdout.write(JSON.stringify({
    credential,
    holder_did: key.did,
    offer,
    issuer_metadata: issuerMetadata.credentialIssuer,
    version: issuerMetadata.originalDraftVersion,
    token_type: accessTokenResponse.token_type
  }) + '\n');
}

main().catch(e => {
  const detail = e && e.response ? ` (${e.response.status})` : '';
  const body = e && e.errorResponse ? ` ${JSON.stringify(e.errorResponse)}` : '';
  process.stderr.write(`oid4vci.mjs: ${e && e.stack || e}${detail}${body}\n`);
  process.exit(1);
});
