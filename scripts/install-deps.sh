#!/usr/bin/env bash
# Installs the Debian packages a target needs, only those missing. Idempotent.
# Usage: scripts/install-deps.sh core|wordpress|browser|dist|production ...
set -euo pipefail

declare -A SETS=(
  [core]="php8.2-cli php8.2-dev php8.2-mbstring php8.2-xml php8.2-curl php8.2-sqlite3 clang libclang-dev phpunit git ca-certificates pkg-config"
  [wordpress]="wordpress-theme-twentytwentyone mariadb-server php8.2-mysql php8.2-fpm php8.2-gd php8.2-intl curl unzip gettext python3-polib"
  [browser]="chromium nodejs npm"
  [knowledge-bench]="chromium fonts-noto-core fonts-noto-cjk poppler-utils php8.2-zip php8.2-intl"
  [dist]="zip unzip dpkg-dev php8.2-dev php8.2-fpm composer python3-jsonschema"
  [production]="nginx php8.2-fpm redis-server php8.2-redis wrk"
)

wanted=()
for set in "$@"; do
  [[ -n "${SETS[$set]:-}" ]] || { echo "install-deps: unknown set '$set'" >&2; exit 2; }
  for pkg in ${SETS[$set]}; do
    # npm ships inside some nodejs builds (e.g. NodeSource), where Debian's npm package conflicts.
    if [[ $pkg == npm ]] && command -v npm >/dev/null 2>&1; then continue; fi
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || wanted+=("$pkg")
  done
done

if ((${#wanted[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing packages (${wanted[*]}); run as root or install them" >&2
    exit 1
  fi
  echo "install-deps: installing ${wanted[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  cat >&2 <<'MSG'
install-deps: cargo was not found. Aisle needs Rust 1.85 or newer (Debian 12's own
rustc is too old). Install a current stable toolchain with rustup, then run again.
MSG
  exit 1
fi
