#!/bin/sh
# Builds the base image of every txcenter image from Debian packages alone, without a Docker
# daemon and without any registry: debootstrap of Debian bookworm (minbase) with
# openjdk-17-jre-headless and ca-certificates, security updates applied, a user txc (uid/gid
# 10001) and its working directory /var/lib/txc, packed as one layer in a `docker save` archive
# (manifest.json + config + layer.tar), the tar format Jib takes as a base image (tar://...).
#
# Usage (as root: debootstrap and chroot need it):
#   deploy/base-image/build.sh            writes deploy/base-image/out/txcenter-base.tar
# Environment:
#   TXC_DEBIAN_MIRROR   default http://deb.debian.org/debian (the mirror apt uses here)
#   TXC_DEBIAN_SECURITY default http://deb.debian.org/debian-security
#   TXC_BASE_TAG        default txcenter/base-jre17:bookworm
#   SOURCE_DATE_EPOCH   file times in the layer (default: now)
# Needs: debootstrap (apt-get install debootstrap), tar, sha256sum. See docs/deploy.md.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out="$here/out"
mirror=${TXC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${TXC_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
tag=${TXC_BASE_TAG:-txcenter/base-jre17:bookworm}
epoch=${SOURCE_DATE_EPOCH:-$(date +%s)}
arch=$(dpkg --print-architecture)

if [ "$(id -u)" != 0 ]; then
  echo "build.sh: run as root (debootstrap and chroot need it)" >&2
  exit 1
fi
command -v debootstrap >/dev/null || {
  echo "build.sh: debootstrap is missing: apt-get install --no-install-recommends debootstrap" >&2
  exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/txc-base.XXXXXX")
root="$work/rootfs"
cleanup() {
  for m in proc sys dev/pts dev; do
    umount "$root/$m" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "debootstrap bookworm from $mirror ($arch)"
debootstrap --variant=minbase --arch="$arch" \
  --include=openjdk-17-jre-headless,ca-certificates \
  bookworm "$root" "$mirror"

cat > "$root/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
SOURCES
# no service may start inside the chroot
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"
chroot "$root" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get -y -q upgrade'
chroot "$root" sh -c 'groupadd -g 10001 txc && useradd -u 10001 -g 10001 -d /var/lib/txc -M -s /usr/sbin/nologin txc'
mkdir -p "$root/var/lib/txc"
chown 10001:10001 "$root/var/lib/txc"
chmod 0750 "$root/var/lib/txc"
chroot "$root" java -version
chroot "$root" apt-get clean
umount "$root/proc"
rm -f "$root/usr/sbin/policy-rc.d"
# what an image does not need: package lists, caches, documentation, logs, device nodes
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
  "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
  "$root"/usr/share/locale/* \
  "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/tmp/* "$root"/var/tmp/*
find "$root/dev" -mindepth 1 -delete
find "$root/proc" "$root/sys" -mindepth 1 -delete 2>/dev/null || true

echo "packing the layer"
image="$work/image"
mkdir -p "$image"
tar --sort=name --numeric-owner --mtime="@$epoch" --xattrs \
  -C "$root" -cf "$image/layer.tar" .
diff_id=$(sha256sum "$image/layer.tar" | cut -d' ' -f1)
mkdir "$image/$diff_id"
mv "$image/layer.tar" "$image/$diff_id/layer.tar"
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
java_home=$(chroot "$root" readlink -f /usr/bin/java | sed 's|/bin/java$||')
go_arch=$arch
case "$arch" in
  armhf) go_arch=arm ;;
  i386) go_arch=386 ;;
esac
cat > "$image/config.json" <<CONFIG
{"architecture":"$go_arch","os":"linux","created":"$created",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8","JAVA_HOME=$java_home"],
  "Cmd":["/bin/sh"],"WorkingDir":"/var/lib/txc"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"$created","created_by":"deploy/base-image/build.sh: debootstrap bookworm minbase + openjdk-17-jre-headless ca-certificates"}]}
CONFIG
config_id=$(sha256sum "$image/config.json" | cut -d' ' -f1)
mv "$image/config.json" "$image/$config_id.json"
cat > "$image/manifest.json" <<MANIFEST
[{"Config":"$config_id.json","RepoTags":["$tag"],"Layers":["$diff_id/layer.tar"]}]
MANIFEST
mkdir -p "$out"
tar --numeric-owner --owner=0 --group=0 --mtime="@$epoch" \
  -C "$image" -cf "$out/txcenter-base.tar.tmp" manifest.json "$config_id.json" "$diff_id"
mv "$out/txcenter-base.tar.tmp" "$out/txcenter-base.tar"
echo "wrote $out/txcenter-base.tar ($(du -h "$out/txcenter-base.tar" | cut -f1), $tag, layer sha256:$diff_id)"
