#!/usr/bin/env bash
# Builds the Dockerfile's base image, node:20-bookworm-slim, without an image registry: a minimal
# Debian 12 (bookworm) from a Debian mirror (debootstrap) plus this machine's own Node.js 20 (its
# binary, npm and headers), laid out as the official image lays them out, with its `node` user
# (uid 1000). Use it where `docker pull` cannot reach a registry; where it can, skip it.
#
#   sudo docker/build-offline-base.sh            # needs root, debootstrap and a running docker daemon
#
# Settings: TAG (default node:20-bookworm-slim), DEBIAN_MIRROR (default http://deb.debian.org/debian),
# NODE (default: the node on PATH; must be 20.x), EXTRA_CA_DIR (default /usr/local/share/ca-certificates:
# certificate authorities this machine adds, e.g. a proxy that re-signs TLS, so that apt and npm inside
# the build trust what they trust here).
set -euo pipefail

TAG=${TAG:-node:20-bookworm-slim}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
NODE=${NODE:-$(command -v node)}
EXTRA_CA_DIR=${EXTRA_CA_DIR:-/usr/local/share/ca-certificates}

die() { echo "build-offline-base: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (debootstrap and docker need it)"
command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install -y debootstrap"
docker info >/dev/null 2>&1 || die "the docker daemon is not running"
version=$("$NODE" -v)
case "$version" in v20.*) ;; *) die "$NODE is $version; the image runs Node.js 20" ;; esac

# Where this Node keeps npm and its headers (Debian/NodeSource: /usr, official tarball: /usr/local).
prefix=$(dirname "$(dirname "$(readlink -f "$NODE")")")
[ -d "$prefix/lib/node_modules/npm" ] || die "npm not found under $prefix/lib/node_modules"
[ -d "$prefix/include/node" ] || die "Node's headers not found under $prefix/include/node"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

echo "debootstrap bookworm from $MIRROR ..."
debootstrap --variant=minbase --include=ca-certificates bookworm "$root" "$MIRROR" >/dev/null

echo "adding Node.js $version ..."
install -D -m 0755 "$(readlink -f "$NODE")" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules" "$root/usr/local/include"
cp -a "$prefix/lib/node_modules/npm" "$root/usr/local/lib/node_modules/npm"
cp -a "$prefix/include/node" "$root/usr/local/include/node"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"

extra_ca=()
if compgen -G "$EXTRA_CA_DIR/*.crt" >/dev/null; then
  echo "adding this machine's certificate authorities from $EXTRA_CA_DIR ..."
  cp "$EXTRA_CA_DIR"/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >/dev/null
  extra_ca=(--change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt')
fi

# The official image's unprivileged user.
chroot "$root" groupadd --gid 1000 node
chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

# What a slim image leaves out.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/usr/share/doc/* \
  "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
  "$root"/var/log/*.log

echo "importing as $TAG ..."
tar -C "$root" -c . | docker import \
  --change 'ENV NODE_VERSION='"${version#v}" \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  "${extra_ca[@]}" \
  - "$TAG" >/dev/null
docker image ls "$TAG"
