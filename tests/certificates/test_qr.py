"""The fast QR encoder gives exactly the modules of the qrcode package, for any length."""

import random
import string

import qrcode
from qrcode.util import MODE_8BIT_BYTE, QRData

from compmgr.pdf import qr


def test_same_modules_as_the_qrcode_package():
    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits + "-_./:äßÖ"
    for _ in range(150):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 160)))
        data = text.encode()
        code = qrcode.QRCode(
            version=qr.version_for(len(data)),
            border=0,
            error_correction=qr.ERROR_CORRECTION,
            mask_pattern=qr.MASK,
        )
        code.add_data(QRData(data, mode=MODE_8BIT_BYTE))
        code.make(fit=False)
        assert qr.matrix(text) == code.modules, text
