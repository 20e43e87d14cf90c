package org.greylab.core.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Node;

/** Builds edge-case input files in memory, byte by byte where the point is the bytes. */
final class EdgeFiles {

    private EdgeFiles() {
    }

    /** A JPEG through the JDK writer; {@code dpi > 0} sets the JFIF density in dots per inch. */
    static byte[] jpeg(BufferedImage image, float quality, boolean progressive, int dpi) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            if (dpi > 0) {
                String format = "javax_imageio_jpeg_image_1.0";
                Node root = meta.getAsTree(format);
                IIOMetadataNode jfif = (IIOMetadataNode) ((IIOMetadataNode) root).getElementsByTagName("app0JFIF")
                        .item(0);
                jfif.setAttribute("resUnits", "1");
                jfif.setAttribute("Xdensity", Integer.toString(dpi));
                jfif.setAttribute("Ydensity", Integer.toString(dpi));
                meta.setFromTree(format, root);
            }
            return write(writer, List.of(new IIOImage(image, null, meta)), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** Any format ImageIO writes; several images make a sequence (pages, frames). */
    static byte[] imageIo(String format, BufferedImage... images) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        try {
            return write(writer, Arrays.stream(images).map(i -> new IIOImage(i, null, null)).toList(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    private static byte[] write(ImageWriter writer, List<IIOImage> images, ImageWriteParam param) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            if (images.size() == 1) {
                writer.write(null, images.get(0), param);
            } else {
                writer.prepareWriteSequence(null);
                for (IIOImage image : images) {
                    writer.writeToSequence(image, param);
                }
                writer.endWriteSequence();
            }
        }
        return bytes.toByteArray();
    }

    /**
     * A big-endian TIFF-structured EXIF block: IFD0 with Orientation and an Exif IFD pointer; the Exif IFD with
     * DateTimeOriginal.
     */
    static byte[] exifBlock(int orientation, String dateTimeOriginal) {
        ByteBuffer b = ByteBuffer.allocate(76).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        b.putShort((short) 2);
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(38);
        b.putInt(0);
        b.putShort((short) 1);
        b.putShort((short) 0x9003).putShort((short) 2).putInt(20).putInt(56);
        b.putInt(0);
        byte[] date = Arrays.copyOf(dateTimeOriginal.getBytes(StandardCharsets.US_ASCII), 20);
        b.put(date);
        return b.array();
    }

    /** {@code jpeg} with an APP1 "Exif" segment holding {@code tiff} inserted after SOI and APP0. */
    static byte[] withApp1Exif(byte[] jpeg, byte[] tiff) {
        int pos = 2;
        if ((jpeg[3] & 0xFF) == 0xE0) {
            pos += 2 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, pos);
        int len = 2 + 6 + tiff.length;
        out.write(0xFF);
        out.write(0xE1);
        out.write(len >> 8);
        out.write(len & 0xFF);
        out.writeBytes("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(tiff);
        out.write(jpeg, pos, jpeg.length - pos);
        return out.toByteArray();
    }

    /** The body of the first APP1 "Exif" segment of a JPEG (the TIFF block), or null. */
    static byte[] app1Exif(byte[] jpeg) {
        int pos = 2;
        while (pos + 4 < jpeg.length && (jpeg[pos] & 0xFF) == 0xFF) {
            int marker = jpeg[pos + 1] & 0xFF;
            int len = (jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF);
            if (marker == 0xDA) {
                return null;
            }
            if (marker == 0xE1 && new String(jpeg, pos + 4, 4, StandardCharsets.US_ASCII).equals("Exif")) {
                return Arrays.copyOfRange(jpeg, pos + 10, pos + 2 + len);
            }
            pos += 2 + len;
        }
        return null;
    }

    /** A PNG that is only a signature, an IHDR claiming {@code width x height} RGB, and IEND, with correct CRCs. */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
        ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** PNG chunks as (type, data), checking every CRC on the way. */
    static List<PngChunk> pngChunks(byte[] png) {
        List<PngChunk> chunks = new java.util.ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(png);
        b.position(8);
        while (b.remaining() >= 12) {
            int len = b.getInt();
            byte[] type = new byte[4];
            b.get(type);
            byte[] data = new byte[len];
            b.get(data);
            int crc = b.getInt();
            CRC32 expected = new CRC32();
            expected.update(type);
            expected.update(data);
            chunks.add(new PngChunk(new String(type, StandardCharsets.US_ASCII), data,
                    crc == (int) expected.getValue()));
        }
        return chunks;
    }

    record PngChunk(String type, byte[] data, boolean crcOk) {
    }
}
