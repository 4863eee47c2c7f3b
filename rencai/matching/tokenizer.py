"""Chinese words for matching: jieba (its dictionary loaded once per process, with the domain words of
``vocab``) in its accurate mode; a long word also yields the domain words inside it ("集成电路设计" → 集成电路,
"半导体芯片制造" → 半导体, 芯片), so that a query and a text meet on them; stop words and single characters
dropped. ``tokens_cached`` memoises short strings (专业, schools, titles repeat across a million talents)."""

import functools
import logging
import re
import threading

from .vocab import STOP_WORDS, domain_words

_lock = threading.Lock()
_jieba = None
_DOMAIN: tuple[str, ...] = ()
_KEEP = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z][A-Za-z0-9+#.]+")


def jieba_with(words) -> "jieba.Tokenizer":  # noqa: F821 — jieba is imported when first needed
    """A jieba tokenizer of its own (its dictionary loaded: a second or so, so callers keep one per process)
    that knows ``words`` as whole words. The workbench's reader (起草辅助) makes one with the policy words."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    for word in words:
        tk.add_word(word, freq=200000)
    return tk


def _tokenizer():
    global _jieba, _DOMAIN
    if _jieba is None:
        with _lock:
            if _jieba is None:
                words = domain_words()
                _DOMAIN = tuple(w for w in words if len(w) >= 2)
                _jieba = jieba_with(words)
    return _jieba


def tokens(text: str) -> list[str]:
    """The words of ``text`` that count for matching, in order (repeats kept: BM25 counts them)."""
    if not text:
        return []
    out = []
    for word in _tokenizer().lcut(text):
        word = word.strip().lower()
        if word and word not in STOP_WORDS and _KEEP.fullmatch(word):
            out.append(word)
            if len(word) >= 4:
                out.extend(_inner(word))
    return out


@functools.lru_cache(maxsize=20_000)
def _inner(word: str) -> tuple[str, ...]:
    return tuple(w for w in _DOMAIN if w != word and w in word and w not in STOP_WORDS)


@functools.lru_cache(maxsize=200_000)
def tokens_cached(text: str) -> tuple[str, ...]:
    return tuple(tokens(text))
