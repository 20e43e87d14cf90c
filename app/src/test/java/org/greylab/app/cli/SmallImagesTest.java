package org.greylab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallImagesTest {

    @Test
    void writesThatManyDifferentSmallPngs(@TempDir Path temp) throws IOException {
        Path folder = SmallImages.write(temp.resolve("small"), 5);

        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.sorted().toList();
        }
        assertThat(files).hasSize(5).allMatch(f -> f.getFileName().toString().endsWith(".png"));
        for (Path file : files) {
            BufferedImage image = ImageIO.read(file.toFile());
            assertThat(image.getWidth()).isEqualTo(SmallImages.WIDTH);
            assertThat(image.getHeight()).isEqualTo(SmallImages.HEIGHT);
        }
        assertThat(Files.readAllBytes(files.get(0))).isNotEqualTo(Files.readAllBytes(files.get(1)));
    }
}
