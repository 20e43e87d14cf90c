package org.greylab.app.settings;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.greylab.core.schedule.Mode;

/**
 * The window's choice of modes in the settings file, as one word: a mode's own ({@link Mode#word()}), or
 * {@link #COMPARE} for all of them, the one word for a Compare (which is a run of every mode, not a mode). An
 * unknown word goes to the mapper's problem handler, which reports it.
 */
final class ModesJson {

    static final String COMPARE = "compare";

    private ModesJson() {
    }

    static String word(List<Mode> modes) {
        return modes.size() == 1 ? modes.get(0).word() : COMPARE;
    }

    static Optional<List<Mode>> parse(String word) {
        if (word != null && word.trim().equalsIgnoreCase(COMPARE)) {
            return Optional.of(Mode.ALL);
        }
        return Mode.fromWord(word).map(List::of);
    }

    static final class Writer extends JsonSerializer<List<Mode>> {
        @Override
        public void serialize(List<Mode> modes, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(word(modes));
        }
    }

    static final class Reader extends JsonDeserializer<List<Mode>> {
        @Override
        @SuppressWarnings("unchecked")
        public List<Mode> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            Optional<List<Mode>> modes = parse(text);
            return modes.isPresent() ? modes.get()
                    : (List<Mode>) ctxt.handleWeirdStringValue(Mode.class, text, "not a mode");
        }
    }
}
