#!/usr/bin/env bash
# Checks what `make dist` built, for real, on this machine:
#   - the plugin zip: layout (one aisle/ folder, nothing from tests or dev), complete, byte-identical
#     on a rebuild, php -l clean, plugin header and readme.txt consistent with AISLE_VERSION;
#   - composer.json: the php-ext fields PIE reads (JSON schema), `composer validate`, and a broken
#     copy must be refused (so the check itself can fail);
#   - the .deb: metadata, contents, conffile; then dpkg -i → `php --ri aisle` with no -d flag, cli and
#     fpm links; an administrator's phpdismod survives an upgrade; dpkg -r → gone, ini kept;
#     reinstall → enabled again; dpkg --purge → nothing left.
# Leaves the machine as it found it: refuses to run if php8.2-aisle or an aisle extension is there
# already, purges what it installed on any exit, and compares /etc/php/8.2, the module state and
# the extension directory before and after.
# Usage: scripts/test-dist.sh   (make test-dist builds dist first). Root only (dpkg).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
DIST_DIR=${DIST_DIR:-$ROOT/dist}
PHPV=8.2
PKG=php$PHPV-aisle
export LC_ALL=C

t0=$(date +%s)
fail() { echo "test-dist: FAIL: $*" >&2; exit 1; }
ok() { echo "test-dist: ok    $*"; }
step() { echo "test-dist: ----- $* ($(($(date +%s) - t0)) s)"; }

[[ $(id -u) -eq 0 ]] || fail "must run as root (it installs and removes $PKG with dpkg)"
for tool in unzip php$PHPV php-fpm$PHPV php-config$PHPV dpkg-deb phpquery; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool not found (scripts/install-deps.sh dist)"
done

plugin_version=$(sed -n "s/^define( *'AISLE_VERSION', *'\([^']*\)' *);.*/\1/p" plugin/aisle/aisle.php)
ext_version=$(sed -n '/^\[package\]/,/^\[/s/^version *= *"\([^"]*\)".*/\1/p' Cargo.toml | head -n1)
arch=$(dpkg --print-architecture)
extdir=$(php-config$PHPV --extension-dir)
phpapi=$(php-config$PHPV --phpapi)
zip="$DIST_DIR/aisle-$plugin_version.zip"
deb="$DIST_DIR/${PKG}_${ext_version}_${arch}.deb"
ini=/etc/php/$PHPV/mods-available/aisle.ini
sapis=$(phpquery -S -v $PHPV | tr "\n" " ")
[[ -f $zip ]] || fail "$zip not found: run make dist"
[[ -f $deb ]] || fail "$deb not found: run make dist"

# ---------------------------------------------------------------------------------------------
step "preconditions: this machine has no aisle extension of its own"
status=$(dpkg-query -W -f='${db:Status-Abbrev}' $PKG 2>/dev/null || true)
if [[ -n $status && $status != un* ]]; then
  echo "test-dist: $PKG is already on this machine (dpkg status '${status% }'); this test installs and" >&2
  echo "test-dist: purges it, so it stops here. Remove it first (dpkg --purge $PKG) or test elsewhere." >&2
  exit 2
fi
for path in "$extdir/aisle.so" "$ini"; do
  [[ ! -e $path ]] || { echo "test-dist: $path exists (installed by hand?); this test would replace and delete it, so it stops here." >&2; exit 2; }
done
if php -m 2>/dev/null | grep -qx aisle; then
  echo "test-dist: php already loads aisle from its configuration; stops here (the removal checks would mean nothing)." >&2
  exit 2
fi

snapshot() {
  find /etc/php/$PHPV /var/lib/php/modules/$PHPV "$extdir" \( -type f -o -type l \) -printf '%p -> %l\n' 2>/dev/null | sort
}
before=$(mktemp) after=$(mktemp) work=$(mktemp -d)
snapshot > "$before"
installed_by_us=no
cleanup() {
  local rc=$?
  if [[ $installed_by_us == yes ]]; then
    local st
    st=$(dpkg-query -W -f='${db:Status-Abbrev}' $PKG 2>/dev/null || true)
    if [[ -n $st && $st != un* ]]; then
      echo "test-dist: cleaning up: dpkg --purge $PKG" >&2
      dpkg --purge $PKG >/dev/null 2>&1 || echo "test-dist: WARNING: dpkg --purge $PKG failed; remove it by hand" >&2
    fi
    snapshot > "$after"
    if ! diff -u "$before" "$after" >&2; then
      echo "test-dist: FAIL: the machine is not as it was (diff above: - before, + after)" >&2
      rc=1
    fi
  fi
  rm -rf "$work" "$before" "$after"
  exit $rc
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
step "plugin zip: $(basename "$zip") ($(stat -c %s "$zip") bytes)"
unzip -tqq "$zip" || fail "$zip is corrupt (unzip -t)"
unzip -Z1 "$zip" > "$work/names"
[[ $(cut -d/ -f1 "$work/names" | sort -u) == aisle ]] || fail "the zip must hold one top folder aisle/, it holds: $(cut -d/ -f1 "$work/names" | sort -u | tr '\n' ' ')"
ok "one top folder: aisle/"
for need in aisle/ aisle/aisle.php aisle/uninstall.php aisle/readme.txt aisle/includes/ aisle/assets/ aisle/languages/; do
  grep -qxF "$need" "$work/names" || fail "$need is missing from the zip"
done
ok "aisle.php, uninstall.php, readme.txt, includes/, assets/, languages/ present"
dev_re='(^|/)(tests?|node_modules|vendor|bin|\.[^/]+|phpunit[^/]*|composer\.(json|lock)|package(-lock)?\.json)(/|$)|~$|\.(orig|rej|swp|bak|map)$'
if bad=$(grep -E "$dev_re" "$work/names"); then
  fail "dev files in the zip: $bad"
fi
ok "no tests, VCS, editor or build leftovers ($(grep -vc '/$' "$work/names") files)"
sort -c "$work/names" 2>/dev/null || fail "zip entries are not in sorted order"
ok "entries sorted"

# Complete and faithful: every plugin file that is not dev-only is in the zip, byte for byte.
(cd plugin && find aisle -type f | grep -Ev "$dev_re" | sort) > "$work/expected"
grep -v '/$' "$work/names" > "$work/files"
diff -u "$work/expected" "$work/files" >&2 || fail "the zip's files differ from plugin/aisle (diff above: - plugin/, + zip)"
mkdir "$work/x" && unzip -qq "$zip" -d "$work/x"
while read -r f; do cmp -s "plugin/$f" "$work/x/$f" || fail "$f in the zip differs from plugin/$f"; done < "$work/files"
ok "same files as plugin/aisle, same bytes"

# Reproducible: a rebuild later (other staging mtimes) gives the same bytes.
sde=$(TZ=UTC unzip -Z -T "$zip" aisle/aisle.php | awk '{print $7}')
sleep 2
for n in 1 2; do
  DIST_DIR="$work/rebuild$n" SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) scripts/dist.sh zip >/dev/null
  [[ $n == 1 ]] && sleep 2
done
cmp -s "$work/rebuild1/$(basename "$zip")" "$work/rebuild2/$(basename "$zip")" || fail "two builds of the zip differ"
ok "two builds are byte-identical (entry time $sde)"

nphp=0
while read -r f; do
  out=$(php$PHPV -l "$work/x/$f" 2>&1) || fail "php -l $f: $out"
  nphp=$((nphp + 1))
done < <(grep '\.php$' "$work/files")
ok "php -l clean: $nphp .php files"

header_version=$(sed -n 's/^ \* Version: *\(.*\)$/\1/p' "$work/x/aisle/aisle.php" | tr -d '[:space:]')
[[ $header_version == "$plugin_version" ]] || fail "plugin header Version: '$header_version' differs from AISLE_VERSION '$plugin_version'"
ok "plugin header Version: $header_version = AISLE_VERSION"

# readme.txt, in the plugin directory's format.
readme="$work/x/aisle/readme.txt"
field() { sed -n "s/^$1: *\(.*\)$/\1/p" "$readme" | head -n1 | sed 's/[[:space:]]*$//'; }
head -n1 "$readme" | grep -Eq '^=== .+ ===$' || fail "readme.txt must start with '=== Plugin Name ==='"
for f in Contributors Tags "Requires at least" "Tested up to" "Requires PHP" "Stable tag" License; do
  [[ -n $(field "$f") ]] || fail "readme.txt has no '$f:' header"
done
[[ $(field "Stable tag") == "$plugin_version" ]] || fail "readme.txt Stable tag '$(field "Stable tag")' differs from AISLE_VERSION '$plugin_version'"
[[ $(field "Tested up to") =~ ^[0-9]+\.[0-9]+$ ]] || fail "readme.txt Tested up to '$(field "Tested up to")' is not a major.minor WordPress version"
ntags=$(field Tags | tr ',' '\n' | grep -c .)
((ntags <= 5)) || fail "readme.txt has $ntags tags; the plugin directory reads 5"
# The short description: the first non-empty line after the header block, at most 150 characters.
short=$(awk 'NR>1 && /^$/ {blank=1; next} blank && NF {print; exit}' "$readme")
[[ -n $short && $short != ==* ]] || fail "readme.txt has no short description after its headers"
((${#short} <= 150)) || fail "readme.txt short description is ${#short} characters (at most 150)"
for s in Description Installation "Frequently Asked Questions" Privacy Changelog; do
  grep -qx "== $s ==" "$readme" || fail "readme.txt has no == $s == section"
done
grep -qx "= $plugin_version =" "$readme" || fail "readme.txt == Changelog == has no '= $plugin_version =' entry"
[[ $(field "Requires PHP") == "$(sed -n 's/^ \* Requires PHP: *\(.*\)$/\1/p' "$work/x/aisle/aisle.php" | tr -d '[:space:]')" ]] \
  || fail "readme.txt Requires PHP differs from the plugin header's"
ok "readme.txt: Stable tag $plugin_version, Tested up to $(field "Tested up to"), $ntags tags, short description ${#short} chars, sections present"
for f in "Requires at least" "WC requires at least" "WC tested up to"; do
  hv=$(sed -n "s/^ \* $f: *\(.*\)$/\1/p" "$work/x/aisle/aisle.php" | tr -d '[:space:]')
  rv=$(field "$f")
  [[ -z $hv || $hv == "$rv" ]] || echo "test-dist: note  '$f' is $rv in readme.txt but $hv in the plugin header"
done

# ---------------------------------------------------------------------------------------------
step "composer.json (PIE)"
check_composer() { # $1: a composer.json; prints why it is refused, returns non-zero
  /usr/bin/python3 - "$1" packaging/composer-php-ext.schema.json <<'PY' || return 1
import json, sys
try:
    import jsonschema
except ImportError:
    sys.exit("python3-jsonschema is missing (scripts/install-deps.sh dist)")
try:
    doc = json.load(open(sys.argv[1], encoding="utf-8"))
except ValueError as e:
    sys.exit(f"{sys.argv[1]}: not JSON: {e}")
schema = json.load(open(sys.argv[2], encoding="utf-8"))
errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
for e in errors:
    print(f"{sys.argv[1]}: {'/'.join(map(str, e.path)) or '(root)'}: {e.message}", file=sys.stderr)
sys.exit(1 if errors else 0)
PY
  if command -v composer >/dev/null 2>&1; then
    # Composer 2.5 (Debian 12) does not know the php-ext section, so its publish check always
    # complains about it; everything else must pass.
    local out
    out=$(COMPOSER_ALLOW_SUPERUSER=1 composer validate --no-check-publish --no-check-lock --no-interaction --no-ansi "$1" 2>&1) \
      || { echo "$out" >&2; return 1; }
  fi
}
check_composer composer.json || fail "composer.json is refused (above)"
ext_name=$(/usr/bin/python3 -c 'import json; print(json.load(open("composer.json"))["php-ext"]["extension-name"])')
priority=$(/usr/bin/python3 -c 'import json; print(json.load(open("composer.json"))["php-ext"].get("priority", 80))')
[[ $ext_name == aisle ]] || fail "composer.json php-ext.extension-name is '$ext_name', the extension is 'aisle'"
grep -qx "; priority=$priority" packaging/deb/aisle.ini || fail "composer.json priority $priority differs from packaging/deb/aisle.ini's"
ok "composer.json valid (schema$(command -v composer >/dev/null && echo ", composer validate --no-check-publish")), extension aisle, priority $priority"
# The check must be able to fail: a wrong type, a misspelt php-ext key and broken JSON are refused.
/usr/bin/python3 -c 'import json,sys; d=json.load(open("composer.json")); d["php-ext"]["priority"]="20"; d["php-ext"]["extention-name"]="aisle"; json.dump(d,open(sys.argv[1],"w"))' "$work/bad1.json"
sed 's/"php-ext": {/"php-ext": {,/' composer.json > "$work/bad2.json"
sed 's/"name": "aisle\/aisle"/"name": "Aisle Aisle"/' composer.json > "$work/bad3.json"
for bad in "$work"/bad{1,2,3}.json; do
  if check_composer "$bad" 2>/dev/null; then fail "the composer.json check accepted a broken copy ($(basename "$bad"))"; fi
done
ok "the check refuses broken copies (wrong type + unknown key, invalid JSON, invalid name)"

# ---------------------------------------------------------------------------------------------
step "deb: $(basename "$deb") ($(stat -c %s "$deb") bytes)"
info() { dpkg-deb -f "$deb" "$1"; }
[[ $(info Package) == "$PKG" ]] || fail "Package is '$(info Package)', not $PKG"
[[ $(info Version) == "$ext_version" ]] || fail "Version is '$(info Version)', Cargo.toml says $ext_version"
[[ $(info Architecture) == "$arch" ]] || fail "Architecture is '$(info Architecture)', this machine is $arch"
info Depends | grep -q "php$PHPV-common" || fail "Depends lacks php$PHPV-common: $(info Depends)"
info Depends | grep -q "phpapi-$phpapi" || fail "Depends lacks phpapi-$phpapi: $(info Depends)"
dpkg-deb -c "$deb" > "$work/contents"
for p in ".$extdir/aisle.so" ".$ini" "./usr/share/doc/$PKG/copyright"; do
  grep -q " $p\$" "$work/contents" || fail "$p is not in the package"
done
if awk '{print $2}' "$work/contents" | grep -vqx 'root/root'; then fail "files not owned by root/root in the package"; fi
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx "$ini" || fail "$ini is not marked as a conffile"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ".$ini" > "$work/aisle.ini"
grep -qx '; priority=20' "$work/aisle.ini" && grep -qx 'extension=aisle.so' "$work/aisle.ini" || fail "the packaged aisle.ini lacks '; priority=20' or 'extension=aisle.so'"
deb_time=$(dpkg-deb --fsys-tarfile "$deb" | TZ=UTC tar -tv --full-time ".$ini" | awk '{print $4" "$5}')
DIST_DIR="$work/debrebuild" SOURCE_DATE_EPOCH=$(date -u -d "$deb_time UTC" +%s) scripts/dist.sh deb >/dev/null 2>&1 \
  || fail "rebuilding the .deb failed"
cmp -s "$deb" "$work/debrebuild/$(basename "$deb")" || fail "a rebuild of the .deb (same build/aisle.so, same SOURCE_DATE_EPOCH) differs from $deb"
ok "$PKG $ext_version $arch, Depends: $(info Depends)"
ok "a rebuild from build/aisle.so is byte-identical"
ok "contents: aisle.so in $extdir, $ini (conffile), copyright; root/root"

links_ok() { # $1: expected "present" or "absent"; $2...: sapis
  local want=$1 s link; shift
  for s in "$@"; do
    link=/etc/php/$PHPV/$s/conf.d/20-aisle.ini
    if [[ $want == present ]]; then
      [[ -L $link && $(readlink "$link") == "$ini" ]] || fail "$link is not a link to $ini"
    else
      [[ ! -e $link && ! -L $link ]] || fail "$link is still there"
    fi
  done
}
loaded_nowhere() {
  if php -m 2>/dev/null | grep -qx aisle; then fail "php -m still lists aisle"; fi
  if php-fpm$PHPV -m 2>/dev/null | grep -qx aisle; then fail "php-fpm$PHPV -m still lists aisle"; fi
  links_ok absent $sapis
}
loaded_everywhere() {
  local ri
  ri=$(php --ri aisle 2>&1) || fail "php --ri aisle (no -d extension) fails: $ri"
  grep -qx "version => $ext_version" <<<"$ri" || fail "php --ri aisle shows no 'version => $ext_version': $ri"
  php-fpm$PHPV -m 2>/dev/null | grep -qx aisle || fail "php-fpm$PHPV -m does not list aisle"
  links_ok present $sapis
}

step "dpkg -i"
installed_by_us=yes
dpkg -i "$deb" > "$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -i $deb failed"; }
[[ $(dpkg-query -W -f='${db:Status-Abbrev}' $PKG) == "ii " ]] || fail "$PKG is not installed after dpkg -i"
[[ -f $extdir/aisle.so ]] || fail "$extdir/aisle.so was not installed"
loaded_everywhere
ok "php --ri aisle works without -d extension: $(php --ri aisle | grep '^version')"
ok "php-fpm$PHPV -m lists aisle; 20-aisle.ini linked in: $sapis"
php -r '$v = Aisle\Vault::fromKey(Aisle\Vault::generateKey()); exit($v->decrypt($v->encrypt("x", "c"), "c") === "x" ? 0 : 1);' \
  || fail "the installed extension does not round-trip Aisle\\Vault"
ok "the installed extension works (Vault round trip)"

step "an administrator's phpdismod survives an upgrade"
phpdismod -v $PHPV -s fpm aisle
dpkg -i "$deb" > "$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -i (upgrade) failed"; }
links_ok absent fpm
links_ok present cli
ok "fpm stays disabled after reinstalling, cli stays enabled"
phpenmod -v $PHPV -s fpm aisle
links_ok present fpm

step "dpkg -r"
dpkg -r $PKG > "$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -r $PKG failed"; }
[[ $(dpkg-query -W -f='${db:Status-Abbrev}' $PKG) == "rc " ]] || fail "$PKG is not in state config-files after dpkg -r"
loaded_nowhere
[[ ! -e $extdir/aisle.so ]] || fail "$extdir/aisle.so is still there after dpkg -r"
[[ -f $ini ]] || fail "dpkg -r removed the conffile $ini (only purge should)"
ok "php -m and php-fpm$PHPV -m no longer list aisle; links and aisle.so gone; $ini kept"

step "dpkg -i again (from config-files)"
dpkg -i "$deb" > "$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -i after dpkg -r failed"; }
loaded_everywhere
ok "enabled again in: $sapis"

step "dpkg --purge"
dpkg --purge $PKG > "$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg --purge $PKG failed"; }
[[ -z $(dpkg-query -W -f='${db:Status-Abbrev}' $PKG 2>/dev/null | grep -v '^un') ]] || fail "$PKG is still known to dpkg after purge"
loaded_nowhere
[[ ! -e $ini ]] || fail "$ini is still there after purge"
if left=$(find /var/lib/php/modules/$PHPV -name aisle | grep .); then fail "module state left after purge: $left"; fi
ok "ini, links, aisle.so and module state gone"

snapshot > "$after"
diff -u "$before" "$after" >&2 || fail "the machine is not as it was (diff above)"
installed_by_us=no
ok "/etc/php/$PHPV, /var/lib/php/modules/$PHPV and $extdir are as before"
echo "test-dist: all checks passed in $(($(date +%s) - t0)) s"
