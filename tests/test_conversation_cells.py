"""The small helpers of casebook.io.conversation_cells that load_conversations' messages use."""

from __future__ import annotations

import numpy as np
import pandas as pd

from casebook.io.conversation_cells import example_values, mask_rows, stripped_lower


def test_stripped_lower_compares_names_without_case_or_surrounding_spaces() -> None:
    assert stripped_lower("  Tweet_ID ") == "tweet_id"
    assert stripped_lower("In  Response") == "in  response"  # inner spaces kept (unlike layouts.norm)
    assert stripped_lower(1.0) == "1.0"


def test_mask_rows_are_spreadsheet_rows_of_the_true_cells() -> None:
    assert mask_rows(pd.Series([False, True, False, True])) == [3, 5]
    assert mask_rows(np.array([True, False]), header_rows=2) == [3]
    assert mask_rows(pd.Series([False, False])) == []


def test_example_values_quote_at_most_three_flagged_values() -> None:
    values = pd.Series(["a", "b", "c", "d", "e"])
    assert example_values(values, np.array([True, False, True, True, True])) == "'a', 'c', 'd'"
    assert example_values(pd.Series([1.5, 2.0]), pd.Series([False, True])) == "'2.0'"
