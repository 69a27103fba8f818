#!/usr/bin/env bash
# Builds the release artifacts into dist/ (or $DIST_DIR):
#   aisle-<AISLE_VERSION>.zip               the WordPress plugin, as Plugins → Add New → Upload takes it
#   php8.2-aisle_<Cargo version>_<arch>.deb the extension for Debian's PHP 8.2, enabled for every SAPI
# Usage: scripts/dist.sh [zip|deb|all]   (make dist: builds build/aisle.so first, then all)
#        RELEASE=1 refuses an extension built with the development license key.
# Reproducible-ish: sorted entries, fixed mtimes (SOURCE_DATE_EPOCH, default: the last commit),
# normalized modes, no extra zip attributes, root:root in the .deb.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
what=${1:-all}
DIST_DIR=${DIST_DIR:-$ROOT/dist}
EXT=${EXT:-$ROOT/build/aisle.so}
PHP_VERSION=8.2

die() { echo "dist: $*" >&2; exit 1; }

for tool in zip dpkg-deb dpkg-shlibdeps php-config$PHP_VERSION strip; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (scripts/install-deps.sh dist installs it)"
done

export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 315532800)}
export TZ=UTC LC_ALL=C
umask 022

plugin_version=$(sed -n "s/^define( *'AISLE_VERSION', *'\([^']*\)' *);.*/\1/p" plugin/aisle/aisle.php)
[[ -n $plugin_version ]] || die "no define( 'AISLE_VERSION', '...' ) in plugin/aisle/aisle.php"
ext_version=$(sed -n '/^\[package\]/,/^\[/s/^version *= *"\([^"]*\)".*/\1/p' Cargo.toml | head -n1)
[[ -n $ext_version ]] || die "no [package] version in Cargo.toml"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$DIST_DIR"

# Fixed mtime and modes on a staging tree: dirs 755, files 644 (or 755 if given).
normalize() {
  find "$1" -type d -exec chmod 755 {} +
  find "$1" -type f -exec chmod 644 {} +
  find "$1" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
}

build_zip() {
  local src=plugin/aisle out="$DIST_DIR/aisle-$plugin_version.zip"
  local top="$stage/zip/aisle"
  mkdir -p "$top"
  # What WordPress needs, nothing else: the plugin's own files, never tests, VCS or editor leftovers.
  local item
  for item in aisle.php uninstall.php readme.txt includes assets languages; do
    [[ -e $src/$item ]] || die "$src/$item is missing"
  done
  (cd "$src" && find aisle.php uninstall.php readme.txt includes assets languages \
      \( -name '.*' -o -name '*~' -o -name '*.orig' -o -name '*.rej' -o -name '*.swp' -o -name '*.bak' \
         -o -name tests -o -name node_modules -o -name 'phpunit*' -o -name 'composer.*' -o -name '*.map' \) -prune \
      -o \( -type f -o -type d \) -print) \
    | while read -r rel; do
        if [[ -d $src/$rel ]]; then mkdir -p "$top/$rel"; else mkdir -p "$top/$(dirname "$rel")"; cp "$src/$rel" "$top/$rel"; fi
      done
  normalize "$top"
  rm -f "$out"
  # -X: no uid/gid or extended timestamps; -D is not used, so folders get entries of their own.
  (cd "$stage/zip" && find aisle -print | sort | zip -X -q -9 "$out" -@)
  echo "dist: ${out#"$ROOT"/} ($(stat -c %s "$out") bytes, $(unzip -Z1 "$out" | grep -vc '/$') files)"
}

build_deb() {
  [[ -f $EXT ]] || die "$EXT not found: run make ext first"
  local arch extdir root="$stage/deb" depends shlibs installed_size out
  arch=$(dpkg --print-architecture)
  extdir=$(php-config$PHP_VERSION --extension-dir)
  [[ $extdir == /usr/lib/php/* ]] || die "php-config$PHP_VERSION --extension-dir is $extdir, not Debian's /usr/lib/php/<api>"
  out="$DIST_DIR/php$PHP_VERSION-aisle_${ext_version}_${arch}.deb"

  # The extension must be the one Debian's PHP loads: check before packaging it.
  php$PHP_VERSION -n -d extension="$EXT" -r 'exit(extension_loaded("aisle") ? 0 : 1);' \
    || die "$EXT does not load in php$PHP_VERSION"
  local built_version
  built_version=$(php$PHP_VERSION -n -d extension="$EXT" -r 'echo phpversion("aisle");')
  [[ $built_version == "$ext_version" ]] || die "$EXT reports version $built_version, Cargo.toml says $ext_version: rebuild it (make ext)"

  # build.rs compiles in the vendor's license public key; without AISLE_LICENSE_PUBLIC_KEY it is the
  # development key from keys/, fine for testing, wrong for customers.
  if php$PHP_VERSION -n -d extension="$EXT" --ri aisle | grep -q '^license public key => .*(development)'; then
    [[ ${RELEASE:-0} != 1 ]] || die "$EXT trusts the development license key: rebuild with AISLE_LICENSE_PUBLIC_KEY set (RELEASE=1)"
    echo "dist: WARNING: $EXT trusts the development license key (fine for testing; a release is built with AISLE_LICENSE_PUBLIC_KEY, and RELEASE=1 refuses this)" >&2
  fi

  install -d "$root/DEBIAN" "$root$extdir" "$root/etc/php/$PHP_VERSION/mods-available" "$root/usr/share/doc/php$PHP_VERSION-aisle"
  install -m 644 "$EXT" "$root$extdir/aisle.so"
  strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root$extdir/aisle.so"
  install -m 644 packaging/deb/aisle.ini "$root/etc/php/$PHP_VERSION/mods-available/aisle.ini"
  install -m 644 packaging/deb/copyright "$root/usr/share/doc/php$PHP_VERSION-aisle/copyright"
  for script in postinst prerm postrm; do install -m 755 packaging/deb/$script "$root/DEBIAN/$script"; done
  echo "/etc/php/$PHP_VERSION/mods-available/aisle.ini" > "$root/DEBIAN/conffiles"

  # Shared-library dependencies as Debian computes them (libc6, libgcc-s1 with minimum versions).
  mkdir -p "$stage/shlibs/debian"
  printf 'Source: aisle\n\nPackage: php%s-aisle\nArchitecture: any\n' "$PHP_VERSION" > "$stage/shlibs/debian/control"
  shlibs=$(cd "$stage/shlibs" && dpkg-shlibdeps -O "$root$extdir/aisle.so" 2>/dev/null | sed -n 's/^shlibs:Depends=//p') || true
  [[ -n $shlibs ]] || shlibs="libc6, libgcc-s1"
  depends="php$PHP_VERSION-common, phpapi-$(php-config$PHP_VERSION --phpapi), $shlibs"

  installed_size=$(du -sk --apparent-size --exclude=DEBIAN "$root" | cut -f1)
  sed -e "s/@VERSION@/$ext_version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
      -e "s/@DEPENDS@/$depends/" packaging/deb/control.in > "$root/DEBIAN/control"
  (cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | sort | xargs md5sum) > "$root/DEBIAN/md5sums"
  chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"
  find "$root" -type d -exec chmod 755 {} +
  find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

  rm -f "$out"
  dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
  echo "dist: ${out#"$ROOT"/} ($(stat -c %s "$out") bytes; Depends: $depends)"
}

case $what in
  zip) build_zip ;;
  deb) build_deb ;;
  all) build_zip; build_deb ;;
  *) die "usage: scripts/dist.sh [zip|deb|all]" ;;
esac
