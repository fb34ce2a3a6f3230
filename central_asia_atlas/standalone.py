"""A view of the map as one self-contained HTML file: folium, Leaflet inlined, no tiles, no CDN.

Opened from file:// it makes no request at all. Its legends come from the one legend model
(`legends`) through the map page's renderer (`panel.legend_entries_html`).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from . import i18n, panel
from . import selection as sel
from .dataset import ROOT
from .i18n import _
from .legends import indicator_legend, routes_legend
from .markup import day
from .publish import (
    app_title,
    data_version,
    indicator_key,
    results,
    share_url,
    shown_day,
    source_line,
)

if TYPE_CHECKING:
    from .catalogue import AnySpec
    from .dataset import Dataset
    from .indicators import IndicatorResult

LEAFLET_DIR = ROOT / "static" / "leaflet"

_CSS_URL = re.compile(r"url\((['\"]?)images/([A-Za-z0-9_.-]+\.png)\1\)")


def leaflet_files(image_url: Callable[[str, bytes], str]) -> tuple[str, str]:
    """Leaflet's CSS and JS as the repo ships them (static/leaflet), each image the CSS names
    addressed by `image_url(file name, its bytes)`, and no source-map line (no .map request).
    The standalone HTML inlines them; the static site keeps them as hashed assets."""
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")

    def image(m: re.Match[str]) -> str:
        return f"url({image_url(m.group(2), (LEAFLET_DIR / 'images' / m.group(2)).read_bytes())})"

    js = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)
    return _CSS_URL.sub(image, css), js


def leaflet_inline() -> str:
    """Leaflet's CSS (its images as data: URLs) and JS, as inline <style> and <script>."""
    css, js = leaflet_files(
        lambda _name, png: f"data:image/png;base64,{base64.b64encode(png).decode('ascii')}"
    )
    if "</" in css or re.search(r"</script", js, re.IGNORECASE):
        raise ValueError("Leaflet's files would close their inline tags early")
    return f"<style>{css}</style>\n<script>{js}</script>"


_PAGE_CSS = """<style>
html, body { margin: 0; padding: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto,
  sans-serif; }
.atlas-box { position: absolute; z-index: 1000; background: rgba(255,255,255,.94);
  color: #1a1a1a; padding: 8px 10px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3);
  font-size: 12px; line-height: 1.45; max-width: min(380px, 80vw); }
.atlas-title { top: 10px; left: 54px; }
.atlas-title h1 { font-size: 15px; margin: 0; }
.atlas-legend-box { bottom: 30px; left: 10px; max-height: 45vh; overflow: auto; }
.atlas-foot { bottom: 30px; right: 10px; max-width: min(460px, 60vw); }
.atlas-swatch { display: inline-block; width: 14px; height: 11px; margin-right: 6px;
  vertical-align: middle; border: 1px solid #555; }
.atlas-line { display: inline-block; width: 24px; height: 0; margin-right: 6px;
  vertical-align: middle; border-top-width: 4px; }
.atlas-meta { color: #444; }
@media (max-width: 600px) { .atlas-foot { left: 10px; bottom: auto; top: 70px; } }
</style>"""


def _legend_html(
    ds: Dataset, view: sel.View, spec: AnySpec, shown: Mapping[str, IndicatorResult]
) -> str:
    """The same legends as the map page's (see legends and panel), in the page's boxes."""
    legend = indicator_legend(spec, shown, ds.names())
    notes = "".join(f'<div class="atlas-meta">{html.escape(n)}</div>' for n in legend.notes)
    parts = [panel.legend_entries_html(legend) + notes]
    if view.routes:
        routes = routes_legend()
        title = f'<div style="margin-top:6px"><b>{html.escape(routes.title)}</b></div>'
        parts.append(title + panel.legend_entries_html(routes))
    return "".join(parts)


def standalone_html(
    ds: Dataset,
    view: sel.View,
    app_url: str,
    basemap: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> str:
    """One self-contained HTML file of the view (folium, Leaflet inlined, no tiles, no CDN).

    Opened from file:// it makes no request at all. Tooltips carry names and values only;
    the facts' excerpts stay in the app, which the file links back to. In the view's language,
    which its root element declares.
    """
    with i18n.use(view.lang):
        return _standalone_html(ds, view, app_url, basemap, today)


def _standalone_html(
    ds: Dataset,
    view: sel.View,
    app_url: str,
    basemap: Mapping[str, Any] | None,
    today: dt.date | None,
) -> str:
    import folium

    from . import mapview  # folium: imported when a map is drawn

    spec = ds.catalogue.indicators[indicator_key(ds, view)]
    shown = results(ds, view)
    base = basemap if basemap is not None else mapview.load_basemap()
    m = mapview.base_map(base, ds)
    m.default_js = []  # Leaflet is inlined below: no <script src>, no <link href>
    m.default_css = []
    for group in mapview.layers(ds, shown, spec.label, view.selection, view.routes):
        group.add_to(m)
    e = html.escape
    link = share_url(app_url, view)
    as_of = _("As of {day}").format(day=day(shown_day(view, today)))
    open_app = _("Open this view in the app")
    own_words = _("(every value with its sources’ own words).")
    boxes = (
        f'<div class="atlas-box atlas-title"><h1>{e(spec.label)}</h1>'
        f'<div class="atlas-meta">{e(as_of)} · '
        f"{e(app_title())}</div></div>"
        f'<div class="atlas-box atlas-legend-box" id="atlas-legend">'
        f"{_legend_html(ds, view, spec, shown)}</div>"
        f'<div class="atlas-box atlas-foot" id="atlas-foot">{e(source_line(ds, shown))}.<br>'
        f"{e(data_version(ds).text)}. "
        f'<a href="{e(link, quote=True)}" target="_blank" rel="noopener">'
        f"{e(open_app)}</a> {e(own_words)}</div>"
    )
    root: Any = m.get_root()
    root.title = e(f"{spec.label} · {app_title()}")
    root.header.add_child(folium.Element(leaflet_inline()), name="leaflet_inline")
    root.header._children.move_to_end("leaflet_inline", last=False)  # before the map's CSS
    root.header.add_child(folium.Element(_PAGE_CSS), name="atlas_page_css")
    root.html.add_child(folium.Element(boxes), name="atlas_boxes")
    text: str = root.render()
    # the file's language, for screen readers (folium writes a bare <html>)
    return text.replace("<html>", f'<html lang="{e(i18n.current(), quote=True)}">', 1)
