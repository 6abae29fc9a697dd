"""myst-nb's toggles of hidden code cells in both editions (room build): a translated edition sets
``nb_code_prompt_show``/``nb_code_prompt_hide`` in its language when its configuration is read; the English
one leaves myst-nb's defaults alone."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from casebook import i18n
from casebook.build import editions


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    """Every test leaves the process writing English, as a build leaves it."""
    yield
    editions._back_to_english(None, None)


def test_a_french_build_writes_the_toggles_in_french() -> None:
    config = SimpleNamespace(language="fr")
    editions._localise_glue(None, config)
    assert config.nb_code_prompt_show == "Afficher le contenu de la cellule"
    assert config.nb_code_prompt_hide == "Masquer le contenu de la cellule"
    assert i18n.current() == "fr"


@pytest.mark.parametrize("language", ["en", None])
def test_an_english_build_does_not_set_them(language: str | None) -> None:
    config = SimpleNamespace(language=language)
    editions._localise_glue(None, config)
    assert vars(config) == {"language": language}  # myst-nb's own "Show code cell {type}" stays
    assert i18n.current() == "en"
