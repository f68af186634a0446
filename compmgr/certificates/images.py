"""Logo and signature images: size checked from the header before any pixel is decoded."""

import io
import warnings

from flask import current_app

MAX_PIXELS = 25_000_000  # default of CERTIFICATE_IMAGE_MAX_PIXELS: a 12-MP phone photo fits twice


class TooManyPixels(ValueError):
    """The image would take too much memory to decode."""

    def __init__(self, width=None, height=None):
        super().__init__(width, height)
        self.width, self.height = width, height


def max_pixels():
    return current_app.config.get("CERTIFICATE_IMAGE_MAX_PIXELS", MAX_PIXELS)


def check_pixels(data, limit=None):
    """Read the image header in data and raise TooManyPixels above limit; return (width, height).

    ``Image.open`` reads only the header. Pillow's own warning (above 89 MP) is silenced, as
    the limit here is checked anyway; its error (above 179 MP) is too many pixels as well.
    Other errors (not an image, broken) pass through to the caller.
    """
    from PIL import Image  # Pillow: loaded when an image is checked, not at app start

    limit = max_pixels() if limit is None else limit
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        raise TooManyPixels() from None
    if width * height > limit:
        raise TooManyPixels(width, height)
    return width, height
