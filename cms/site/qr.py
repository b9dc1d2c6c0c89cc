"""QR codes of public page URLs, as inline SVG made on the server (segno; no script, no external service)."""
from functools import lru_cache

import segno


@lru_cache(maxsize=256)  # kept pages carry their code; this only spares re-renders (~8 KB each)
def qr_svg(url, label="本页二维码"):
    """An accessible inline ``<svg>`` encoding ``url`` (black on white, quiet zone included)."""
    # A fixed mask pattern: every mask gives a valid code, and choosing the "best" one costs ~10 ms a page
    # (8 trial masks scored in pure Python), most of an uncached item page.
    svg = segno.make(url, error="m", mask=2).svg_inline(scale=3, border=4, title=label, svgclass="qr-code",
                                                 lineclass="qr-line", dark="#000", light="#fff")
    return svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)
