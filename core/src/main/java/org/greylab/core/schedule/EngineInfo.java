package org.greylab.core.schedule;

import org.greylab.core.image.Decoders;

/**
 * One engine as the client sees it, like an entry of ipyparallel's {@code rc.ids}.
 *
 * @param id      small stable integer, in join order, assigned by the client
 * @param name    the engine's label
 * @param address host:port it listens on
 * @param slots   how many images it converts at once
 * @param cores   processors on its machine
 * @param version the Greylab version it runs
 * @param decoders the best decoders it has (JPEG, WebP, HEIF)
 */
public record EngineInfo(int id, String name, String address, int slots, int cores, String version,
                         Decoders decoders) {
}
