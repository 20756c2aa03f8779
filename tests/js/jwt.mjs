// JWT-secured credentials made by an independent JOSE library (`jose` by panva), for
// Credence's VC-JOSE-COSE tests: reads {credential, ed25519: {x, d}, didKey, webDid, now}
// on standard input and prints, for EdDSA (the given Ed25519 key, kid a did:key), ES256
// and RS256 (fresh keys, kid a did:web method), a token whose payload is the credential
// (typ vc+jwt), its public JWK, a token carrying its key in a `jwk` header, and an expired
// token in the VC-JWT form (the credential in the `vc` claim, `exp` in the past).
import { CompactSign, SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const now = Math.floor(Date.parse(input.now) / 1000);

async function keysFor(alg) {
  if (alg === 'EdDSA') {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: input.ed25519.x };
    const privateKey = await importJWK({ ...jwk, d: input.ed25519.d }, 'EdDSA');
    return { privateKey, jwk, issuer: input.didKey, kid: `${input.didKey}#${input.didKey.slice(8)}` };
  }
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, issuer: input.webDid, kid: `${input.webDid}#key-${alg.toLowerCase()}` };
}

const out = {};
for (const alg of ['EdDSA', 'ES256', 'RS256']) {
  const { privateKey, jwk, issuer, kid } = await keysFor(alg);
  const credential = { ...input.credential, issuer, id: `urn:uuid:jwt-${alg.toLowerCase()}` };
  const bytes = new TextEncoder().encode(JSON.stringify(credential));
  const token = await new CompactSign(bytes)
    .setProtectedHeader({ alg, typ: 'vc+jwt', cty: 'vc', kid })
    .sign(privateKey);
  const withJwk = await new CompactSign(bytes)
    .setProtectedHeader({ alg, typ: 'vc+jwt', jwk })
    .sign(privateKey);
  const expired = await new SignJWT({ vc: credential })
    .setProtectedHeader({ alg, typ: 'JWT', kid })
    .setIssuer(issuer)
    .setJti(credential.id)
    .setNotBefore(now - 7200)
    .setExpirationTime(now - 3600)
    .sign(privateKey);
  out[alg] = { token, withJwk, expired, jwk, kid, issuer };
}
process.stdout.write(JSON.stringify(out));
