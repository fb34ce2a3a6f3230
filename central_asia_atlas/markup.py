"""Data text made literal for Streamlit's markdown (labels, captions, notices)."""

from __future__ import annotations

import re

# Any ASCII punctuation may be backslash-escaped in CommonMark. Escaped here: what markdown,
# Streamlit's LaTeX ($), colour and badge directives (:red[...]), links and images (![..](..)),
# autolinks (https://, www., a@b), character references (&lt;), raw HTML, emphasis, code,
# headings, lists and tables could read as syntax. ("-" is left alone: on one line, it could
# only start a list item, and names such as EU-Kazakhstan stay searchable.)
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+.!|~$:&@])")


def md(text: str) -> str:
    """`text` as Streamlit markdown that shows exactly `text`, on one line.

    For every place that renders markdown (st.markdown, st.caption, st.info, expander and
    widget labels): a name, a note or a value from a link can then neither fetch an image,
    make a link, colour text nor inject HTML.
    """
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))
