"""The workbench's background jobs (found by rencai.jobs.registry's discovery of each app's ``jobs.py``)."""

from .cost import cost_job  # noqa: F401  (registers "revision_cost")
