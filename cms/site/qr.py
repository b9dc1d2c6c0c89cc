"""QR codes of public page URLs, as inline SVG made on the server (segno; no script, no external service)."""
from functools import lru_cache

import segno


@lru_cache(maxsize=4096)
def qr_svg(url, label="本页二维码"):
    """An accessible inline ``<svg>`` encoding ``url`` (black on white, quiet zone included)."""
    svg = segno.make(url, error="m").svg_inline(scale=3, border=4, title=label, svgclass="qr-code",
                                                 lineclass="qr-line", dark="#000", light="#fff")
    return svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)
