#!/usr/bin/python3
"""Translation speed of nmt4j's search (greedy and batched beam search), re-implemented in PyTorch on the CPU over
the SAME trained parameters, for a side-by-side comparison with `nmt translate`.

The weights come from an nmt4j checkpoint exported by ExportWeights.java (one .npy per DL4J parameter). The model
is the one org.nmt4j.core.model.Seq2SeqModel runs at inference (no dropout):

  encoder  source embedding -> forward and backward LSTM(128) (nn.LSTM, bidirectional, packed: the backward
           direction reads each sentence reversed within its length from a zero state; output 0 on padding)
  bridge   tanh((masked mean of the encoder output) W_bridge + b); its product with the decoder's bridge input
           rows, plus the decoder bias, is computed once per sentence ("bridge gates")
  decoder  one LSTM(256) step per token: gates = emb(y) W_emb + bridge gates + h RW, DL4J gate blocks
           [block input (tanh), forget, output, input]
  attention  q = h Q (the width-1 Conv1D kernel [256,256,1,1] reshaped to [nIn, nOut] as Seq2SeqModel does),
           scores = values . q, softmax over the sentence's own positions (in float64, as NdAttention does)
  output   tanh(h A_h + context A_c + b) W_out + b_out, log-softmax (W_out: DL4J's output_W, identical to the
           transposed target embedding since the weights are tied)

Search, as nmt translate does it (Translator, GreedySearch, BeamSearch, BeamOptions, LengthPenalty):
  * input read in chunks of 16 batches (512 lines); inside a chunk, lines with subwords are stably sorted by source
    length and cut into batches of 32; a line without subwords gets an empty translation
  * source = the first data.max_source_subwords subwords + eos
  * maximum output length floor(2 |x| + 10) subwords (|x| without eos)
  * beam 1: greedy (argmax of the log-probabilities; finished sentences leave the batch)
  * beam K: per sentence K slots; each step keeps the K - finished best extensions of all live hypotheses by
    accumulated log p (float64); eos finishes (eos scored), reaching the maximum length finishes without eos; a
    sentence is done when K hypotheses finished; the output is the finished hypothesis with the best
    log p / ((5 + |y|) / 6) ** 0.6 (|y| counts eos when there is one)

Run with Debian's python3 (/usr/bin/python3) and python3-torch. See README.md next to this file.
"""

import argparse
import math
import os
import re
import subprocess
import sys
import time

PAD, UNK, BOS, EOS = 0, 1, 2, 3
CHUNK_BATCHES = 16  # TranslateCommand.CHUNK_BATCHES


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-m", "--model", default="runs/bible-softmax",
                   help="nmt4j model directory: config.yaml, source.spm.model, target.spm.model "
                        "(default runs/bible-softmax)")
    p.add_argument("-w", "--weights", required=True, help="directory written by ExportWeights.java")
    p.add_argument("-i", "--input", default="data/bible/test.es", help="source text, one sentence per line")
    p.add_argument("-o", "--output", help="where to write the translations (default: not written)")
    p.add_argument("--max-lines", type=int, default=0, help="translate only the first N lines (0: all)")
    p.add_argument("--beam", type=int, default=5, help="beam size (default 5); 1 is greedy search")
    p.add_argument("--batch-size", type=int, default=32, help="sentences per batch (default 32)")
    p.add_argument("--alpha", type=float, default=0.6, help="GNMT length penalty exponent (default 0.6)")
    p.add_argument("--max-len-a", type=float, default=2.0, help="maximum output length a*|x| + b: a (default 2)")
    p.add_argument("--max-len-b", type=float, default=10.0, help="b (default 10)")
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    p.add_argument("--scores", metavar="FILE",
                   help="beam search: also write 'INDEX ||| TRANSLATION ||| SCORE' lines, the format of nmt translate "
                        "--n-best 1, to compare the scores")
    p.add_argument("--compare", metavar="FILE",
                   help="count the output lines identical to FILE's (e.g. nmt translate's output for the same "
                        "input and beam)")
    args = p.parse_args()
    if args.beam < 1 or args.batch_size < 1 or args.threads < 1 or args.max_lines < 0:
        p.error("need --beam, --batch-size, --threads >= 1 and --max-lines >= 0")
    return args


ARGS = parse_args()
# Before torch is imported: OpenMP threads sleep when idle instead of spinning, and a BLAS that reads these
# variables (OpenBLAS, if one is put in front of Debian's reference libblas) uses the same number of threads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OMP_NUM_THREADS", str(ARGS.threads))
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(ARGS.threads))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence  # noqa: E402


# ---------------------------------------------------------------------------------------------------------------
# model

def dl4j_to_torch_gates(m):
    """DL4J's LSTM gate blocks [block input g, forget f, output o, input i] along the last axis of m, reordered to
    PyTorch's [i, f, g, o]."""
    u = m.shape[-1] // 4
    g, f, o, i = (m[..., k * u:(k + 1) * u] for k in range(4))
    return np.concatenate([i, f, g, o], axis=-1)


class Translator:
    """Seq2SeqModel's encode/step over the exported parameters."""

    def __init__(self, weights_dir):
        def load(name):
            return np.load(os.path.join(weights_dir, name + ".npy"))

        def t(a):
            return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))

        self.src_emb = t(load("source_embedding_W"))                       # [Vs, E]
        e = self.src_emb.shape[1]
        units = load("encoder_0_forward_RW").shape[0]
        self.hidden = 2 * units
        h = self.hidden
        # Encoder: one bidirectional nn.LSTM. DL4J W [nIn, 4u] is right-multiplied, torch weight_ih [4u, nIn]
        # left-multiplied: transpose, and reorder the gate blocks. DL4J has one bias; torch's b_hh stays 0.
        self.encoder = nn.LSTM(e, units, batch_first=True, bidirectional=True)
        with torch.no_grad():
            for direction, suffix in (("forward", ""), ("backward", "_reverse")):
                w = load(f"encoder_0_{direction}_W")
                rw = load(f"encoder_0_{direction}_RW")
                b = load(f"encoder_0_{direction}_b").reshape(-1)
                getattr(self.encoder, "weight_ih_l0" + suffix).copy_(t(dl4j_to_torch_gates(w).T))
                getattr(self.encoder, "weight_hh_l0" + suffix).copy_(t(dl4j_to_torch_gates(rw).T))
                getattr(self.encoder, "bias_ih_l0" + suffix).copy_(t(dl4j_to_torch_gates(b)))
                getattr(self.encoder, "bias_hh_l0" + suffix).zero_()
        self.encoder.eval()
        self.encoder.requires_grad_(False)

        self.bridge_w = t(load("bridge_W"))                                 # [H, H]
        self.bridge_b = t(load("bridge_b").reshape(-1))
        self.tgt_emb = t(load("target_embedding_W"))                        # [Vt, E]
        dec_w = load("decoder_0_W")                                         # [E + H, 4H], DL4J gate order
        if dec_w.shape != (e + h, 4 * h):
            sys.exit(f"decoder_0_W has shape {dec_w.shape}, expected {(e + h, 4 * h)}")
        # The decoder keeps DL4J's layout and gate order (x W, blocks g f o i), as Seq2SeqModel computes it.
        self.dec_emb_w = t(dec_w[:e])                                       # [E, 4H]
        self.dec_bridge_w = t(dec_w[e:])                                    # [H, 4H]
        self.dec_rw = t(load("decoder_0_RW"))                               # [H, 4H]
        self.dec_b = t(load("decoder_0_b").reshape(-1))
        q = load("query_W")                                                 # Conv1D kernel [nOut, nIn, 1, 1]
        # Seq2SeqModel.pointwiseConvolution: DL4J 1.0.0-M2.1 reshapes (does not permute) the kernel, so the matrix
        # right-multiplying the query is the kernel's values in row-major order, reshaped to [256, 256].
        self.query_w = t(q.reshape(q.shape[0], q.shape[1]))
        att = load("attentional_W")                                         # [2H, H]
        self.att_dec_w = t(att[:h])
        self.att_ctx_w = t(att[h:])
        self.att_b = t(load("attentional_b").reshape(-1))
        out_w = load("output_W")                                            # [H, Vt]
        if not np.array_equal(out_w, load("target_embedding_W").T):
            print("note: output_W is not the transposed target embedding (weights not tied?); using output_W")
        self.out_w = t(out_w)
        self.out_b = t(load("output_b").reshape(-1))
        self.vocab = self.out_w.shape[1]

    def encode(self, sources):
        """sources: lists of ids with eos. Returns (values [B, S, H], lengths [B] long, bridge gates [B, 4H])."""
        b = len(sources)
        lengths = torch.tensor([len(s) for s in sources], dtype=torch.long)
        steps = int(lengths.max())
        ids = torch.full((b, steps), PAD, dtype=torch.long)
        for r, s in enumerate(sources):
            ids[r, :len(s)] = torch.tensor(s, dtype=torch.long)
        x = F.embedding(ids, self.src_emb)
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.encoder(packed)
        values, _ = pad_packed_sequence(out, batch_first=True, total_length=steps)    # 0 on padding
        values = values.contiguous()
        mean = values.sum(1) / lengths.unsqueeze(1).to(values.dtype)
        bridge = torch.tanh(torch.addmm(self.bridge_b, mean, self.bridge_w))
        bridge_gates = torch.addmm(self.dec_b, bridge, self.dec_bridge_w)
        return values, lengths, bridge_gates

    def step(self, mem, prev, h, c):
        """One decoder step for N hypotheses. mem = (values [N,S,H], lengths [N], bridge gates [N,4H]) of each
        hypothesis' sentence; prev [N] long; h, c [N, H]. Returns (log-probs [N, V] float32, h, c)."""
        values, lengths, bridge_gates = mem
        u = self.hidden
        gates = torch.addmm(bridge_gates, F.embedding(prev, self.tgt_emb), self.dec_emb_w)
        z = torch.addmm(gates, h, self.dec_rw)
        block = torch.tanh(z[:, :u])
        fog = torch.sigmoid(z[:, u:])
        c = fog[:, :u] * c + fog[:, 2 * u:] * block
        h = fog[:, u:2 * u] * torch.tanh(c)
        query = h.mm(self.query_w)
        scores = torch.bmm(values, query.unsqueeze(2)).squeeze(2)                          # [N, S]
        width = scores.shape[1]
        pad = torch.arange(width).unsqueeze(0) >= lengths.unsqueeze(1)
        weights = torch.softmax(scores.double().masked_fill(pad, float("-inf")), dim=1).float()
        context = torch.bmm(weights.unsqueeze(1), values).squeeze(1)                       # [N, H]
        att = torch.tanh(torch.addmm(self.att_b, h, self.att_dec_w).addmm_(context, self.att_ctx_w))
        logits = torch.addmm(self.out_b, att, self.out_w)
        return torch.log_softmax(logits, dim=1), h, c


def select_memory(mem, rows):
    values, lengths, bridge_gates = mem
    return values.index_select(0, rows), lengths.index_select(0, rows), bridge_gates.index_select(0, rows)


# ---------------------------------------------------------------------------------------------------------------
# search

def max_length(source_tokens, a, b):
    """BeamOptions/GreedySearch.maxLength: floor(a |x| + b), |x| without eos."""
    return int(math.floor(a * source_tokens + b))


def greedy(model, sources, a, b):
    """GreedySearch.translate: output ids (without eos) per sentence, in input order."""
    n = len(sources)
    mem = model.encode(sources)
    limits = [max_length(len(s) - 1, a, b) for s in sources]
    outputs = [[] for _ in range(n)]
    active = [s for s in range(n) if limits[s] > 0]
    if not active:
        return outputs
    h = torch.zeros(n, model.hidden)
    c = torch.zeros(n, model.hidden)
    if len(active) < n:
        rows = torch.tensor(active)
        mem, h, c = select_memory(mem, rows), h[rows], c[rows]
    prev = torch.full((len(active),), BOS, dtype=torch.long)
    while active:
        log_probs, h, c = model.step(mem, prev, h, c)
        best = log_probs.argmax(1).tolist()
        keep, kept_sentences, kept_prev = [], [], []
        for row, s in enumerate(active):
            token = best[row]
            if token != EOS:
                outputs[s].append(token)
                if len(outputs[s]) < limits[s]:
                    keep.append(row)
                    kept_sentences.append(s)
                    kept_prev.append(token)
        if not keep:
            break
        if len(keep) < len(active):
            rows = torch.tensor(keep)
            mem, h, c = select_memory(mem, rows), h.index_select(0, rows), c.index_select(0, rows)
        active = kept_sentences
        prev = torch.tensor(kept_prev, dtype=torch.long)
    return outputs


def gnmt(log_prob, length, alpha):
    """LengthPenalty(GNMT, alpha).normalize."""
    return log_prob if length == 0 else log_prob / (((5.0 + length) / 6.0) ** alpha)


def beam_search(model, sources, beam, a, b, alpha):
    """BeamSearch.search (no n-gram blocking, no alignments): the best finished hypothesis of each sentence, as
    (length-normalized score, ids without eos)."""
    n = len(sources)
    vocab = model.vocab
    mem = model.encode(sources)
    limits = [max_length(len(s) - 1, a, b) for s in sources]
    finished = [[] for _ in range(n)]              # (normalized score, ids) in the order they finished
    # live hypotheses, grouped by sentence in sentence order: (sentence, tokens, log p as Python float = double)
    live = []
    for s in range(n):
        if limits[s] == 0:
            finished[s].append((0.0, []))
        else:
            live.append((s, [], 0.0))
    if live:
        h = torch.zeros(n, model.hidden)
        c = torch.zeros(n, model.hidden)
        if len(live) < n:
            rows = torch.tensor([s for s, _, _ in live])
            mem, h, c = select_memory(mem, rows), h[rows], c[rows]
        prev = torch.full((len(live),), BOS, dtype=torch.long)
    while live:
        log_probs, h, c = model.step(mem, prev, h, c)
        # Accumulated scores in float64 (Java: double node.logProb + float log p), laid out as one row of beam * V
        # candidates per sentence with live hypotheses: candidate (local row r, token t) has index r * V + t, as
        # in BeamSearch; rows of sentences with fewer than `beam` live hypotheses are padded with -inf. Unlike
        # BeamSearch's TopK, torch.topk does not promise the lower index among exactly equal scores.
        groups = []                                  # (sentence, first live row, end)
        slot = []                                    # per live row: its position in the [sentences * beam] rows
        for row, (s, _, _) in enumerate(live):
            if not groups or groups[-1][0] != s:
                groups.append([s, row, row])
            groups[-1][2] = row + 1
            slot.append((len(groups) - 1) * beam + row - groups[-1][1])
        parent = torch.tensor([lp for _, _, lp in live], dtype=torch.float64)
        cand = log_probs.double().add_(parent.unsqueeze(1))
        grid = torch.full((len(groups) * beam, vocab), float("-inf"), dtype=torch.float64)
        grid[torch.tensor(slot)] = cand
        top_scores, top_index = grid.view(len(groups), beam * vocab).topk(beam, dim=1)
        top_scores, top_index = top_scores.tolist(), top_index.tolist()
        next_live, keep, next_prev = [], [], []
        for g, (s, start, end) in enumerate(groups):
            room = beam - len(finished[s])
            for score, index in zip(top_scores[g][:room], top_index[g][:room]):
                row = start + index // vocab
                token = index % vocab
                tokens = live[row][1]
                if token == EOS:
                    finished[s].append((gnmt(score, len(tokens) + 1, alpha), tokens))
                    continue
                child = tokens + [token]
                if len(child) == limits[s]:
                    finished[s].append((gnmt(score, len(child), alpha), child))
                else:
                    keep.append(row)
                    next_live.append((s, child, score))
                    next_prev.append(token)
        if next_live:
            rows = torch.tensor(keep)
            mem, h, c = select_memory(mem, rows), h.index_select(0, rows), c.index_select(0, rows)
            prev = torch.tensor(next_prev, dtype=torch.long)
        live = next_live
    # List.sort by score, reversed: stable, so equal scores keep the order they finished in.
    return [sorted(f, key=lambda x: -x[0])[0] for f in finished]


# ---------------------------------------------------------------------------------------------------------------
# text

def read_lines(path, max_lines):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    return lines[:max_lines] if max_lines else lines


def spm_encode(model, lines):
    out = subprocess.run(["spm_encode", "--model=" + model, "--output_format=id"], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, check=True).stdout.split("\n")
    return [[int(t) for t in line.split()] for line in out[:len(lines)]]


def spm_decode(model, outputs):
    text = "\n".join(" ".join(map(str, ids)) for ids in outputs) + "\n"
    out = subprocess.run(["spm_decode", "--model=" + model, "--input_format=id"], input=text,
                         capture_output=True, text=True, check=True).stdout.split("\n")
    return out[:len(outputs)]


JAVA_WHITESPACE = re.compile(r"[ \t\n\x0b\f\r]+")


def count_words(line):
    """TranslateCommand.countWords: strip() then split on \\s+ (Java's \\s: ASCII whitespace)."""
    trimmed = line.strip()
    return 0 if not trimmed else len(JAVA_WHITESPACE.split(trimmed))


def max_source_subwords(model_dir):
    with open(os.path.join(model_dir, "config.yaml"), encoding="utf-8") as f:
        match = re.search(r"^\s*max_source_subwords:\s*(\d+)", f.read(), re.M)
    if not match:
        sys.exit(f"no data.max_source_subwords in {model_dir}/config.yaml")
    return int(match.group(1))


def blas_library():
    """The BLAS shared object(s) this process has mapped (Debian's torch calls whatever libblas.so.3 resolves to)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return ", ".join(sorted(os.path.realpath(p) for p in libs)) or "none mapped"
    except OSError:
        return "unknown"


# ---------------------------------------------------------------------------------------------------------------

def main(args):
    torch.set_num_threads(args.threads)
    src_spm = os.path.join(args.model, "source.spm.model")
    tgt_spm = os.path.join(args.model, "target.spm.model")
    limit = max_source_subwords(args.model)
    t0 = time.perf_counter()
    model = Translator(args.weights)
    lines = read_lines(args.input, args.max_lines)
    print(f"model: {args.weights} ({time.perf_counter() - t0:.1f} s to load), hidden {model.hidden}, "
          f"target vocabulary {model.vocab}; input {args.input}: {len(lines)} lines; "
          f"{'greedy' if args.beam == 1 else f'beam {args.beam}, gnmt alpha {args.alpha}'}, "
          f"max length {args.max_len_a:g}*|x|+{args.max_len_b:g}, batch {args.batch_size}, "
          f"max source subwords {limit}")
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()} (interop {torch.get_num_interop_threads()}), "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
    print(f"BLAS: {blas_library()}")
    print(f"load before timing: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    # Timed like TranslateCommand: tokenization, search and detokenization, after the model is loaded.
    translations = []
    scores = []
    search_seconds = 0.0
    cpu0 = os.times()
    start = time.perf_counter()
    chunk_size = CHUNK_BATCHES * args.batch_size
    with torch.no_grad():
        for first in range(0, len(lines), chunk_size):
            chunk = lines[first:first + chunk_size]
            ids = spm_encode(src_spm, chunk)
            outputs = [[] for _ in chunk]
            chunk_scores = [0.0] * len(chunk)
            sources = {}
            for i, x in enumerate(ids):
                if x:
                    if len(x) > limit:
                        print(f"warning: line {first + i + 1}: {len(x)} source subwords, translating the first "
                              f"{limit} (data.max_source_subwords)", file=sys.stderr)
                    sources[i] = x[:limit] + [EOS]
            order = sorted(sources, key=lambda i: len(sources[i]))    # stable, like List.sort
            a = time.perf_counter()
            for bstart in range(0, len(order), args.batch_size):
                batch = order[bstart:bstart + args.batch_size]
                src = [sources[i] for i in batch]
                if args.beam == 1:
                    found = [(float("nan"), y) for y in greedy(model, src, args.max_len_a, args.max_len_b)]
                else:
                    found = beam_search(model, src, args.beam, args.max_len_a, args.max_len_b, args.alpha)
                for i, (score, y) in zip(batch, found):
                    outputs[i] = y
                    chunk_scores[i] = score
            search_seconds += time.perf_counter() - a
            translations.extend(spm_decode(tgt_spm, outputs))
            scores.extend(chunk_scores)
    seconds = time.perf_counter() - start
    cpu1 = os.times()
    print(f"load after timing: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.writelines(t + "\n" for t in translations)
    if args.scores:
        with open(args.scores, "w", encoding="utf-8") as f:
            f.writelines(f"{k} ||| {t} ||| {score:.4f}\n" for k, (t, score) in enumerate(zip(translations, scores)))

    sentences = len(lines)
    words = sum(count_words(line) for line in lines)
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    print(f"translated {sentences} sentences ({words} source words) in {seconds:.1f} s "
          f"(search {search_seconds:.1f} s, process CPU {cpu:.1f} s): "
          f"{sentences / seconds:.1f} sentences/s, {words / seconds:.1f} words/s")
    print(f"{'search':>8} {'threads':>7} {'sentences/s':>11} {'words/s':>9} {'seconds':>8}  BLAS")
    print(f"{'greedy' if args.beam == 1 else f'beam {args.beam}':>8} {torch.get_num_threads():>7} "
          f"{sentences / seconds:>11.1f} {words / seconds:>9.1f} {seconds:>8.1f}  {blas_library()}")
    if args.compare:
        reference = read_lines(args.compare, 0)
        n = min(len(reference), len(translations))
        same = sum(1 for x, y in zip(translations, reference) if x == y)
        print(f"identical to {args.compare}: {same} of {n} lines"
              + ("" if len(reference) == len(translations) else
                 f" (line counts differ: {len(translations)} here, {len(reference)} there)"))
        for k, (x, y) in enumerate(zip(translations, reference)):
            if x != y:
                print(f"  line {k + 1}:\n    torch: {x}\n    java:  {y}")


if __name__ == "__main__":
    main(ARGS)
