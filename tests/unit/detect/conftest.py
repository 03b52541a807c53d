from __future__ import annotations

import sys
from pathlib import Path

# the helpers module sits next to the tests (importlib import mode adds no rootdir to sys.path)
sys.path.insert(0, str(Path(__file__).parent))

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.taxonomy import default_taxonomy


@pytest.fixture(scope="session")
def extractor() -> ClaimExtractor:
    """The claim extractor of the default taxonomy (it keeps no state between entries)."""
    return ClaimExtractor(default_taxonomy())
