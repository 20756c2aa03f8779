// Validates CASE 1.1 documents against 1EdTech's CASE 1.1 JSON Schemas (schemas/case_v1p1/)
// with ajv, a JSON Schema implementation independent of Credence's, formats asserted.
//
// Usage: node case_schema.mjs, with on stdin
//   {schemasDir, checks: [{schema: "cfpackage" | "cfdocumentset" | "cfdocument" | "cfitem" | "cfassociation", document}]}
// and on stdout one {valid, errors: [{pointer, message}]} per check, in order.

import {readFileSync} from 'node:fs';
import {join} from 'node:path';

import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}
const {schemasDir, checks} = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const validators = new Map();
function validatorFor(name) {
  if(!/^[a-z]+$/.test(name)) {
    throw new Error(`${name} is not a CASE schema name`);
  }
  if(!validators.has(name)) {
    const ajv = new Ajv2019({allErrors: true, strict: false});
    addFormats(ajv);
    const file = join(schemasDir, `case_v1p1_${name}-jsonschema1.json`);
    validators.set(name, ajv.compile(JSON.parse(readFileSync(file, 'utf8'))));
  }
  return validators.get(name);
}

const out = checks.map(({schema, document}) => {
  const validate = validatorFor(schema);
  const valid = validate(document) === true;
  return {
    valid,
    errors: (validate.errors || []).map(e => ({pointer: e.instancePath, message: e.message}))
  };
});
process.stdout.write(JSON.stringify(out));
