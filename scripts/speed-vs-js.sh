#!/usr/bin/env bash
# Speed comparison: `credence vc speed` (release build) against the Digital Bazaar JavaScript
# stack (tests/js/interop.mjs speed) on the ob3-interop credential, both pinned to one core,
# in the same run; prints median sign/verify times, the JS/Rust ratio and the cold-start cost.
#
# Usage: scripts/speed-vs-js.sh [ITERATIONS]   (default 200; needs cargo, node and npm)
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

echo "Measuring Rust ($iterations iterations)..." >&2
rust_json="$("${pin[@]}" target/release/credence vc speed --json --iterations "$iterations")"
echo "Measuring JavaScript ($iterations iterations)..." >&2
js_json="$("${pin[@]}" node tests/js/interop.mjs speed "$iterations")"

RUST_JSON="$rust_json" JS_JSON="$js_json" PINNED="$pinned" node --input-type=module -e '
const rust = JSON.parse(process.env.RUST_JSON);
const js = JSON.parse(process.env.JS_JSON);
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
row("first sign after start-up", rust.first_sign_us, js.first_sign_us);
row("cold-start cost (first - median)", rust.first_sign_us - rdfc.sign_us,
  js.first_sign_us - js.sign_us);
console.log("");
const signRatio = js.sign_us / rdfc.sign_us;
const verifyRatio = js.verify_us / rdfc.verify_us;
const met = signRatio >= 10 && verifyRatio >= 10;
console.log(`eddsa-rdfc-2022 target (at least 10x faster than JavaScript): ${met ? "met" : "NOT met"} ` +
  `(sign ${signRatio.toFixed(1)}x, verify ${verifyRatio.toFixed(1)}x)`);
console.log(`eddsa-jcs-2022 sign under 100 us: ${jcs.sign_us < 100 ? "yes" : "no"} (${jcs.sign_us.toFixed(1)} us)`);
console.log(`first Rust sign costs ${(rust.first_sign_us / rdfc.sign_us).toFixed(1)}x a warm one ` +
  `(JavaScript: ${(js.first_sign_us / js.sign_us).toFixed(1)}x)`);
'
