"""PyTorch reference of the E2 decoder for `decoder.bench.ts` (CPU, float32).

The same model as `DecoderTransformer` of @convexformer/baselines: token + learned position
embeddings, pre-LayerNorm blocks, causal attention (softmax with bias-free Q/K/V/O and scores
scaled by 1/sqrt(d/h), or simplex: a causally masked softmax over free logits), MLP 4d with
ReLU and biases, final LayerNorm, bias-free readout of the last position. Like the tfjs model,
the last block computes queries, attention output and MLP for the last position only (the
only one read out). Trained with AdamW (lr 1e-3, betas (0.9, 0.98), weight decay 1, on all
parameters) on cross-entropy.

Usage: python3 decoder_torch.py '<json list of configs>' ; prints one JSON document.
Each config: {"p", "width", "layers", "heads", "batch", "attention", "warmup", "steps"}.
Env: BENCH_TORCH_THREADS sets torch's intra-op thread count (default: torch's own choice,
which is 1 on the 2-core bench machines: Debian's build reads the OpenMP default).
"""

import json
import math
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, h, n, attention):
        super().__init__()
        self.d, self.h, self.n, self.attention = d, h, n, attention
        self.ln1 = nn.LayerNorm(d)
        if attention == "softmax":
            self.wq = nn.Linear(d, d, bias=False)
            self.wk = nn.Linear(d, d, bias=False)
        else:
            self.logits = nn.Parameter(torch.zeros(h, n, n))
        self.wv = nn.Linear(d, d, bias=False)
        self.wo = nn.Linear(d, d, bias=False)
        self.ln2 = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)
        self.register_buffer("mask", torch.triu(torch.full((n, n), float("-inf")), 1))

    def mlp(self, x):
        return self.fc2(F.relu(self.fc1(self.ln2(x))))

    def forward(self, x, last_only):
        b, n, d = x.shape
        h, dk = self.h, d // self.h
        y = self.ln1(x)
        v = self.wv(y).view(b, n, h, dk).transpose(1, 2)  # b h n dk
        if self.attention == "softmax":
            k = self.wk(y).view(b, n, h, dk).transpose(1, 2)
            if last_only:
                q = self.wq(y[:, -1:]).view(b, 1, h, dk).transpose(1, 2)
                a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dk), -1)
            else:
                q = self.wq(y).view(b, n, h, dk).transpose(1, 2)
                a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dk) + self.mask, -1)
        else:
            a = torch.softmax(self.logits + self.mask, -1)  # h n n
            if last_only:
                a = a[:, -1:, :]
        o = (a @ v).transpose(1, 2).reshape(b, -1, d)
        if last_only:
            x = x[:, -1] + self.wo(o[:, 0])
        else:
            x = x + self.wo(o)
        return x + self.mlp(x)


class Decoder(nn.Module):
    def __init__(self, vocab, n, d, h, layers, attention):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)  # N(0, 1)
        self.pos = nn.Parameter(torch.randn(n, d) * 0.02)
        self.blocks = nn.ModuleList([Block(d, h, n, attention) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)
        self.readout = nn.Linear(d, vocab, bias=False)

    def forward(self, tokens):
        x = self.tok(tokens) + self.pos
        for i, blk in enumerate(self.blocks):
            x = blk(x, last_only=(i == len(self.blocks) - 1))
        return self.readout(self.ln(x))


def bench(cfg):
    torch.manual_seed(0)
    p, d, layers, h, batch = cfg["p"], cfg["width"], cfg["layers"], cfg["heads"], cfg["batch"]
    model = Decoder(p + 2, 4, d, h, layers, cfg.get("attention", "softmax"))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.98), weight_decay=1.0)
    x = torch.randint(0, p, (batch,))
    y = torch.randint(1, p, (batch,))
    tokens = torch.stack([x, torch.full_like(x, p), y, torch.full_like(x, p + 1)], 1)
    labels = (x + y) % p
    times = []
    for step in range(cfg["warmup"] + cfg["steps"]):
        t0 = time.perf_counter()
        loss = F.cross_entropy(model(tokens), labels)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        float(loss)
        if step >= cfg["warmup"]:
            times.append((time.perf_counter() - t0) * 1000)
    return {"msPerStep": statistics.median(times), "stepsTimed": len(times), "finalLoss": float(loss)}


def main():
    configs = json.loads(sys.argv[1])
    threads = os.environ.get("BENCH_TORCH_THREADS")
    if threads:
        torch.set_num_threads(int(threads))
    out = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "results": [bench(c) for c in configs],
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
