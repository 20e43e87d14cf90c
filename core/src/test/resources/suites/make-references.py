#!/usr/bin/python3
"""Regenerates the reference grey images of the codec test suites (ref/ beside each suite's files).

Each reference is decoded by ImageMagick (libpng, its own BMP reader), never by the Java decoders under test:
    convert FILE[0] -set colorspace sRGB -depth 8 -alpha set rgba:-
(-set colorspace sRGB: ImageMagick 6 takes a PNG with gAMA 1.0 for linear RGB and would re-encode its values)
then grey = 0.2125 R + 0.7154 G + 0.0721 B (scikit-image's rgb2gray) rounded to the nearest level, written with
Pillow as an 8-bit grey+alpha PNG. 16-bit files are compared at 8 bits, so the 16-to-8 rounding is ImageMagick's.

The damaged PngSuite files (x*.png) get pngcheck's verdict instead (Debian pngcheck 3.0.3), one file a line:
    pngcheck x*.png  >  pngsuite/ref/pngcheck-damaged.txt

Run (Debian 12: imagemagick 6.9.11, python3-pil 9.4):  /usr/bin/python3 make-references.py
"""
import glob
import os
import subprocess
import sys

from PIL import Image

CONVERT = "/usr/bin/convert"

# (input glob, reference folder): the files that must decode; x*.png and bmpsuite/b/ must fail instead
SUITES = [
    ("pngsuite/[!x]*.png", "pngsuite/ref"),
    ("bmpsuite/g/*.bmp", "bmpsuite/ref"),
]


def grey_alpha(path):
    size = subprocess.run(["identify", "-format", "%w %h", path + "[0]"], check=True, capture_output=True,
                          text=True).stdout.split()
    w, h = int(size[0]), int(size[1])
    rgba = subprocess.run([CONVERT, path + "[0]", "-set", "colorspace", "sRGB", "-depth", "8", "-alpha", "set",
                           "rgba:-"], check=True, capture_output=True).stdout
    assert len(rgba) == 4 * w * h, path
    out = bytearray(2 * w * h)
    for i in range(w * h):
        r, g, b, a = rgba[4 * i:4 * i + 4]
        # integer arithmetic on the weights x 10000 so that ties round up exactly, as the kernel does
        out[2 * i] = (2125 * r + 7154 * g + 721 * b + 5000) // 10000
        out[2 * i + 1] = a
    return Image.frombytes("LA", (w, h), bytes(out))


def main():
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    made = 0
    for pattern, ref in SUITES:
        os.makedirs(ref, exist_ok=True)
        for path in sorted(glob.glob(pattern)):
            name = os.path.splitext(os.path.basename(path))[0]
            grey_alpha(path).save(os.path.join(ref, name + ".png"))
            made += 1
    with open("pngsuite/ref/pngcheck-damaged.txt", "w") as out:
        damaged = sorted(glob.glob("pngsuite/x*.png"))
        verdicts = subprocess.run(["pngcheck"] + [os.path.basename(p) for p in damaged], cwd="pngsuite",
                                  capture_output=True, text=True).stdout
        out.writelines(line + "\n" for line in verdicts.splitlines()
                       if line.startswith("x") and not line.startswith("ERROR"))
    print(f"{made} references written", file=sys.stderr)


if __name__ == "__main__":
    main()
