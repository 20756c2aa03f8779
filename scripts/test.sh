#!/usr/bin/env bash
# Runs Credence's whole test suite: unit tests, then the one integration-test binary
# (HTTP, CLI, storage, headless Chromium). Installs Debian's Chromium first when it is
# missing. Set CREDENCE_TEST_DATABASE_URL to an administrative PostgreSQL URL to run the
# suite against PostgreSQL (each test creates and drops a database of its own).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${CREDENCE_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

exec cargo test --workspace --locked "$@"
