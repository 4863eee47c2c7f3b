"""起草辅助 (issue 13): reading a policy text — sentences with their offsets, Chinese words (jieba), typed findings
(amounts, groups, thresholds read per 《民法典》第一千二百五十九条, durations, places, exclusivity) — and
draft rules proposed in the catalog's own language, each value tied to its words; and 歧义检查, the words and
constructions that leave a rule unclear. Pure functions: no database, no Django settings, no service outside
the machine."""

from .findings import Finding, find_all
from .numerals import chinese_number, parse_number
from .proposals import Proposal, propose, propose_document
from .text import Sentence, locate, sentences

__all__ = ["Finding", "Proposal", "Sentence", "chinese_number", "find_all", "locate", "parse_number", "propose",
           "propose_document", "sentences"]
