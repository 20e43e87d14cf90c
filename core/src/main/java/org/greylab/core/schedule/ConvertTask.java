package org.greylab.core.schedule;

import org.greylab.core.image.ConversionSettings;

/** What an engine needs to convert one image: its bytes and the settings (never a path it would have to read). */
public record ConvertTask(long taskId, String relativePath, byte[] input, ConversionSettings settings) {
}
