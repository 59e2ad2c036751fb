"""Code samples in the developer docs are the real code: a ```python block whose first line is
``# velinimet/<path>.py`` must appear, line for line, in that file."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = re.compile(r"```python\n# (velinimet/\S+\.py)\n(.*?)```", re.S)
SAMPLES = [
    (doc.name, path, body)
    for doc in sorted((ROOT / "docs").glob("*.md"))
    for path, body in SAMPLE.findall(doc.read_text())
]


def test_the_developer_guide_has_marked_samples() -> None:
    assert sum(1 for doc, _path, _body in SAMPLES if doc == "development.md") >= 3


@pytest.mark.parametrize(("doc", "path", "body"), SAMPLES, ids=[f"{d}:{p}" for d, p, _b in SAMPLES])
def test_a_marked_sample_is_the_code_of_its_file(doc: str, path: str, body: str) -> None:
    source = (ROOT / path).read_text()
    assert body.rstrip("\n") in source, f"docs/{doc}: the sample from {path} no longer matches the code"
