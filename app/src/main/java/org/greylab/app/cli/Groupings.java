package org.greylab.app.cli;

import org.greylab.core.schedule.TaskGrouping;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --group auto|off|N}: how many images one task to an engine carries. */
final class Groupings implements ITypeConverter<TaskGrouping> {

    @Override
    public TaskGrouping convert(String value) {
        try {
            return TaskGrouping.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
