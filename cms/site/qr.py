"""QR codes of public page URLs, made on the server (zxing-cpp; no script, no outside service).

The code is an inline ``<svg>`` holding a one-pixel-a-module PNG (a ``data:`` URI) that the browser enlarges
with ``image-rendering: pixelated`` (site.css, print.css), so its modules stay sharp on screen and on paper.
Drawing the modules as SVG strokes took a Python string operation per run of dark modules (~0.2 ms, about 1.2
million instructions a page); the PNG is a few byte joins and one ``zlib`` call (~0.03 ms) and a fifth of the
markup.
"""
import base64
import struct
import zlib
from functools import lru_cache

import zxingcpp

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


_PNG_END = _png_chunk(b"IEND", b"")


# The data mask is fixed: scoring all eight (what the encoder does unasked) took 0.2 ms of the 0.23 ms a code
# costs. Every mask gives a valid code; 3 is the one the encoder picks most often for this site's URLs (166 of
# 300 item addresses), and tests decode codes made with it.
DATA_MASK = 3


def qr_modules(url):
    """The code's modules for ``url`` (error level M, data mask ``DATA_MASK``) with its 4-module quiet
    zone: ``(size, bytes)``, one byte a module, row after row, 0 for dark and 255 for light."""
    # zxing-cpp encodes in C++; segno, used before, took 0.5-0.9 ms of pure Python a code.
    code = zxingcpp.create_barcode(url, zxingcpp.QRCode, ec_level="M", data_mask=DATA_MASK)
    image = code.to_image(scale=1, add_quiet_zones=True)
    return image.shape[1], bytes(memoryview(image))


def png_of_modules(size, modules):
    """``qr_modules``' output as an 8-bit greyscale PNG, one pixel a module."""
    # Each PNG row starts with its filter type (0: none); level 1 is enough for ~1.4 KB of two byte values.
    rows = b"".join([b"\x00" + modules[start:start + size] for start in range(0, size * size, size)])
    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)  # width, height, 8 bits, greyscale
    idat = _png_chunk(b"IDAT", zlib.compress(rows, 1))
    return _PNG_SIGNATURE + _png_chunk(b"IHDR", header) + idat + _PNG_END


@lru_cache(maxsize=256)  # kept pages carry their code; this only spares re-renders (~0.5 KB each)
def qr_svg(url, label="本页二维码", scale=3):
    """An accessible inline ``<svg>`` encoding ``url``: ``scale`` CSS pixels a module, quiet zone included."""
    size, modules = qr_modules(url)
    side = size * scale
    data = base64.b64encode(png_of_modules(size, modules)).decode("ascii")
    return (f'<svg role="img" focusable="false" width="{side}" height="{side}" viewBox="0 0 {size} {size}"'
            f' class="qr-code"><title>{_escape(label)}</title>'
            f'<image class="qr-modules" width="{size}" height="{size}" preserveAspectRatio="none"'
            f' image-rendering="optimizeSpeed"'  # site.css: pixelated (CSP allows no style attribute)
            f' href="data:image/png;base64,{data}"/></svg>')


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
