// Interop and speed harness: signs and verifies eddsa-rdfc-2022 credentials (and verifies eddsa-jcs-2022 ones) with the Digital Bazaar stack, fully offline, and validates documents against the 1EdTech schemas with ajv, for Credence's tests and scripts/speed-vs-js.sh.
//
// Usage (JSON on stdin, JSON on stdout):
//   node interop.mjs sign      {credential, keyPair, created?}   -> the signed credential
//   node interop.mjs verify    credential                        -> {verified, errors, status}
//   node interop.mjs canonize  credential                        -> {nquads} (RDFC-1.0, safe mode)
//   node interop.mjs status    {credential, lists}               -> {verified, statuses: [{purpose, set}], errors}
//     (lists: status list credentials by URL, served by the loader; checked by
//     @digitalbazaar/vc-bitstring-status-list, which also verifies each list's proof)
//   node interop.mjs contexts                                    -> {url: context text} served
//   node interop.mjs schema    {schema, document}                -> {valid, errors: [{pointer, message}]}
//     (schema: the file name of a 1EdTech schema in crates/credence-vc/schemas/, validated by
//     ajv, a JSON Schema implementation independent of Credence's, with formats checked)
//   node interop.mjs speed [N] [FILE]                            -> {sign_us, verify_us, first_sign_us, iterations}
//     (FILE: an unsigned credential to time instead of the ob3-interop one, e.g. a Credence
//     award with its proof removed; BENCHMARKS.md compares bulk awards with it)
// `sign`, `verify` and `canonize` also accept a JSON array of inputs (one process for many
// documents) and then answer with an array, an error for one input being reported in place
// as {error}.
//
// The document loader is static: it serves exactly the contexts Credence bundles
// (crates/credence-vc/src/contexts.rs, `STANDARD`) from crates/credence-vc/contexts/, and
// resolves did:key (Ed25519) locally. Any other URL is an error; nothing touches the network.
// CREDENCE_CONTEXTS_DIR and CREDENCE_VECTORS_DIR override where those folders are (the Rust
// tests run a copy of this file from target/js-cache/).

import {readFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {performance} from 'node:perf_hooks';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createVerifyCryptosuite as eddsaJcs2022Verify} from
  '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import jsonld from 'jsonld';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const contextsDir = process.env.CREDENCE_CONTEXTS_DIR ||
  join(repo, 'crates', 'credence-vc', 'contexts');
const vectorsDir = process.env.CREDENCE_VECTORS_DIR || join(repo, 'tests', 'vectors');

// URL -> file, exactly `contexts::STANDARD` in crates/credence-vc/src/contexts.rs. The Rust
// interop test checks that this table serves the same URLs with the same text.
const CONTEXT_FILES = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://www.w3.org/2018/credentials/v1': 'credentials-v1.jsonld',
  'https://w3id.org/security/data-integrity/v2': 'data-integrity-v2.jsonld',
  'https://w3id.org/security/multikey/v1': 'multikey-v1.jsonld',
  'https://www.w3.org/ns/credentials/status/v1': 'credentials-status-v1.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob-v3p0-context-3.0.3.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json': 'ob-v3p0-context-3.0.2.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json': 'ob-v3p0-context-3.0.1.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context.json': 'ob-v3p0-context.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json': 'ob-v3p0-extensions.json',
  'https://www.w3.org/ns/did/v1': 'did-v1.jsonld',
  'https://w3id.org/security/suites/ed25519-2020/v1': 'ed25519-signature-2020-v1.jsonld',
  'https://www.w3.org/ns/credentials/examples/v2': 'credentials-examples-v2.jsonld',
  'https://w3id.org/citizenship/v4rc1': 'citizenship-v4rc1.jsonld'
};

const contextText = new Map();
const contextDocs = new Map();
for(const [url, file] of Object.entries(CONTEXT_FILES)) {
  const text = readFileSync(join(contextsDir, file), 'utf8');
  contextText.set(url, text);
  contextDocs.set(url, JSON.parse(text));
}

const DID_V1 = 'https://www.w3.org/ns/did/v1';
const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';

// did:key:z6Mk... (the DID document) or did:key:z6Mk...#z6Mk... (its one verification method).
async function resolveDidKey(url) {
  const [did, fragment] = url.split('#');
  const fingerprint = did.slice('did:key:'.length);
  if(!fingerprint.startsWith('z6Mk')) {
    throw new Error(`Only Ed25519 did:key identifiers are resolved here: ${url}`);
  }
  if(fragment !== undefined && fragment !== fingerprint) {
    throw new Error(`did:key fragment does not name the key: ${url}`);
  }
  const id = `${did}#${fingerprint}`;
  // Validates the multicodec prefix and key length.
  const key = await Ed25519Multikey.from({
    id, controller: did, publicKeyMultibase: fingerprint
  });
  const method = await key.export({publicKey: true, includeContext: true});
  if(fragment !== undefined) {
    return method;
  }
  const {'@context': _ignored, ...bare} = method;
  return {
    '@context': [DID_V1, MULTIKEY_V1],
    id: did,
    verificationMethod: [bare],
    authentication: [id],
    assertionMethod: [id],
    capabilityDelegation: [id],
    capabilityInvocation: [id]
  };
}

export async function documentLoader(url) {
  const context = contextDocs.get(url);
  if(context) {
    return {contextUrl: null, documentUrl: url, document: context};
  }
  if(typeof url === 'string' && url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: await resolveDidKey(url)};
  }
  throw new Error(
    `The static document loader does not serve ${url} (no network access).`);
}

async function keyPairFrom(input) {
  if(!input || typeof input.publicKeyMultibase !== 'string') {
    throw new Error('keyPair needs publicKeyMultibase');
  }
  const secretKeyMultibase = input.secretKeyMultibase || input.privateKeyMultibase;
  if(typeof secretKeyMultibase !== 'string') {
    throw new Error('keyPair needs secretKeyMultibase (or privateKeyMultibase)');
  }
  const controller = input.controller || `did:key:${input.publicKeyMultibase}`;
  const id = input.id || `${controller}#${input.publicKeyMultibase}`;
  return Ed25519Multikey.from({
    type: 'Multikey',
    id,
    controller,
    publicKeyMultibase: input.publicKeyMultibase,
    secretKeyMultibase
  });
}

async function sign({credential, keyPair, created}) {
  if(!credential || typeof credential !== 'object') {
    throw new Error('sign needs {credential, keyPair}');
  }
  return signWith(await keyPairFrom(keyPair), credential, created);
}

async function signWith(key, credential, created) {
  const suite = new DataIntegrityProof({
    signer: key.signer(),
    cryptosuite: eddsaRdfc2022,
    ...(created ? {date: created} : {})
  });
  return vc.issue({credential: structuredClone(credential), suite, documentLoader});
}

function messages(error, out = []) {
  if(!error) {
    return out;
  }
  if(Array.isArray(error)) {
    for(const e of error) {
      messages(e, out);
    }
    return out;
  }
  if(Array.isArray(error.errors) && error.errors.length > 0) {
    messages(error.errors, out);
  } else {
    let text = String(error.message || error);
    // jsonld.js puts the reason (e.g. the loader's refusal) in details.cause.
    const cause = error.details && error.details.cause;
    if(cause && cause.message && !text.includes(cause.message)) {
      text += ` (${cause.message})`;
    }
    out.push(text);
  }
  return out;
}

// Status lists are not fetched (no network): the interop tests concern proofs. The answer
// says so instead of claiming a status was checked.
async function noStatusCheck() {
  return {verified: true};
}

async function verify(credential) {
  const result = await vc.verifyCredential({
    credential,
    // Each proof is matched to the suite of its cryptosuite.
    suite: [
      new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
      new DataIntegrityProof({cryptosuite: eddsaJcs2022Verify()})
    ],
    documentLoader,
    checkStatus: noStatusCheck
  });
  const errors = messages(result.error);
  for(const r of result.results || []) {
    if(!r.verified) {
      messages(r.error, errors);
    }
  }
  return {
    verified: result.verified === true,
    errors: [...new Set(errors)],
    status: credential && credential.credentialStatus ? 'not checked' : 'none'
  };
}

// Status of a credential's BitstringStatusListEntry items, with the given status list
// credentials served by URL (the test fetched them from Credence over HTTP).
async function status({credential, lists}) {
  const loader = async url => {
    if(lists && Object.prototype.hasOwnProperty.call(lists, url)) {
      return {contextUrl: null, documentUrl: url, document: lists[url]};
    }
    return documentLoader(url);
  };
  const result = await checkStatus({
    credential,
    documentLoader: loader,
    suite: new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
    verifyBitstringStatusListCredential: true,
    verifyMatchingIssuers: true
  });
  return {
    verified: result.verified === true,
    statuses: (result.results || []).map(r => ({
      purpose: r.credentialStatus && r.credentialStatus.statusPurpose,
      set: r.status === true
    })),
    errors: result.error ? messages(result.error) : []
  };
}

const schemasDir = process.env.CREDENCE_SCHEMAS_DIR ||
  join(contextsDir, '..', 'schemas');
const validators = new Map();

// The 1EdTech schemas are JSON Schema 2019-09; `format` is asserted, as a validating
// wallet would.
function validatorFor(name) {
  if(!/^[a-z0-9_]+\.json$/.test(name)) {
    throw new Error(`schema: ${name} is not a schema file name`);
  }
  if(!validators.has(name)) {
    const ajv = new Ajv2019({allErrors: true, strict: false});
    addFormats(ajv);
    validators.set(name, ajv.compile(
      JSON.parse(readFileSync(join(schemasDir, name), 'utf8'))));
  }
  return validators.get(name);
}

async function schema({schema: name, document}) {
  const validate = validatorFor(name);
  const valid = validate(document) === true;
  return {
    valid,
    errors: (validate.errors || []).map(e => ({pointer: e.instancePath, message: e.message}))
  };
}

async function canonize(document) {
  const nquads = await jsonld.canonize(document, {
    algorithm: 'RDFC-1.0',
    format: 'application/n-quads',
    documentLoader,
    safe: true
  });
  return {nquads};
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round1 = x => Math.round(x * 10) / 10;

// Median sign and verify times on the ob3-interop credential with the W3C key, measured like
// `credence vc speed`: the first sign in the process is timed on its own (contexts loaded and
// processed), then after a warm-up each iteration times one sign and one verify.
async function speed(iterations, file) {
  const credential = JSON.parse(readFileSync(
    file || join(vectorsDir, 'ob3-interop', 'ob3-unsigned.json'), 'utf8'));
  const keyPair = JSON.parse(
    readFileSync(join(vectorsDir, 'vc-di-eddsa', 'keyPair.json'), 'utf8'));
  const expected = JSON.parse(readFileSync(
    join(vectorsDir, 'ob3-interop', 'ob3-signed-by-js.json'), 'utf8'));
  const created = expected.proof.created;
  // The key is decoded once, as `credence vc speed` does; only signing is timed.
  const key = await keyPairFrom(keyPair);
  const sign = () => signWith(key, credential, created);

  let start = performance.now();
  const first = await sign();
  const firstSignUs = (performance.now() - start) * 1000;
  if(!file && first.proof.proofValue !== expected.proof.proofValue) {
    throw new Error('speed: the signature differs from ob3-signed-by-js.json');
  }
  const check = await verify(first);
  if(!check.verified) {
    throw new Error(`speed: the signed credential does not verify: ${check.errors}`);
  }

  const warmup = Math.min(20, Math.max(3, Math.floor(iterations / 10)));
  for(let i = 0; i < warmup; ++i) {
    await verify(await sign());
  }

  const signs = [];
  const verifies = [];
  for(let i = 0; i < iterations; ++i) {
    start = performance.now();
    const signed = await sign();
    signs.push((performance.now() - start) * 1000);
    start = performance.now();
    const result = await verify(first);
    verifies.push((performance.now() - start) * 1000);
    if(!result.verified || !signed.proof) {
      throw new Error('speed: an iteration failed');
    }
  }
  return {
    sign_us: round1(median(signs)),
    verify_us: round1(median(verifies)),
    first_sign_us: round1(firstSignUs),
    iterations
  };
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch(e) {
    throw new Error(`standard input is not JSON: ${e.message}`);
  }
}

// One input, or an array of inputs answered in order.
async function each(input, fn) {
  if(!Array.isArray(input)) {
    return fn(input);
  }
  const out = [];
  for(const item of input) {
    try {
      out.push(await fn(item));
    } catch(e) {
      out.push({error: messages(e).join('; ')});
    }
  }
  return out;
}

async function main() {
  const [command, arg] = process.argv.slice(2);
  let output;
  switch(command) {
    case 'sign':
      output = await each(await readStdin(), sign);
      break;
    case 'verify':
      output = await each(await readStdin(), async c => {
        try {
          return await verify(c);
        } catch(e) {
          return {verified: false, errors: messages(e)};
        }
      });
      break;
    case 'canonize':
      output = await each(await readStdin(), canonize);
      break;
    case 'status':
      output = await each(await readStdin(), status);
      break;
    case 'contexts':
      output = Object.fromEntries(contextText);
      break;
    case 'schema':
      output = await each(await readStdin(), schema);
      break;
    case 'speed': {
      const iterations = arg === undefined ? 200 : Number.parseInt(arg, 10);
      if(!(iterations > 0)) {
        throw new Error(`speed: iterations must be a positive integer, not ${arg}`);
      }
      output = await speed(iterations, process.argv[4]);
      break;
    }
    default:
      throw new Error(
        'usage: node interop.mjs sign|verify|canonize|contexts|speed [N]');
  }
  process.stdout.write(JSON.stringify(output) + '\n');
}

main().catch(e => {
  process.stderr.write(`interop.mjs: ${messages(e).join('; ') || e}\n`);
  process.exit(1);
});
