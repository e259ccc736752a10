#!/usr/bin/python3
"""Trains the digit model's networks with PyTorch and exports them as ONNX.

Reads the boxes `train_digits render` wrote (DATA/train.inputs, .labels:
uint8 rows of 3x28x28 prepared cells and their classes). `member --index K`
trains one small convolutional network with its own seed (train.sh runs
one process per core); `export` writes one ONNX graph that runs them all: output "logits" is their mean, "features"
their last hidden layers side by side (the novelty check's input). OpenCV's
dnn module runs the graph in the reader (ocr/digit_classifier.h);
`train_digits calibrate` fits the temperature, thresholds and novelty
statistics on writers kept out of training.

Deterministic: one thread, seeded initialisation and batch order, and
PyTorch's deterministic algorithms; the same data and seed give the same
file.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

CLASSES = 12
SIDE = 28
CHANNELS = 3


class DigitNet(nn.Module):
    """Three 28x28 channels -> 12 logits, through 64 features.

    Three 3x3 convolution blocks (16, 32, 64 filters), each with batch
    normalisation and pooling, down to 3x3; a 64-unit hidden layer whose
    activations are the features. About 2.2 million multiply-adds per box:
    about a tenth of a millisecond in OpenCV's dnn.
    """

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(CHANNELS, 16, 3, padding=1), nn.BatchNorm2d(16),
            nn.ReLU(), nn.MaxPool2d(2),                      # 14x14
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32),
            nn.ReLU(), nn.MaxPool2d(2),                      # 7x7
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64),
            nn.ReLU(), nn.MaxPool2d(2),                      # 3x3
        )
        self.hidden = nn.Linear(64 * 3 * 3, 64)
        self.dropout = nn.Dropout(0.3)
        self.out = nn.Linear(64, CLASSES)

    def forward(self, x):
        features = torch.relu(self.hidden(torch.flatten(self.body(x), 1)))
        return self.out(self.dropout(features)), features


class Ensemble(nn.Module):
    """The members as one graph: mean logits and concatenated features."""

    def __init__(self, members):
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, x):
        logits, features = [], []
        for member in self.members:
            l, f = member(x)
            logits.append(l)
            features.append(f)
        total = logits[0]
        for l in logits[1:]:
            total = total + l
        return total * (1.0 / len(logits)), torch.cat(features, 1)


def load(data, split):
    path = os.path.join(data, split)
    labels = np.fromfile(path + ".labels", dtype=np.uint8)
    inputs = np.fromfile(path + ".inputs", dtype=np.uint8)
    if inputs.size != labels.size * CHANNELS * SIDE * SIDE:
        sys.exit(f"train_cnn: {path}.inputs does not match its labels")
    x = torch.from_numpy(inputs.reshape(-1, CHANNELS, SIDE, SIDE).copy())
    return x, torch.from_numpy(labels.astype(np.int64))


def as_float(x):
    return x.float() / 255.0


def accuracy(model, x, y, batch=1024):
    model.eval()
    right = 0
    with torch.no_grad():
        for i in range(0, len(y), batch):
            logits, _ = model(as_float(x[i:i + batch]))
            right += (logits.argmax(1) == y[i:i + batch]).sum().item()
    return right / max(1, len(y))


def train_member(x, y, calib_x, calib_y, seed, epochs, lr, batch, log):
    torch.manual_seed(seed)
    order = np.random.default_rng(seed)
    model = DigitNet()
    optimiser = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9,
                                nesterov=True, weight_decay=5e-4)
    steps = epochs * math.ceil(len(y) / batch)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: 0.5 * (1 + math.cos(math.pi * s / steps)))
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        start = time.time()
        permutation = torch.from_numpy(order.permutation(len(y)))
        total = 0.0
        for i in range(0, len(y), batch):
            index = permutation[i:i + batch]
            logits, _ = model(as_float(x[index]))
            loss = loss_fn(logits, y[index])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(index)
        log(f"member seed={seed} epoch={epoch + 1}/{epochs} "
            f"loss={total / len(y):.4f} "
            f"calib_accuracy={accuracy(model, calib_x, calib_y):.4f} "
            f"seconds={time.time() - start:.0f}")
    model.eval()
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["member", "export"],
                        help="member: train member --index into "
                        "DATA/member-K.pt; export: write the members 0.."
                        "--members-1 as one ONNX graph (--out)")
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", help="export: the ONNX file to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--index", type=int, default=0)
    parser.add_argument("--members", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--limit", type=int, default=0,
                        help="train on the first N boxes only (tests)")
    args = parser.parse_args()

    # One thread per process: members train in processes of their own, so
    # the run stays deterministic and still uses every core.
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    def log(line):
        print("train_cnn:", line, flush=True)

    calib_x, calib_y = load(args.data, "calib")
    if args.step == "member":
        x, y = load(args.data, "train")
        if args.limit > 0:
            x, y = x[:args.limit], y[:args.limit]
        log(f"member {args.index}: train={len(y)} calib={len(calib_y)} "
            f"epochs={args.epochs}")
        start = time.time()
        model = train_member(x, y, calib_x, calib_y,
                             args.seed * 1000 + args.index, args.epochs,
                             args.lr, args.batch, log)
        torch.save(model.state_dict(),
                   os.path.join(args.data, f"member-{args.index}.pt"))
        with open(os.path.join(args.data, f"member-{args.index}.json"),
                  "w") as f:
            json.dump({"seed": args.seed * 1000 + args.index,
                       "epochs": args.epochs, "lr": args.lr,
                       "batch": args.batch, "train_boxes": len(y),
                       "train_seconds": round(time.time() - start)}, f)
        return
    if not args.out:
        sys.exit("train_cnn: export needs --out")
    members, trained = [], []
    for k in range(args.members):
        model = DigitNet()
        model.load_state_dict(torch.load(
            os.path.join(args.data, f"member-{k}.pt")))
        members.append(model.eval())
        with open(os.path.join(args.data, f"member-{k}.json")) as f:
            trained.append(json.load(f))
    ensemble = Ensemble(members).eval()
    log(f"ensemble of {args.members}: calib_accuracy="
        f"{accuracy(ensemble, calib_x, calib_y):.4f}")
    torch.onnx.export(
        ensemble, torch.zeros(1, CHANNELS, SIDE, SIDE), args.out,
        input_names=["cells"], output_names=["logits", "features"],
        dynamic_axes={"cells": {0: "n"}, "logits": {0: "n"},
                      "features": {0: "n"}},
        opset_version=11, do_constant_folding=True)
    with open(args.out + ".json", "w") as f:
        json.dump({"members": trained, "torch": torch.__version__}, f,
                  indent=1)
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
