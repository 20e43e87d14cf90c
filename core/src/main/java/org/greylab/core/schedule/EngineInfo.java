package org.greylab.core.schedule;

import org.greylab.core.image.JpegDecoding;

/**
 * One engine as the client sees it, like an entry of ipyparallel's {@code rc.ids}.
 *
 * @param id      small stable integer, in join order, assigned by the client
 * @param name    the engine's label
 * @param address host:port it listens on
 * @param slots   how many images it converts at once
 * @param cores   processors on its machine
 * @param version the Greylab version it runs
 * @param jpeg    the best JPEG decoder it has
 */
public record EngineInfo(int id, String name, String address, int slots, int cores, String version,
                         JpegDecoding jpeg) {
}
