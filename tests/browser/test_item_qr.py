"""The item page's QR code as Chromium draws it, on screen and for print: sharp modules that scan to the page's
address (the code is a one-pixel-a-module PNG enlarged by the browser)."""
import base64

import pytest

pytestmark = pytest.mark.browser

# The element's screenshot, read back as grey values by a canvas in the same browser (no image library here).
GREYS = """async (data) => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + data;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width; canvas.height = img.height;
  const context = canvas.getContext('2d');
  context.drawImage(img, 0, 0);
  const rgba = context.getImageData(0, 0, img.width, img.height).data;
  const greys = [];
  for (let i = 0; i < rgba.length; i += 4) greys.push(rgba[i]);
  return [img.width, img.height, greys];
}"""


def _scan(page):
    import numpy
    import zxingcpp

    shot = page.locator("svg.qr-code").screenshot()
    width, height, greys = page.evaluate(GREYS, base64.b64encode(shot).decode("ascii"))
    image = numpy.array(greys, dtype=numpy.uint8).reshape(height, width)
    result = zxingcpp.read_barcode(image)
    return image, (result.text if result else None)


@pytest.mark.parametrize("path, media", [("/items/1", "screen"), ("/items/1/print", "print")])
def test_qr_code_is_sharp_and_scans_to_the_page(page, live_server, app, demo, path, media):
    site = app.config["CMS_SITE_URL"].rstrip("/")
    page.emulate_media(media=media)
    page.goto(f"{live_server}{path}")
    image, text = _scan(page)
    assert text == f"{site}/items/1"
    assert image.shape[0] >= 3 * 29  # enlarged: at least 3 px a module of the smallest code
    # Enlarged without smoothing: (nearly) every pixel is black or white, none of the greys of a blurred code.
    middling = ((image > 40) & (image < 215)).mean()
    assert middling < 0.02, middling
