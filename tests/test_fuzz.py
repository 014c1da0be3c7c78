"""A fixed random sample of the mistake generator (tools/fuzz.py, make fuzz) on the real pages.

Each sampled mutation must fail twice in a row with a German message at the mutated line, or
render exactly as before (tests/support/fuzz.py, judge). The sample is fixed (seed), small
enough for make test (about 10 builds of the site); make fuzz runs every kind on every page.
Kinds listed in KNOWN_LIMITS are not handled yet (the reason with each) and stay out of the sample.
"""

from __future__ import annotations

import random

import pytest
from support.fuzz import judge, plan, prepare, reset
from support.mutations import KINDS

from kb.labels import source_pages

# Not handled yet, each with the reason (issue 23's closing note lists them as well). Empty since
# label typos (kb.published_labels) and deleted closing lines of nested blocks (kb.authoring) are named.
KNOWN_LIMITS: dict[str, str] = {}
SAMPLE, SEED = 6, 23


@pytest.mark.xdist_group("fuzz")
def test_a_fixed_sample_of_mistakes_is_handled(tmp_path):
    src, out, baseline = prepare(tmp_path)
    kinds = [name for name in KINDS if name not in KNOWN_LIMITS]
    mutations = random.Random(SEED).sample(plan(src, source_pages(), kinds, SEED), SAMPLE)
    failures = []
    for mutation in mutations:
        verdict = judge(mutation, src, out, baseline)
        if verdict.how != "renders as meant":
            reset(src, out, baseline)
        if not verdict.handled:
            failures.append(
                f"{mutation.kind} at {mutation.docname}.md:{mutation.line}: {verdict.how} {verdict.messages}"
            )
    assert not failures, "\n".join(failures)
