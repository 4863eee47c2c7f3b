"""The workbench's background jobs. A worker process finds a job's kind by importing each app's ``jobs.py``
(rencai.jobs.registry), so every module that registers one is imported here."""

from .cost import cost_job  # noqa: F401  (registers "revision_cost")
from .rematch import rematch_job, tell_job  # noqa: F401  ("policy_rematch": 政策找人 after a publication;
#                                              "policy_rematch_tell": its messages, after its commit)
