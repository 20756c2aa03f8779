#!/usr/bin/env bash
# Speed comparison: `credence vc speed` (release build) against the Digital Bazaar JavaScript
# stack (tests/js/interop.mjs speed) on the ob3-interop credential and on a Credence award
# (tests/vectors/credence/award-foundational.json with its status entries removed and the
# test key's did:key as issuer), both pinned to one core, in the same run; prints median
# sign/verify times, the JS/Rust ratio and the cold-start cost.
#
# Usage: scripts/speed-vs-js.sh [ITERATIONS]   (default 200, a quarter of them for the award;
# needs cargo, node, npm and jq; CARGO_TARGET_DIR is honoured)
set -euo pipefail
cd "$(dirname "$0")/.."

iterations="${1:-200}"
core="${SPEED_CORE:-0}"

for tool in cargo node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "speed-vs-js: $tool is required" >&2; exit 1; }
done

pin=()
if command -v taskset >/dev/null 2>&1; then
  pin=(taskset -c "$core")
  pinned="one core (taskset -c $core)"
else
  echo "speed-vs-js: taskset not found; running unpinned" >&2
  pinned="unpinned (no taskset)"
fi

echo "Building the release binary..." >&2
cargo build --release --locked -p credence-cli >&2

# The JavaScript packages, installed from the committed lock file into tests/js/node_modules
# (git-ignored) and reinstalled when the lock file changes.
stamp=tests/js/node_modules/.credence-package-lock.json
if ! cmp -s tests/js/package-lock.json "$stamp"; then
  echo "Installing the JavaScript packages (npm ci)..." >&2
  npm ci --prefix tests/js --no-audit --no-fund --loglevel=error >&2
  cp tests/js/package-lock.json "$stamp"
fi

bin="${CARGO_TARGET_DIR:-target}/release/credence"
award_iterations=$(( iterations / 4 > 10 ? iterations / 4 : 10 ))
award="$(mktemp --suffix=.json)"
trap 'rm -f "$award"' EXIT
jq --arg did "did:key:$(jq -r .publicKeyMultibase tests/vectors/vc-di-eddsa/keyPair.json)" \
  'del(.proof, .credentialStatus) | .issuer.id = $did' \
  tests/vectors/credence/award-foundational.json >"$award"

echo "Measuring Rust ($iterations iterations)..." >&2
rust_json="$("${pin[@]}" "$bin" vc speed --json --iterations "$iterations")"
echo "Measuring JavaScript ($iterations iterations)..." >&2
js_json="$("${pin[@]}" node tests/js/interop.mjs speed "$iterations")"
echo "Measuring both on a Credence award ($award_iterations iterations)..." >&2
rust_award="$("${pin[@]}" "$bin" vc speed --json --iterations "$award_iterations" --credential "$award")"
js_award="$("${pin[@]}" node tests/js/interop.mjs speed "$award_iterations" "$award")"

RUST_JSON="$rust_json" JS_JSON="$js_json" RUST_AWARD="$rust_award" JS_AWARD="$js_award" \
  PINNED="$pinned" node --input-type=module -e '
const rust = JSON.parse(process.env.RUST_JSON);
const js = JSON.parse(process.env.JS_JSON);
const rustAward = JSON.parse(process.env.RUST_AWARD).results["eddsa-rdfc-2022"];
const jsAward = JSON.parse(process.env.JS_AWARD);
const rdfc = rust.results["eddsa-rdfc-2022"];
const jcs = rust.results["eddsa-jcs-2022"];
const f = x => (typeof x === "number" ? x.toFixed(1) : "n/a").padStart(12);
const r = (a, b) => (typeof a === "number" && typeof b === "number" && b > 0 ?
  (a / b).toFixed(1) + "x" : "n/a").padStart(10);
const row = (label, rs, jsv) =>
  console.log(label.padEnd(34) + f(rs) + f(jsv) + r(jsv, rs));

console.log(`ob3-interop credential, ${rust.iterations} (Rust) / ${js.iterations} (JavaScript) iterations, ${process.env.PINNED}`);
console.log("median microseconds per operation; JavaScript = @digitalbazaar/vc on Node " + process.version);
console.log("");
console.log("".padEnd(34) + "Rust".padStart(12) + "JavaScript".padStart(12) + "JS/Rust".padStart(10));
row("eddsa-rdfc-2022 sign", rdfc.sign_us, js.sign_us);
row("eddsa-rdfc-2022 verify", rdfc.verify_us, js.verify_us);
row("eddsa-jcs-2022 sign", jcs.sign_us, undefined);
row("eddsa-jcs-2022 verify", jcs.verify_us, undefined);
row("award (24 KB) eddsa-rdfc-2022 sign", rustAward.sign_us, jsAward.sign_us);
row("award (24 KB) eddsa-rdfc-2022 verify", rustAward.verify_us, jsAward.verify_us);
row("first sign after start-up", rust.first_sign_us, js.first_sign_us);
row("cold-start cost (first - median)", rust.first_sign_us - rdfc.sign_us,
  js.first_sign_us - js.sign_us);
console.log("");
const ratios = [js.sign_us / rdfc.sign_us, js.verify_us / rdfc.verify_us,
  jsAward.sign_us / rustAward.sign_us, jsAward.verify_us / rustAward.verify_us];
const met = ratios.every(x => x >= 20);
console.log(`eddsa-rdfc-2022 target (at least 20x the JavaScript stack per core): ${met ? "met" : "NOT met"} ` +
  `(ob3-interop sign ${ratios[0].toFixed(1)}x, verify ${ratios[1].toFixed(1)}x; ` +
  `award sign ${ratios[2].toFixed(1)}x, verify ${ratios[3].toFixed(1)}x)`);
console.log(`first signature after start-up under 5 ms: ${rust.first_sign_us < 5000 ? "yes" : "no"} ` +
  `(${(rust.first_sign_us / 1000).toFixed(2)} ms)`);
console.log(`eddsa-jcs-2022 sign under 100 us: ${jcs.sign_us < 100 ? "yes" : "no"} (${jcs.sign_us.toFixed(1)} us)`);
console.log(`first Rust sign costs ${(rust.first_sign_us / rdfc.sign_us).toFixed(1)}x a warm one ` +
  `(JavaScript: ${(js.first_sign_us / js.sign_us).toFixed(1)}x)`);
'
