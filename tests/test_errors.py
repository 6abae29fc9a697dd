from casebook.errors import InputError, format_rows, sheet_rows


def test_format_rows_lists_first_five_and_total():
    assert format_rows([7, 3]) == "rows 3, 7"
    assert format_rows([4]) == "row 4"
    assert format_rows(range(2, 12)) == "rows 2, 3, 4, 5, 6, … (10 in all)"


def test_sheet_rows_count_header():
    assert sheet_rows([0, 5]) == [2, 7]
    assert sheet_rows([0], header_rows=2) == [3]


def test_input_error_is_one_line_with_file_column_rows_and_expectation():
    err = InputError("a.csv", "text where a number was expected\n('x')", column="n", rows=[5, 2],
                     expected="numbers only")
    msg = str(err)
    assert msg == "a.csv: column 'n', rows 2, 5: text where a number was expected ('x'); expected numbers only"
    assert "\n" not in msg
    assert err.rows == [2, 5] and err.column == "n"
