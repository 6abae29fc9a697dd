"""Survey proportions (room survey): Wilson intervals, the consumer/executive perception gap, picks.

Takes the counts table :func:`casebook.io.survey.load_survey` returns; reads no file.

May import: the foundation and charts; never io (takes frames).
"""

from __future__ import annotations

import pandas as pd
from statsmodels.stats.proportion import proportion_confint, samplesize_confint_proportion

from casebook import i18n
from casebook.errors import ParameterError
from casebook.i18n import gettext as _


def check_confidence(confidence: float) -> float:
    """Return ``confidence`` if it lies strictly between 0 and 1, else raise ParameterError."""
    if not isinstance(confidence, (int, float)) or not 0 < float(confidence) < 1:
        raise ParameterError(f"confidence must be a number between 0 and 1 (e.g. 0.95), got {confidence!r}")
    return float(confidence)


def wilson_intervals(df: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Add ``estimate``, ``low``, ``high`` and ``half_width`` (Wilson score interval, statsmodels)."""
    confidence = check_confidence(confidence)
    out = df.copy()
    low, high = proportion_confint(out["count"].to_numpy(), out["n"].to_numpy(),
                                   alpha=1 - confidence, method="wilson")
    out["estimate"] = out["count"] / out["n"]
    out["low"] = low
    out["high"] = high
    out["half_width"] = (out["high"] - out["low"]) / 2
    return out


def label(df: pd.DataFrame) -> pd.Series:
    """A short row label for charts: 'Satisfied overall (McKinsey 2008)', the option in the current
    language; who was asked goes in colour."""
    publisher = df["study"].str.split().str[0]
    return for_readers(df[["option"]])["option"] + " (" + publisher + " " + df["year"].astype(str) + ")"


def perception_gap(df: pd.DataFrame, a: str = "consumers", b: str = "executives") -> pd.DataFrame:
    """Options asked of two populations in the same study and question: both shares and the gap (b − a).

    Options reported for only one population are kept with the other share missing. Without a
    ``population`` column (it is optional) no question was asked of both: the table is empty.
    """
    keys = ["study", "year", "question", "option"]
    if "population" not in df.columns:
        return pd.DataFrame({c: pd.Series(dtype=df[c].dtype) for c in keys}
                            | {c: pd.Series(dtype="float64") for c in (a, b, "gap")})
    sub = df[df["population"].isin([a, b])]
    wide = sub.pivot_table(index=keys, columns="population", values="estimate", aggfunc="first")
    wide = wide.reindex(columns=[a, b]).reset_index()
    same_question = wide.groupby(["study", "year", "question"])[[a, b]].transform("count")
    wide = wide[(same_question[a] > 0) & (same_question[b] > 0)].copy()
    wide["gap"] = wide[b] - wide[a]
    return wide.reset_index(drop=True)


def sample_size_for(half_width: float, confidence: float = 0.95, proportion: float = 0.5) -> int:
    """Respondents needed so that a proportion's interval is ± ``half_width`` (normal approximation)."""
    confidence = check_confidence(confidence)
    if not 0 < half_width < 0.5:
        raise ParameterError(f"half_width must be between 0 and 0.5, got {half_width!r}")
    n = samplesize_confint_proportion(proportion, half_width, alpha=1 - confidence)
    return int(-(-n // 1))


def rows(df: pd.DataFrame, *, study: str, year: int, option: str | None = None,
         population: str | None = None) -> pd.DataFrame:
    """The rows of ``df`` for a study (substring match) and year, and an option and population if given.

    Empty when the file holds no such row (any valid survey file runs the chapter).
    """
    mask = df["study"].str.contains(study, regex=False).fillna(False) & (df["year"] == year)
    if option is not None:
        mask &= df["option"] == option
    if population is not None and "population" in df.columns:
        mask &= (df["population"] == population).fillna(False)
    return df[mask]


def pick(df: pd.DataFrame, *, study: str, year: int, option: str, population: str | None = None) -> pd.Series | None:
    """The one row of ``df`` for a study (substring match), year and option, or None when absent."""
    found = rows(df, study=study, year=year, option=option, population=population)
    return found.iloc[0] if len(found) == 1 else None


def picked(df: pd.DataFrame, keys: tuple[str, ...], **where: object) -> dict[str, object]:
    """The ``keys`` of the row :func:`pick` finds with ``where``; NaN for each when there is no such row."""
    row = pick(df, **where)
    return {k: float("nan") if row is None else row[k] for k in keys}


def published_percent(value: float) -> str:
    """A percentage as the source printed it (``57`` → ``57%``), in the current language (``57 %``)."""
    if i18n.current() == i18n.LANGS[0]:
        return f"{value:g}%"
    text = f"{value:g}"
    return i18n.percent(value / 100, len(text.split(".")[1]) if "." in text else 0)


def reader_labels() -> dict[str, str]:
    """The book's survey labels (who was asked, studies, answer options) → as a reader of the current
    language sees them. Labels of other survey files are not in it and are shown as they are."""
    return {
        "consumers": _("consumers"), "executives": _("executives"), "online adults": _("online adults"),
        "McKinsey Web 2.0 survey": _("McKinsey Web 2.0 survey"),
        "McKinsey networked enterprise survey": _("McKinsey networked enterprise survey"),
        "IBM Social CRM": _("IBM Social CRM"),
        "IBM/Ipsos MORI shopping study": _("IBM/Ipsos MORI shopping study"),
        "Satisfied overall": _("Satisfied overall"), "Clearly dissatisfied": _("Clearly dissatisfied"),
        "Measurable business benefits": _("Measurable business benefits"),
        "Fully networked": _("Fully networked"), "Externally networked": _("Externally networked"),
        "Discounts": _("Discounts"), "Feel connected": _("Feel connected"),
        "Do not engage at all": _("Do not engage at all"), "Community": _("Community"),
        "Free trials or discount coupons": _("Free trials or discount coupons"),
    }


def for_readers(df: pd.DataFrame, columns: tuple[str, ...] = ("study", "population", "option", "who")) -> pd.DataFrame:
    """A copy of ``df`` with the labels of ``columns`` (those it has) in the current language, for display
    only: the analyses keep the English labels as keys."""
    known = reader_labels()
    out = df.copy()
    for col in columns:
        if col in out.columns:
            out[col] = out[col].map(lambda v: known.get(v, v) if isinstance(v, str) else v).astype(out[col].dtype)
    return out


def interval_table(df: pd.DataFrame) -> pd.DataFrame:
    """A reader-facing table: who was asked, what, n, the share and its interval, as formatted text
    (labels, headers and numbers in the current language)."""
    cols = ["study", "year"] + (["population"] if "population" in df.columns else []) + ["option", "n"]
    out = for_readers(df[cols])
    out["year"] = out["year"].astype(str)  # a year is a name: 2008 in every language, never 2 008
    published = df["percent_reported"] if "percent_reported" in df.columns else pd.Series(pd.NA, index=df.index)
    out["share"] = [published_percent(p) if pd.notna(p) else i18n.fmt(e, ".1%")
                    for p, e in zip(published, df["estimate"], strict=True)]
    out["interval"] = [_("base not published") if pd.isna(lo) else f"{i18n.fmt(lo, '.1%')} – {i18n.fmt(hi, '.1%')}"
                       for lo, hi in zip(df["low"], df["high"], strict=True)]
    out["± points"] = ["–" if pd.isna(h) else i18n.number(h * 100, 1) for h in df["half_width"]]
    headers = {"study": _("Study"), "year": _("Year"), "population": _("Population"), "option": _("Option"),
               "n": _("N"), "share": _("Share"), "interval": _("Interval"), "± points": _("± points")}
    return out.rename(columns=headers).reset_index(drop=True)


#: The survey figures the chapter quotes, by figure name: the row that holds each.
QUOTED: dict[str, dict[str, object]] = {
    "mck2008_satisfied": {"study": "McKinsey", "year": 2008, "option": "Satisfied overall"},
    "mck2008_dissatisfied": {"study": "McKinsey", "year": 2008, "option": "Clearly dissatisfied"},
    "mck2009_benefits": {"study": "McKinsey", "year": 2009, "option": "Measurable business benefits"},
    "mck2010_fully": {"study": "McKinsey", "year": 2010, "option": "Fully networked"},
    "ibm57": {"study": "Ipsos MORI", "year": 2011, "option": "Free trials or discount coupons"},
}
IBM_2011: dict[str, object] = {"study": "IBM Social CRM", "year": 2011}
#: Shares whose base is a subgroup of unpublished size: the 57% is among people likely to follow a
#: retailer, some part of the 4,000 asked, so n = 4,000 only bounds the base and gives too narrow an interval.
UNPUBLISHED_BASE: dict[str, dict[str, object]] = {"ibm57": QUOTED["ibm57"]}


def without_unsupported_intervals(results: pd.DataFrame,
                                  where: dict[str, dict[str, object]] = UNPUBLISHED_BASE) -> pd.DataFrame:
    """``results`` with ``low``, ``high`` and ``half_width`` emptied on the rows ``where`` names (name → study,
    year, option): their base is not published, so no interval the source supports can be drawn."""
    out = results.copy()
    for spec in where.values():
        out.loc[rows(out, **spec).index, ["low", "high", "half_width"]] = float("nan")
    return out


def quoted_figures(results: pd.DataFrame, quoted: dict[str, dict[str, object]],
                   keys: tuple[str, ...] = ("estimate", "low", "high", "n")) -> dict[str, object]:
    """``{name}_{key}`` for each quoted row (``name`` → the row's study, year, option) and key; NaN when absent."""
    return {f"{name}_{key}": value for name, where in quoted.items()
            for key, value in picked(results, keys, **where).items()}


def interval_figures(results: pd.DataFrame, confidence: float) -> dict[str, object]:
    """The figures of the intervals section: the :data:`QUOTED` rows, the confidence in percent, the
    number of studies and the widest half-width in points."""
    return {
        **quoted_figures(results, QUOTED),
        "confidence_pct": confidence * 100,
        "studies": int(results[["study", "year"]].drop_duplicates().shape[0]),
        "widest_points": float(results["half_width"].max() * 100),
    }


def perception_figures(results: pd.DataFrame, gap: pd.DataFrame) -> dict[str, object]:
    """The figures of the perception-gap section (IBM 2011): the "Feel connected" gap in points, the
    consumers naming discounts and those who do not engage at all; NaN when the file lacks a row."""
    return {
        "gap_points": picked(gap, ("gap",), option="Feel connected", **IBM_2011)["gap"] * 100,
        "ibm_discounts": picked(results, ("estimate",), option="Discounts", population="consumers",
                                **IBM_2011)["estimate"],
        "ibm_no_engagement": picked(results, ("estimate",), option="Do not engage at all", **IBM_2011)["estimate"],
    }
