package org.greylab.app.settings;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import org.greylab.core.schedule.TaskGrouping;

/**
 * The window's task grouping in the settings file, as the CLI's word ({@code auto}, {@code off} or a number). An
 * unknown word goes to the mapper's problem handler, which reports it and leaves the default.
 */
final class GroupingJson {

    private GroupingJson() {
    }

    static final class Writer extends JsonSerializer<TaskGrouping> {
        @Override
        public void serialize(TaskGrouping grouping, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            gen.writeString(grouping.word());
        }
    }

    static final class Reader extends JsonDeserializer<TaskGrouping> {
        @Override
        public TaskGrouping deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            try {
                return TaskGrouping.parse(text);
            } catch (IllegalArgumentException e) {
                return (TaskGrouping) ctxt.handleWeirdStringValue(TaskGrouping.class, text, e.getMessage());
            }
        }
    }
}
