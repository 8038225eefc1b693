"""E2's decoder in PyTorch, trained from given initial weights over a given batch order.

    python3 torch-same-init.py <folder> [float32|float64]   (folder written by torch-same-init.ts)

An independent implementation of the spec (../../../../shared/spec/experiments.md, E2): token +
learned position embeddings, pre-LayerNorm blocks x <- x + Attn(LN(x)), x <- x + MLP(LN(x)),
causal mask, softmax attention (no Q/K/V/O bias, scores scaled by 1/sqrt(d/h)) or simplex
attention (per head a causally masked softmax over free logits, input independent), MLP
d -> 4d -> d with ReLU and biases, a final LayerNorm, a bias-free readout of the last position.
Weights are read in our layout (linear maps `in x out`, y = x W + b). AdamW as torch.optim.AdamW
(decoupled decay), lr warm-up lr * min(1, (t + 1) / warmup) for step t = 0, 1, ... through
LambdaLR. float32 (or float64, the control that shows how far float32 rounding alone moves the
curves) on the CPU, one thread. One JSON line out; exit code 3 with a reason when torch is absent.
"""

import json
import math
import os
import sys
import time

try:
    import numpy as np
    import torch
except Exception as error:  # noqa: BLE001 - any import failure means "torch is not here"
    print(json.dumps({"available": False, "reason": f"{type(error).__name__}: {error}"}))
    sys.exit(3)


class Decoder(torch.nn.Module):
    def __init__(self, folder, config, dtype):
        super().__init__()
        self.c = config
        self.w = torch.nn.ParameterDict()
        for name in config["weights"]:
            array = np.load(os.path.join(folder, f"{name}.npy"))
            self.w[name.replace(".", "__")] = torch.nn.Parameter(torch.from_numpy(array.copy()).to(dtype))
        n = config["sequenceLength"]
        self.register_buffer("causal", torch.tril(torch.ones(n, n, dtype=torch.bool)))

    def p(self, name):
        return self.w[name.replace(".", "__")]

    def layer_norm(self, x, prefix):
        return torch.nn.functional.layer_norm(
            x, (x.shape[-1],), self.p(f"{prefix}.gain"), self.p(f"{prefix}.bias"), 1e-5
        )

    def attention(self, x, prefix):
        b, n, d = x.shape
        h = self.c["heads"]
        dk = d // h
        split = lambda t: t.reshape(b, n, h, dk).transpose(1, 2)  # [b, h, n, dk]
        v = split(x @ self.p(f"{prefix}.WV"))
        if self.c["attention"] == "softmax":
            q = split(x @ self.p(f"{prefix}.WQ"))
            k = split(x @ self.p(f"{prefix}.WK"))
            scores = (q @ k.transpose(-1, -2)) / math.sqrt(dk)
            a = torch.softmax(scores.masked_fill(~self.causal, float("-inf")), dim=-1)
        else:
            logits = self.p(f"{prefix}.logits")  # [h, n, n]
            a = torch.softmax(logits.masked_fill(~self.causal, float("-inf")), dim=-1)
        merged = (a @ v).transpose(1, 2).reshape(b, n, d)
        return merged @ self.p(f"{prefix}.WO")

    def forward(self, tokens):
        x = self.p("tokenEmbedding")[tokens] + self.p("positionEmbedding")
        for l in range(self.c["layers"]):
            pre = f"blocks.{l}"
            x = x + self.attention(self.layer_norm(x, f"{pre}.ln1"), f"{pre}.attn")
            z = self.layer_norm(x, f"{pre}.ln2")
            hidden = torch.relu(z @ self.p(f"{pre}.mlp.W1") + self.p(f"{pre}.mlp.b1"))
            x = x + hidden @ self.p(f"{pre}.mlp.W2") + self.p(f"{pre}.mlp.b2")
        x = self.layer_norm(x[:, -1, :], "lnFinal")
        return x @ self.p("readout")


def evaluate(model, tokens, labels):
    with torch.no_grad():
        logits = model(tokens)
        loss = torch.nn.functional.cross_entropy(logits, labels).item()
        accuracy = (logits.argmax(dim=-1) == labels).float().mean().item()
    return loss, accuracy


def main(folder, dtype_name):
    torch.set_num_threads(1)
    dtype = {"float32": torch.float32, "float64": torch.float64}[dtype_name]
    with open(os.path.join(folder, "config.json"), encoding="utf8") as f:
        config = json.load(f)
    load = lambda name: torch.from_numpy(np.load(os.path.join(folder, f"{name}.npy")).astype(np.int64))
    train_x, train_y = load("train-tokens"), load("train-labels")
    val_x, val_y = load("validation-tokens"), load("validation-labels")
    batches = load("batches")
    model = Decoder(folder, config, dtype)
    optimizer = torch.optim.AdamW(
        model.parameters(),
        lr=config["learningRate"],
        betas=tuple(config["betas"]),
        eps=1e-8,
        weight_decay=config["weightDecay"],
    )
    warmup = config["warmupSteps"]
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: min(1.0, (t + 1) / warmup))
    steps, every = config["steps"], config["evaluateEvery"]
    losses, evaluations = [], []
    train_seconds = 0.0
    for t in range(steps):
        t0 = time.perf_counter()
        idx = batches[t]
        loss = torch.nn.functional.cross_entropy(model(train_x[idx]), train_y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        train_seconds += time.perf_counter() - t0
        losses.append(loss.item())
        step = t + 1
        if step % every == 0 or step == steps:
            tl, ta = evaluate(model, train_x, train_y)
            vl, va = evaluate(model, val_x, val_y)
            evaluations.append(
                {"step": step, "loss": tl, "accuracy": ta, "validationLoss": vl, "validationAccuracy": va}
            )
    print(
        json.dumps(
            {
                "available": True,
                "version": torch.__version__,
                "dtype": dtype_name,
                "stepLosses": losses,
                "evaluations": evaluations,
                "msPerStep": 1000 * train_seconds / max(1, steps),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "float32")
