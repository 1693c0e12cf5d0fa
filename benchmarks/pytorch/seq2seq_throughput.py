#!/usr/bin/python3
"""Training throughput of nmt4j's encoder-decoder, re-implemented in PyTorch, for a side-by-side comparison with
nmt-train's TrainingThroughput (DL4J).

The architecture is the one Seq2SeqGraph builds from the default config (softmax attention, general scorer):

  source embedding (V x 256) -> bidirectional LSTM, 128 units per direction (packed: padding is never read)
  bridge  = tanh(Linear(256, 256)(masked mean over source positions of the encoder output))
  decoder = LSTM(256) over [target embedding; bridge] at every step (teacher forcing, no input feeding)
  Luong "general" attention after the decoder: q = h W (no bias), scores q.enc, softmax with the source mask
  attentional hidden = tanh(Linear(512, 256)([h; context]))
  output  = Linear(256, V) with its weight tied to the target embedding, plus a bias
  dropout 0.2 on the inputs of the LSTMs, the attentional layer and the output layer
  loss    = label-smoothed (0.1) cross-entropy summed over non-pad tokens / number of target tokens
  Adam(lr 0.002), gradient-norm clipping 5.0

Batches are built like nmt4j's BatchPlanner/BatchIterator (seed 1, epoch 0): pairs shuffled with java.util.Random,
stably sorted by (source length, target length), packed greedily so that rows x longest row <= max tokens on both
sides, then the batch list shuffled; the benchmark takes the first warmup + updates batches. java.util.Random and
Collections.shuffle are reproduced exactly, so with the same tokenization these are the batches the DL4J benchmark
uses.

Run with Debian's python3 (/usr/bin/python3) and python3-torch. See README.md next to this file.
"""

import argparse
import os
import subprocess
import sys
import time

PAD, UNK, BOS, EOS = 0, 1, 2, 3


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--updates", type=int, default=40, help="timed updates (default 40)")
    p.add_argument("--warmup", type=int, default=5, help="untimed updates before the timed ones (default 5)")
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    p.add_argument("--max-tokens", type=int, default=1500,
                   help="max padded tokens per batch, source or target (default 1500)")
    p.add_argument("--data-dir", default="data/bible",
                   help="directory with train.es, train.en and spm/spm.model (default data/bible)")
    p.add_argument("--src", default="train.es", help="source file in --data-dir (default train.es)")
    p.add_argument("--tgt", default="train.en", help="target file in --data-dir (default train.en)")
    p.add_argument("--spm-model", default=None, help="SentencePiece model (default DATA_DIR/spm/spm.model)")
    p.add_argument("--max-subwords", type=int, default=120, help="drop pairs with a longer side (default 120)")
    p.add_argument("--max-chars", type=int, default=2000, help="drop pairs with a longer side (default 2000)")
    p.add_argument("--max-words", type=int, default=250, help="drop pairs with a longer side (default 250)")
    p.add_argument("--max-lines", type=int, default=0, help="read only the first N lines (0: all; for smoke tests)")
    p.add_argument("--embedding", type=int, default=256)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--dropout", type=float, default=0.2)
    p.add_argument("--label-smoothing", type=float, default=0.1)
    p.add_argument("--lr", type=float, default=0.002)
    p.add_argument("--clip-norm", type=float, default=5.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--dump-batches", metavar="FILE",
                   help="write the chosen batches (rows, widths, 0-based line indices) to FILE, to compare with "
                        "DumpBatches.java")
    args = p.parse_args()
    if args.updates < 1 or args.warmup < 0 or args.threads < 1:
        p.error("need --updates >= 1, --warmup >= 0, --threads >= 1")
    return args


ARGS = parse_args()
# Before torch is imported: OpenMP threads sleep when idle instead of spinning, and a BLAS that reads these
# variables (OpenBLAS, if one is put in front of Debian's reference libblas) uses the same number of threads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OMP_NUM_THREADS", str(ARGS.threads))
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(ARGS.threads))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence  # noqa: E402


# ---------------------------------------------------------------------------------------------------------------
# java.util.Random and Collections.shuffle, bit for bit

MASK48 = (1 << 48) - 1


def to_int32(x):
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x >= 1 << 31 else x


class JavaRandom:
    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & MASK48

    def next_bits(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & MASK48
        return to_int32(self.seed >> (48 - bits))

    def next_int(self, bound):
        r = self.next_bits(31)
        m = bound - 1
        if bound & m == 0:
            return (bound * r) >> 31
        u = r
        while True:
            r = u % bound
            if to_int32(u - r + m) >= 0:
                return r
            u = self.next_bits(31)


def java_shuffle(items, rnd):
    for i in range(len(items), 1, -1):
        j = rnd.next_int(i)
        items[i - 1], items[j] = items[j], items[i - 1]


# ---------------------------------------------------------------------------------------------------------------
# data

def spm_ids(model, path, max_lines):
    """Ids of every line of path (an empty list for an empty line), via Debian's spm_encode."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if max_lines:
        lines = lines[:max_lines]
    out = subprocess.run(["spm_encode", "--model=" + model, "--output_format=id"], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, check=True).stdout.split("\n")
    ids = [[int(t) for t in line.split()] for line in out[:len(lines)]]
    return lines, ids


def accepts(text, max_chars, max_words):
    return len(text) <= max_chars and len(text.split()) <= max_words


def load_corpus(args):
    spm = args.spm_model or os.path.join(args.data_dir, "spm", "spm.model")
    src_text, src_ids = spm_ids(spm, os.path.join(args.data_dir, args.src), args.max_lines)
    tgt_text, tgt_ids = spm_ids(spm, os.path.join(args.data_dir, args.tgt), args.max_lines)
    if len(src_text) != len(tgt_text):
        sys.exit(f"line counts differ: {len(src_text)} and {len(tgt_text)}")
    pairs = []
    for line, (s, t, x, y) in enumerate(zip(src_text, tgt_text, src_ids, tgt_ids)):
        if not s.strip() or not t.strip():
            continue
        if not accepts(s, args.max_chars, args.max_words) or not accepts(t, args.max_chars, args.max_words):
            continue
        if len(x) > args.max_subwords or len(y) > args.max_subwords:
            continue
        pairs.append((x, y, line))
    return len(src_text), pairs


def plan_batches(pairs, max_tokens, seed, epoch=0):
    """BatchPlanner.plan(seed, epoch): lists of pair indices, in the order they are used."""
    src_len = [len(p[0]) + 1 for p in pairs]
    tgt_len = [len(p[1]) + 1 for p in pairs]
    rnd = JavaRandom((seed * 0x9E3779B97F4A7C15 + epoch) & ((1 << 64) - 1))
    order = list(range(len(pairs)))
    java_shuffle(order, rnd)
    order.sort(key=lambda i: (src_len[i], tgt_len[i]))  # stable, like List.sort
    batches, current, max_src, max_tgt = [], [], 0, 0
    for i in order:
        s, t, rows = max(max_src, src_len[i]), max(max_tgt, tgt_len[i]), len(current) + 1
        if s * rows > max_tokens or t * rows > max_tokens:
            batches.append(current)
            current, s, t = [], src_len[i], tgt_len[i]
        current.append(i)
        max_src, max_tgt = s, t
    batches.append(current)
    java_shuffle(batches, rnd)
    return batches


def assemble(pairs, rows):
    """Batch.assemble: source = x + eos, decoder input = bos + y, output = y + eos, right-padded with pad."""
    xs = [pairs[i][0] for i in rows]
    ys = [pairs[i][1] for i in rows]
    s, t = max(len(x) for x in xs) + 1, max(len(y) for y in ys) + 1
    src = torch.full((len(rows), s), PAD, dtype=torch.long)
    tin = torch.full((len(rows), t), PAD, dtype=torch.long)
    tout = torch.full((len(rows), t), PAD, dtype=torch.long)
    for r, (x, y) in enumerate(zip(xs, ys)):
        src[r, :len(x) + 1] = torch.tensor(x + [EOS])
        tin[r, :len(y) + 1] = torch.tensor([BOS] + y)
        tout[r, :len(y) + 1] = torch.tensor(y + [EOS])
    src_len = torch.tensor([len(x) + 1 for x in xs])
    return src, src_len, tin, tout


# ---------------------------------------------------------------------------------------------------------------
# model

class Seq2Seq(nn.Module):
    def __init__(self, vocab, embedding, hidden, dropout):
        super().__init__()
        assert embedding == hidden, "tied output weight needs embedding == hidden"
        self.src_emb = nn.Embedding(vocab, embedding)
        self.encoder = nn.LSTM(embedding, hidden // 2, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(hidden, hidden)
        self.tgt_emb = nn.Embedding(vocab, embedding)
        self.decoder = nn.LSTM(embedding + hidden, hidden, batch_first=True)
        self.query = nn.Linear(hidden, hidden, bias=False)
        self.attentional = nn.Linear(2 * hidden, hidden)
        self.out_bias = nn.Parameter(torch.zeros(vocab))  # weight: tgt_emb.weight
        self.drop = nn.Dropout(dropout)
        for name, p in self.named_parameters():  # DL4J's WeightInit.XAVIER, roughly; biases zero
            if p.dim() == 2:
                nn.init.xavier_normal_(p)
            else:
                nn.init.zeros_(p)

    def forward(self, src, src_len, tin):
        b, s = src.shape
        src_mask = torch.arange(s).unsqueeze(0) < src_len.unsqueeze(1)                      # [B, S]
        packed = pack_padded_sequence(self.drop(self.src_emb(src)), src_len, batch_first=True,
                                      enforce_sorted=False)
        enc, _ = self.encoder(packed)
        enc, _ = pad_packed_sequence(enc, batch_first=True, total_length=s)                # [B, S, H], 0 at pad
        pooled = enc.sum(1) / src_len.unsqueeze(1).to(enc.dtype)                             # masked mean
        bridge = torch.tanh(self.bridge(pooled))                                            # [B, H]
        emb = self.tgt_emb(tin)                                                             # [B, T, E]
        dec_in = torch.cat([emb, bridge.unsqueeze(1).expand(-1, emb.size(1), -1)], dim=2)
        dec, _ = self.decoder(self.drop(dec_in))                                            # [B, T, H]
        scores = torch.bmm(self.query(dec), enc.transpose(1, 2))                            # [B, T, S]
        scores = scores.masked_fill(~src_mask.unsqueeze(1), float("-inf"))
        context = torch.bmm(torch.softmax(scores, dim=2), enc)                              # [B, T, H]
        att = torch.tanh(self.attentional(self.drop(torch.cat([dec, context], dim=2))))
        return F.linear(self.drop(att), self.tgt_emb.weight, self.out_bias)                 # [B, T, V]


def blas_library():
    """The BLAS shared object(s) this process has mapped (Debian's torch calls whatever libblas.so.3 resolves to)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return ", ".join(sorted(os.path.realpath(p) for p in libs)) or "none mapped"
    except OSError:
        return "unknown"


def main(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    t0 = time.perf_counter()
    lines, pairs = load_corpus(args)
    batches = plan_batches(pairs, args.max_tokens, args.seed)
    n = args.warmup + args.updates
    if n > len(batches):
        sys.exit(f"only {len(batches)} batches, {n} needed")
    chosen = batches[:n]
    print(f"data: {lines} lines, {len(pairs)} pairs kept, {len(batches)} batches of <= {args.max_tokens} tokens "
          f"({time.perf_counter() - t0:.1f} s)")
    if args.dump_batches:
        with open(args.dump_batches, "w") as f:
            for rows in chosen:
                s = max(len(pairs[i][0]) for i in rows) + 1
                t = max(len(pairs[i][1]) for i in rows) + 1
                f.write(f"{len(rows)} {s} {t} {','.join(str(pairs[i][2]) for i in rows)}\n")

    model = Seq2Seq(vocab_size(args), args.embedding, args.hidden, args.dropout)
    model.train()
    unique = sum(p.numel() for p in model.parameters())
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)

    print(f"torch {torch.__version__}, threads {torch.get_num_threads()} (interop {torch.get_num_interop_threads()}), "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
    print(f"BLAS: {blas_library()}")
    print(f"load before timing: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")

    tokens = padded = 0
    phase = {"batch": 0.0, "forward": 0.0, "backward": 0.0, "step": 0.0}
    start = None
    for i, rows in enumerate(chosen):
        if i == args.warmup:
            start = time.perf_counter()
            tokens = padded = 0
            phase = dict.fromkeys(phase, 0.0)
        a = time.perf_counter()
        src, src_len, tin, tout = assemble(pairs, rows)
        count = int((tout != PAD).sum())
        b = time.perf_counter()
        logits = model(src, src_len, tin)
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tout.reshape(-1), ignore_index=PAD,
                               label_smoothing=args.label_smoothing, reduction="sum") / count
        c = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        d = time.perf_counter()
        nn.utils.clip_grad_norm_(model.parameters(), args.clip_norm)
        opt.step()
        e = time.perf_counter()
        for key, dt in zip(phase, (b - a, c - b, d - c, e - d)):
            phase[key] += dt
        tokens += count
        padded += tout.numel()
        if i < args.warmup:
            print(f"warm-up {i + 1}/{args.warmup}: {len(rows)} rows x {tout.size(1)} target, loss {loss.item():.4f}, "
                  f"{e - a:.3f} s")
    seconds = time.perf_counter() - start
    print(f"load after timing: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print(f"timed: {args.updates} updates, {tokens} target tokens ({padded} padded), {seconds:.2f} s, "
          f"last loss {loss.item():.4f}")
    print("per update: " + ", ".join(f"{k} {v / args.updates:.3f} s" for k, v in phase.items()))
    print(f"{'threads':>7} {'target tok/s':>12} {'s/update':>9} {'params':>10} {'params (tied W counted twice)':>30}")
    print(f"{torch.get_num_threads():>7} {tokens / seconds:>12.0f} {seconds / args.updates:>9.3f} {unique:>10,} "
          f"{unique + model.tgt_emb.weight.numel():>30,}")


def vocab_size(args):
    spm = args.spm_model or os.path.join(args.data_dir, "spm", "spm.model")
    vocab = os.path.splitext(spm)[0] + ".vocab"
    with open(vocab, encoding="utf-8") as f:
        return sum(1 for _ in f)


if __name__ == "__main__":
    main(ARGS)
