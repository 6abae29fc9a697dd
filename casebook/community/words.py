"""Words the community chapters show readers (room community): the labels of data values, translated at display.

The tables keep their English values as data keys (``"straight line"``, ``"reach"``, a metric's name);
:func:`say` gives the reader's words for them in the current language, and :func:`rate_label` the
readable name of a funnel rate. Values it does not know are shown as they are.

May import: the foundation and charts.
"""

from __future__ import annotations

from casebook.charts.tables import label
from casebook.i18n import gettext as _


def _words() -> dict[str, str]:
    """Every known value → its words in the current language (built at each call: the language may change)."""
    return {
        # the Nike+ series: metrics, periods and units of the data file
        "Market share": _("Market share"),
        "Miles logged": _("Miles logged"),
        "New users per day": _("New users per day"),
        "Race registrations": _("Race registrations"),
        "Sport kits sold": _("Sport kits sold"),
        "miles logged": _("miles logged"),
        "calendar year 2006": _("calendar year 2006"),
        'late 2008 ("today" in the article)': _('late 2008 ("today" in the article)'),
        "first year of Nike+ (to Jul 2007)": _("first year of Nike+ (to Jul 2007)"),
        "as of Feb 2008": _("as of Feb 2008"),
        "Nov 2008": _("Nov 2008"),
        "Human Race 10K, reported Nov 2008": _("Human Race 10K, reported Nov 2008"),
        "percent of US running-shoe sales": _("percent of US running-shoe sales"),
        "miles (cumulative)": _("miles (cumulative)"),
        "new users a day": _("new users a day"),
        "registrations for one race": _("registrations for one race"),
        "Nike+iPod Sport Kits (cumulative)": _("Nike+iPod Sport Kits (cumulative)"),
        # growth fits
        "straight line": _("straight line"),
        "exponential": _("exponential"),
        "added per day": _("added per day"),
        "monthly growth": _("monthly growth"),
        # MyBO figures, claims and ratios
        "Comparison": _("Comparison"),  # a tooltip title of the shared bar chart (its column name made readable)
        "people": _("people"),
        "events": _("events"),
        "raised": _("raised"),
        "profiles": _("profiles"),
        "raised through 2008-10-15": _("raised through 2008-10-15"),
        "not confirmed; 1.5M was the number of donors in May 2008 (campaign milestone reported on 7 May 2008; "
        "CNN Political Ticker, 14 Aug 2008: 1M donors in late February, 2M on 14 August)":
            _("not confirmed; 1.5M was the number of donors in May 2008 (campaign milestone reported on 7 May 2008; "
              "CNN Political Ticker, 14 Aug 2008: 1M donors in late February, 2M on 14 August)"),
        "an interim milestone reached about three weeks before 200000":
            _("an interim milestone reached about three weeks before 200000"),
        "not confirmed; the closest figure is $642M raised through 15 Oct 2008":
            _("not confirmed; the closest figure is $642M raised through 15 Oct 2008"),
        "events per profile": _("events per profile"),
        "blog posts per profile": _("blog posts per profile"),
        "profiles per group": _("profiles per group"),
        "share of profiles raising money on a personal page": _("share of profiles raising money on a personal page"),
        "USD raised per personal-page fundraiser": _("USD raised per personal-page fundraiser"),
        "USD raised online per online donor": _("USD raised online per online donor"),
        "personal-page money as a share of money raised online":
            _("personal-page money as a share of money raised online"),
        "personal-page money as a share of the claimed total": _("personal-page money as a share of the claimed total"),
        "USD per person (the seed's claim)": _("USD per person (the seed's claim)"),
        "events per person (the seed's claim)": _("events per person (the seed's claim)"),
        "about": _("about"),
        "at least": _("at least"),
        "at most": _("at most"),
        "uncertain": _("uncertain"),
        "the seed's claim": _("the seed's claim"),
        "final figure against the seed's claim": _("final figure against the seed's claim"),
        "final figures": _("final figures"),
        # the SNCF funnel and cascade
        "Stage": _("Stage"),  # a tooltip title of the shared bar chart (its column name made readable)
        "organisers": _("organisers"),
        "invitations sent": _("invitations sent"),
        "invitations accepted": _("invitations accepted"),
        "friends who booked": _("friends who booked"),
        "friends who organise a trip": _("friends who organise a trip"),
        "invitations per organiser": _("invitations per organiser"),
        "acceptance rate": _("acceptance rate"),
        "booking rate": _("booking rate"),
        "reorganise rate": _("reorganise rate"),
        "reach": _("reach"),
        "relay": _("relay"),
    }


def say(value: object) -> str:
    """``value`` in the reader's words of the current language (as it is when it is not a known label)."""
    text = str(value)
    return _words().get(text, text)


def metric_label(metric: object) -> str:
    """A metric's name as a reader sees it: ``"miles_logged"`` → ``"Miles logged"`` (``"Miles parcourus"``)."""
    return say(label(metric))


def rate_label(name: str) -> str:
    """A funnel rate's readable name, lower case: ``"booking_rate"`` → ``"booking rate"`` (``"taux de réservation"``)."""
    return say(str(name).replace("_", " "))
