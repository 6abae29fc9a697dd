"""casebook: the analysis package behind "The social media casebook".

Each chapter notebook is thin: it holds the story, a papermill ``parameters`` cell,
calls into this package and the charts. One module per concern:

- ``errors``: the one exception type users see, and how rows are named in messages.
- ``paths``: where the book's data and notebooks live.
- ``book``: glue helpers shared by every chapter.
- ``charts``: the chart theme, the offline renderer and the chart builders.
- ``survey``: survey proportions and their Wilson intervals.
"""

__version__ = "0.1.0"
