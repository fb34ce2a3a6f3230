"""Home page: the five states coloured by an indicator; click one (or a route) for its facts.

With ``?embed=true`` (an iframe, see the Share dialog) only the map and the panel are shown.
"""

import datetime as dt
from contextlib import nullcontext

import streamlit as st

from central_asia_atlas import cache, component, mapstyle, markup, panel, publish, runtime, timeline
from central_asia_atlas import viewstate as vs
from central_asia_atlas.i18n import _, current, use
from central_asia_atlas.model import FIVE
from central_asia_atlas.selection import View

runtime.run_through_entrypoint()  # a deep link on a fresh server: go through the app's frame
ss = st.session_state
ds = cache.dataset()
specs = ds.catalogue.indicators
opts = vs.choices(ds)
# What the select boxes show, made now, in the run's language: Streamlit may call a widget's
# format_func outside the run (AppTest does), where the language is not set.
labels = {k: spec.label for k, spec in specs.items()}
cb = vs.Callbacks(ss, opts.known)  # the widgets' and the map's callbacks
vs.start(
    ss,
    st.query_params.to_dict(),
    specs,
    opts.known,
    ds.catalogue.default_key(),
    ds.catalogue.signals,
)
days = vs.day_range(*timeline.date_range(ds, dt.date.today()))
view = vs.sync_widgets(ss, days)  # widgets show the canonical view
as_of, signals = vs.as_of(ss), vs.signals(ss, ds.catalogue.signals)
embedded = st.context.is_embedded  # ?embed=true: map and panel only, for an iframe
PANEL_BOX = "atlas_panel_box"  # embedded, the legend and the panel scroll in this box


@st.dialog(_("Share this view"), width="medium")
def share_menu(shown: View) -> None:
    """Link, embed code, citation, and the view as PNG, SVG, HTML and CSV (built on click).

    A dialog, opened by the Share button: built only when asked for (a click's rerun sends
    none of its 14 elements), and modal, so the view it shares cannot change under it."""
    base, today = st.context.url or "http://localhost:8501/", dt.date.today()
    link = publish.share_url(base, shown)
    st.caption(_("Link to this view"))
    st.code(link, language=None, wrap_lines=True)
    st.caption(_("Embed code (an iframe {px} px high)").format(px=publish.EMBED_HEIGHT))
    site = publish.site_url()  # a published static site serves the iframe (docs/publishing.md)
    code = publish.embed_code(site or base, shown, site=bool(site))
    st.code(code, language="html", wrap_lines=True)
    st.caption(_("Cite as"))
    st.code(publish.citation(ds, shown, link, today), language=None, wrap_lines=True)
    name = f"central-asia-{publish.indicator_key(ds, shown)}-{(shown.as_of or today).isoformat()}"
    files = (
        ("PNG", "png", "image/png", lambda: cache.view_image(shown, "png", today)),
        ("SVG", "svg", "image/svg+xml", lambda: cache.view_image(shown, "svg", today)),
        (_("HTML map"), "html", "text/html", lambda: cache.view_html(shown, base, today)),
        (_("CSV data"), "csv", "text/csv", lambda: cache.view_csv(shown, today)),
    )
    for col, (label, ext, mime, build) in zip(st.columns(2) * 2, files, strict=True):
        col.download_button(
            label, build, f"{name}.{ext}", mime, on_click="ignore", icon=":material/download:"
        )


def legend(
    key: str, day: dt.date | None, signal_ids: tuple[str, ...] | None, routes: bool, note: str = ""
) -> None:
    """The legends and `note` under them, in one element (see cache.legends)."""
    if shown := cache.legends(key, day, signal_ids, routes, note, vs.current_language(ss)):
        st.html(shown)


if not embedded:
    heading = _("Central Asia between Russia, the EU and China, since February 2022")
    line = _(
        "Kazakhstan, Uzbekistan, Kyrgyzstan, Tajikistan and Turkmenistan: the ties that keep "
        "each close to Moscow and the signals of distance, its ties to the EU and China, with "
        "sources. Click a country, a route or an event, or choose one from the lists beside the "
        "map (below it on a phone)."
    )
    # the heading and its line in one element (see legend)
    st.markdown(f"#### {heading}\n\n:small[:gray[{line}]]")
    # The controls that change the whole view, above the map and the panel, in two flex rows
    # (one block each, not one per column): what the map shows, then its layers and sharing.
    # They rerun the page; a click on the map, the select boxes or the panel reruns only the
    # fragment below, which leaves them as they are.
    with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
        st.selectbox(
            _("Colour the map by"),
            list(specs),
            key="w_indicator",
            format_func=labels.__getitem__,
            on_change=cb.on_view,
            width=360,
        )
        st.slider(
            _("As of"),
            min_value=days[0],
            max_value=days[1],
            key="w_as_of",
            on_change=cb.on_day,
            format=markup.slider_date_format(),
            help=_(
                "The map, legend and panel as the sources stood on this day (the Timeline "
                "page follows it too). Numbers: the latest period over by then."
            ),
        )
        st.button(
            _("Today"),
            key="w_today",
            on_click=cb.today,
            disabled=as_of is None,
            icon=":material/today:",
        )
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.toggle(_("Energy export routes"), key="w_routes", on_change=cb.on_view)
        st.toggle(
            _("Online map tiles"),
            key="w_tiles",
            help=_("An OpenStreetMap background, loaded from the internet (the map needs none)."),
        )
        st.button(
            _("Share"),
            key="w_share",
            on_click=cb.share,
            icon=":material/share:",
            help=_("Share and export this view"),
        )
    if vs.share_asked(ss) and view.indicator in specs:
        share_menu(vs.view(ss, ds.catalogue.signals))
st.html(panel.STYLE)  # once per page: the panel and legends below are sent without it


@st.fragment
def map_and_panel() -> None:
    """The map and the panel: what a click changes. A click reruns this alone (the page's
    heading and controls stay as they are), in its turn like a page's run, and in the reader's
    language (a fragment's rerun does not go through the app's frame, which sets it)."""
    with runtime.page_run(), use(vs.current_language(ss)):
        _map_and_panel()


def map_in_words(key: str, as_of: dt.date | None, signals: tuple[str, ...] | None) -> None:
    """The map's text alternative, for every reader (mapview.Accessible names it in the map)."""
    with st.expander(_("The map in words")):
        st.html(cache.map_in_words(key, as_of, signals, current()))


def _map_and_panel() -> None:
    # Read from the session, not from the full run's variables: a click has moved them since.
    view = vs.sync_selection(ss)
    chosen = view.selection
    key, routes = view.indicator or ds.catalogue.default_key() or "", view.routes
    as_of, signals = vs.as_of(ss), vs.signals(ss, ds.catalogue.signals)
    lang = vs.current_language(ss)
    for notice in vs.notices(ss):
        st.info(markup.md(notice), icon=":material/link_off:")
    left, right = st.columns([3, 2], gap="medium")
    # The panel first: a click's rerun sends the panel's heading before the map column, which
    # it resends unchanged (the columns keep their places on the page whatever the order).
    # Embedded, the panel scrolls in a box as high as the map; otherwise it is the column
    # itself (a container there would be one more block to send at every click).
    with (
        right,
        st.container(height=publish.EMBED_HEIGHT - 70, key=PANEL_BOX)
        if embedded
        else nullcontext(),
    ):
        if embedded:  # the box scrolls: the keyboard must reach it (panel.focusable_box_script)
            st.html(
                panel.focusable_box_script(f".st-key-{PANEL_BOX}", _("Legend and panel")),
                unsafe_allow_javascript=True,
            )
            legend(key, as_of, signals, routes)
            map_in_words(key, as_of, signals)  # in the box: the iframe has no room below the map
        else:
            st.selectbox(
                _("Country"),
                list(FIVE),
                key="w_country",
                format_func=lambda k: opts.names.get(k, k),
                index=None,
                placeholder=_("Choose a country, or click the map"),
                on_change=cb.on_country,
            )
            st.selectbox(
                _("Energy route or event"),
                list(opts.lines),
                key="w_line",
                format_func=lambda k: opts.lines.get(k, k),
                index=None,
                placeholder=_("Choose a route or event, or click it"),
                on_change=cb.on_line,
            )
            st.button(
                _("Clear selection"),
                key="w_clear",
                on_click=cb.clear,
                disabled=not chosen,
                icon=":material/close:",
            )
        if chosen is None:
            st.markdown(
                _(
                    "Click a country, a route or an event on the map to read what the sources "
                    "say about it: its ties to Moscow, the EU and China, each with its source."
                )
            )
        elif chosen.kind == "country":
            groups = cache.fact_groups(chosen.id, as_of, lang)
            facts = vs.facts_view(ss, groups)
            head, body, more = cache.country_panel(chosen.id, as_of, signals, facts, lang)
            st.html(head)  # the name, then the charts (one element: see charts)
            st.pills(
                _("Facts shown below"),
                list(groups),
                format_func=groups.__getitem__,
                key="w_facts",
                on_change=cb.on_facts,
            )
            st.html(body)
            if more:
                st.button(_("Show more facts"), key="w_more", on_click=cb.more_facts)
        else:
            st.html(cache.line_panel(chosen.kind, chosen.id, lang))
    with left:
        picked = (chosen.kind, chosen.id) if chosen else None
        tiles = bool(ss.get("w_tiles", False))
        layers = component.map_layers(key, as_of, signals, picked, routes, tiles, lang)
        height = publish.EMBED_MAP_HEIGHT if embedded else mapstyle.HEIGHT
        component.map_component(layers, height=height, on_change=cb.on_map, lang=lang)
        if caption := vs.context_caption(as_of, signals):
            st.caption(caption)
        map_day = _("Map as of {day}").format(day=markup.day(as_of)) + " · " if as_of else ""
        foot = f"{map_day}{cache.data_version().text} · {_(publish.NATURAL_EARTH)}"
        if embedded:  # the legend is beside the map, above the panel
            st.caption(foot)
            shown = vs.view(ss, ds.catalogue.signals)
            link = publish.share_url(st.context.url or "http://localhost:8501/", shown)
            open_app = _("Open this view in the full app")
            st.markdown(f"[{open_app}]({link})")
        else:
            legend(key, as_of, signals, routes, note=foot)
            map_in_words(key, as_of, signals)
    if want := vs.url_update(ss, st.query_params.to_dict(), ds.catalogue.signals):
        st.query_params.from_dict(want)


map_and_panel()
