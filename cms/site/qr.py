"""QR codes of public page URLs, as inline SVG made on the server (segno; no script, no external service)."""
import re
from functools import lru_cache

import segno

_DARK_RUN = re.compile(rb"[\x01-\xff]+")


@lru_cache(maxsize=256)  # kept pages carry their code; this only spares re-renders (~2 KB each)
def qr_svg(url, label="本页二维码", scale=3, border=4):
    """An accessible inline ``<svg>`` encoding ``url`` (black on white, quiet zone included)."""
    # A fixed mask pattern and the asked error level: every mask gives a valid code, and choosing the "best"
    # one (8 trial masks scored in pure Python) or raising the error level costs more than the rest of an
    # uncached item page.
    code = segno.make(url, error="m", mask=2, boost_error=False)
    size = code.symbol_size(scale=1, border=border)[0]
    # One horizontal stroke per run of dark modules, found by the regex engine rather than a loop per module
    # (segno's own writer formats every module transition in Python: most of the cost of a code).
    path = "".join(f"M{run.start() + border} {y + border}.5h{run.end() - run.start()}"
                   for y, row in enumerate(code.matrix) for run in _DARK_RUN.finditer(bytes(row)))
    return (f'<svg role="img" focusable="false" width="{size * scale}" height="{size * scale}" class="qr-code">'
            f"<title>{_escape(label)}</title><g transform=\"scale({scale})\">"
            f'<path fill="#fff" d="M0 0h{size}v{size}h-{size}z"/>'
            f'<path class="qr-line" stroke="#000" d="{path}"/></g></svg>')


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
