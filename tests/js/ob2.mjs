// Signed Open Badges 2.0 assertions made by an independent JOSE library (`jose` by panva),
// for Credence's OB 2.0 tests: reads {assertions: [assertion, ...]} on standard input, makes
// one fresh RSA key pair, and prints {pem, jws: [...]}: the public key as SPKI PEM (as an
// issuer's CryptographicKey publishes it) and each assertion signed as a compact JWS with
// RS256, the algorithm Open Badges 2.0 specifies for signed badges.
import { CompactSign, exportSPKI, generateKeyPair } from 'jose';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
const pem = await exportSPKI(publicKey);
const jws = [];
for (const assertion of input.assertions) {
  const bytes = new TextEncoder().encode(JSON.stringify(assertion));
  jws.push(await new CompactSign(bytes).setProtectedHeader({ alg: 'RS256' }).sign(privateKey));
}
process.stdout.write(JSON.stringify({ pem, jws }));
