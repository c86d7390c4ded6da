#!/usr/bin/env bash
# A small file system that can be filled, for kuntalasku's full-disk test: a
# 16 MiB tmpfs (run as root). Prints KUNTALASKU_TEST_FULL_DISK=<folder> for
# eval; the test fills it with a ballast file, runs kuntalasku into it, and
# frees it again. Unmount with: umount "$KUNTALASKU_TEST_FULL_DISK".
set -euo pipefail
dir=${FULL_DISK_DIR:-/tmp/kuntalasku-full-disk}
mkdir -p "$dir"
if ! mountpoint -q "$dir"; then
	mount -t tmpfs -o size=16m,mode=0700 kuntalasku-full-disk "$dir" >&2
fi
echo "KUNTALASKU_TEST_FULL_DISK=$dir"
