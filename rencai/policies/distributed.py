"""The batch evaluation on a Dask cluster, partition by partition.

Kept free of Django: the cluster's workers (and its scheduler) unpickle these functions in their own
processes, where no Django project is configured.
"""

import datetime as dt

import polars as pl

from .batch import evaluate_frame


class ClusterUnavailable(RuntimeError):
    """The cluster at the given address could not be reached."""


def evaluate_distributed(df: pl.DataFrame, *, as_of: dt.date, address: str, partitions: int = 8,
                         timeout: str = "20s") -> pl.DataFrame:
    """The same evaluation as ``evaluate_frame``, one partition per task on the cluster at ``address``
    (tcp://host:port); results come back in the input order."""
    from dask.distributed import Client

    size = max(1, -(-df.height // partitions))
    parts = [df.slice(offset, size) for offset in range(0, df.height, size)] or [df]
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise ClusterUnavailable(f"无法连接 Dask 集群 {address}：{exc}") from exc
    with client:
        futures = client.map(evaluate_part, parts, as_of=as_of, pure=False)
        return pl.concat(client.gather(futures))


def evaluate_part(part: pl.DataFrame, *, as_of: dt.date) -> pl.DataFrame:
    return evaluate_frame(part, as_of=as_of)
