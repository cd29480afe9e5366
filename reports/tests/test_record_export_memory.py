"""Memory stays flat: ten times the responses must not need more memory to export."""

from __future__ import annotations

import tracemalloc

import pytest

from consultations.tests.factories import make_consultation
from reports.models import RecordExport
from reports.statistics import exports
from reports.tests.helpers import add_responses

# Each row carries a long text, so that holding rows, or the file, in memory would show:
# 2,700 more rows of 1,500 characters are some 4 MB.
LONG_TEXT = "Schools should teach us how to report and block people who bother us online. " * 19
SLACK = 512 * 1024


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _peak_while_building(consultation, format) -> int:
    export = RecordExport.objects.create(consultation=consultation, format=format)
    tracemalloc.start()
    try:
        exports.record_export_build(export_id=export.id)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert RecordExport.objects.get(pk=export.pk).status == "ready"
    return peak


@pytest.mark.django_db
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_exporting_ten_times_the_responses_needs_no_more_memory(format, monkeypatch):
    # Small chunks, so that both exports span many of them and only flatness can pass.
    monkeypatch.setattr(exports, "CHUNK_SIZE", 100)
    small, large = make_consultation(), make_consultation()
    add_responses(small, 300, seed=1, texts=(LONG_TEXT,))
    add_responses(large, 3000, seed=2, texts=(LONG_TEXT,))
    _peak_while_building(make_consultation(), format)  # imports and caches, once

    small_peak = _peak_while_building(small, format)
    large_peak = _peak_while_building(large, format)

    assert large_peak - small_peak < SLACK, (small_peak, large_peak)
    assert large_peak < 4 * 1024 * 1024  # less than the file itself, some 4.5 MB
