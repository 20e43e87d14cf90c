#!/usr/bin/python3
"""Regenerates the reference grey images of the codec test suites (ref/ beside each suite's files).

Each reference is decoded by ImageMagick (libpng, its own BMP reader), never by the Java decoders under test:
    convert FILE[0] -set colorspace sRGB -depth 8 -alpha set rgba:-
(-set colorspace sRGB: ImageMagick 6 takes a PNG with gAMA 1.0 for linear RGB and would re-encode its values)
then grey = 0.2125 R + 0.7154 G + 0.0721 B (scikit-image's rgb2gray) rounded to the nearest level, written with
Pillow as an 8-bit grey+alpha PNG. 16-bit files are compared at 8 bits, so the 16-to-8 rounding is ImageMagick's.

The damaged PngSuite files (x*.png) get pngcheck's verdict instead (Debian pngcheck 3.0.3), one file a line:
    pngcheck x*.png  >  pngsuite/ref/pngcheck-damaged.txt

TIFF (tiff/): ImageMagick as above (it reads through libtiff, un-premultiplying associated alpha), except
- CIELab (hopper.Lab.tif, lab.tif): Pillow's reading, then LittleCMS Lab (D50) -> sRGB computed exactly
  (ImageCms.buildTransform(createProfile("LAB"), createProfile("sRGB"), "LAB", "RGB", flags=NOTPRECALC));
- old-style JPEG (ojpeg_*): libtiff's own RGBA rendering, which honours ReferenceBlackWhite:
    tiff2rgba -c none FILE OUT.tif   (then read as above);
- WebP-in-TIFF (hopper_webp.tif): libtiff's WebP codec (libwebp's default decoding, as dwebp):
    tiffcp -c none FILE OUT.tif   (then read as above);
- basn6a08-associated-alpha.tif is made here from PngSuite's basn6a08.png (8-bit RGBA, premultiplied on writing):
    convert pngsuite/basn6a08.png -define tiff:alpha=associated -compress lzw tiff/basn6a08-associated-alpha.tif
GIF (gif/): the first frame as a browser shows it, on the logical screen with the rest transparent:
    convert FILE[0] -coalesce ...   (then as above)
JPEG (jpeg/): ImageMagick (libjpeg-turbo) as above; testorig-progressive.jpg is libjpeg-turbo's testorig.jpg made
progressive without loss:  jpegtran -progressive testorig.jpg > jpeg/testorig-progressive.jpg
WebP (webp/): libwebp's own decoder with its defaults (Debian webp 1.2.4):
    dwebp -quiet FILE -pam -o OUT.pam   (then read as above)
HEIC/AVIF (heif/): libheif's heif-convert (Debian libheif-examples 1.15.1), its primary (first) image:
    heif-convert FILE OUT.png   (then read as above)
12-bit and arithmetic-coded JPEG (jpeg/testorig12.jpg, testimgari.jpg) and LogLuv (logluv-3c-16b.tiff) have no reference: the kernel refuses them.
Pillow's truncated_jpeg.jpg has none either: it must fail (djpeg: "Premature end of JPEG file").

Run (Debian 12: imagemagick 6.9.11, python3-pil 9.4):  /usr/bin/python3 make-references.py
"""
import glob
import os
import subprocess
import sys
import tempfile

from PIL import Image, ImageCms

CONVERT = "/usr/bin/convert"

def grey_alpha(path, *ops):
    size = subprocess.run([CONVERT, path + "[0]", *ops, "-format", "%w %h", "info:"], check=True,
                          capture_output=True, text=True).stdout.split()
    w, h = int(size[0]), int(size[1])
    rgba = subprocess.run([CONVERT, path + "[0]", *ops, "-set", "colorspace", "sRGB", "-depth", "8", "-alpha", "set",
                           "rgba:-"], check=True, capture_output=True).stdout
    assert len(rgba) == 4 * w * h, path
    return grey_of_rgba(rgba, w, h)


def grey_of_rgba(rgba, w, h):
    out = bytearray(2 * w * h)
    for i in range(w * h):
        r, g, b, a = rgba[4 * i:4 * i + 4]
        # integer arithmetic on the weights x 10000 so that ties round up exactly, as the kernel does
        out[2 * i] = (2125 * r + 7154 * g + 721 * b + 5000) // 10000
        out[2 * i + 1] = a
    return Image.frombytes("LA", (w, h), bytes(out))


def through_libtiff(tool):
    def decode(path):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.tif")
            subprocess.run([tool, "-c", "none", path, out], check=True, capture_output=True)
            return grey_alpha(out)
    return decode


def through_dwebp(path):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.pam")
        subprocess.run(["dwebp", "-quiet", path, "-pam", "-o", out], check=True)
        return grey_alpha(out)


def through_heif_convert(path):
    # heif-convert writes every top-level image (out-1.png, out-2.png, ... in file order, or out.png when there is
    # one); in example.heic the primary image is the first (heif-info lists it first, "primary")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["heif-convert", path, os.path.join(tmp, "out.png")], check=True, capture_output=True)
        written = sorted(f for f in os.listdir(tmp) if f.endswith(".png"))
        return grey_alpha(os.path.join(tmp, written[0]))


def lab_through_lcms(path):
    lab = Image.open(path)
    to_srgb = ImageCms.buildTransform(ImageCms.createProfile("LAB"), ImageCms.createProfile("sRGB"), "LAB", "RGB",
                                      flags=ImageCms.FLAGS["NOTPRECALC"])
    rgba = ImageCms.applyTransform(lab, to_srgb).convert("RGBA")
    return grey_of_rgba(rgba.tobytes(), rgba.width, rgba.height)


# (input glob, reference folder, decoder): the files that must decode; x*.png and bmpsuite/b/ must fail instead
SUITES = [
    ("pngsuite/[!x]*.png", "pngsuite/ref", grey_alpha),
    ("bmpsuite/g/*.bmp", "bmpsuite/ref", grey_alpha),
    ("tiff/[!lho]*.tif*", "tiff/ref", grey_alpha),
    ("tiff/hopper_lzma.tif", "tiff/ref", grey_alpha),
    ("tiff/*[Ll]ab.tif", "tiff/ref", lab_through_lcms),
    ("tiff/ojpeg_*.tiff", "tiff/ref", through_libtiff("tiff2rgba")),
    ("tiff/hopper_webp.tif", "tiff/ref", through_libtiff("tiffcp")),
    ("gif/*.gif", "gif/ref", lambda path: grey_alpha(path, "-coalesce")),
    ("jpeg/testorig.jpg", "jpeg/ref", grey_alpha),
    ("jpeg/testorig-progressive.jpg", "jpeg/ref", grey_alpha),
    ("webp/*.webp", "webp/ref", through_dwebp),
    ("heif/*.hei[cf]", "heif/ref", through_heif_convert),
    ("heif/*.avif", "heif/ref", through_heif_convert),
]


def main():
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    made = 0
    for pattern, ref, decode in SUITES:
        os.makedirs(ref, exist_ok=True)
        for path in sorted(glob.glob(pattern)):
            name = os.path.splitext(os.path.basename(path))[0]
            decode(path).save(os.path.join(ref, name + ".png"))
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
