"""BM25 over pre-tokenised documents: bm25s scores the documents of the last full build (its sparse matrix, a few
milliseconds over 100,000 documents); documents added since are scored here with the same statistics (the
base's document frequencies and mean length), so that opening one opportunity costs one small step instead of a
rebuild. Removal is a mask the caller keeps."""

import logging
import math

import numpy as np

K1, B = 1.5, 0.75
logging.getLogger("bm25s").setLevel(logging.WARNING)  # its "Building index from tokens" on every build


class Bm25:
    def __init__(self, docs: list[list[str]]):
        import bm25s

        self.n_base = len(docs)
        self.delta: list[dict[str, int]] = []
        self.delta_len: list[int] = []
        self.retriever = None
        self.df: dict[str, int] = {}
        lengths = [len(d) for d in docs]
        self.avgdl = (sum(lengths) / len(lengths)) if lengths and sum(lengths) else 1.0
        if any(lengths):
            self.retriever = bm25s.BM25(k1=K1, b=B)
            self.retriever.index([d if d else [""] for d in docs], show_progress=False)
            vocab = self.retriever.vocab_dict
            counts = np.diff(np.asarray(self.retriever.scores["indptr"]))
            self.df = {t: int(counts[i]) for t, i in vocab.items() if t}

    def add(self, doc: list[str]) -> None:
        tf: dict[str, int] = {}
        for t in doc:
            tf[t] = tf.get(t, 0) + 1
        self.delta.append(tf)
        self.delta_len.append(len(doc))

    @property
    def size(self) -> int:
        return self.n_base + len(self.delta)

    def idf(self, token: str) -> float:
        n = self.n_base + len(self.delta)
        df = self.df.get(token, 0) or 1
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query: list[str]) -> np.ndarray:
        out = np.zeros(self.size, dtype=np.float32)
        query = list(dict.fromkeys(query))
        if not query:
            return out
        if self.retriever is not None:
            ids = self.retriever.get_tokens_ids(query)
            if ids:
                out[:self.n_base] = self.retriever.get_scores_from_ids(ids)
        if self.delta:
            weights = {t: self.idf(t) for t in query}
            for j, (tf, dl) in enumerate(zip(self.delta, self.delta_len, strict=False)):
                s = 0.0
                norm = K1 * (1 - B + B * dl / self.avgdl)
                for t, w in weights.items():
                    f = tf.get(t)
                    if f:
                        s += w * f * (K1 + 1) / (f + norm)
                out[self.n_base + j] = s
        return out
