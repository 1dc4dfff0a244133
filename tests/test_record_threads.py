"""A record is computed with one BLAS thread: the records already run a process per core, and BLAS's extra threads
would only spin (``nnmath.records._one_blas_thread``)."""

from __future__ import annotations

import threadpoolctl

from nnmath import records
from nnmath.topics.base import Topic

POOLS = Topic("pools", "pools", threadpoolctl.threadpool_info)  # the record: the thread pools its process sees


def test_a_record_is_computed_with_one_blas_thread(monkeypatch, tmp_path):
    monkeypatch.setattr(records, "CACHE", tmp_path / "cache")
    pools = records.compute([POOLS], progress=False)["pools"].record
    blas = [pool for pool in pools if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)
