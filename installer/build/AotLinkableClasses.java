import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.constant.ClassDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Rewrites the pre-Java 6 classes of jars (class file version below 50) as Java 8 classes with computed stack maps,
 * so that the AOT cache of JDK 24 and later can hold them. It skips such classes ("Unlinked class not supported by
 * AOTClassLinking"): picocli, built for Java 5, was loaded, parsed and verified from its jar at every start of the app
 * and of every engine (docs/PERFORMANCE.md, "Start-up"). Nothing else changes: the same instructions, names and
 * entries in the same order.
 *
 * <p>Run by the build on JDK 24+ (the class-file API), after the jars are made:
 * {@code java AotLinkableClasses.java JAR-OR-FOLDER...}. A jar without such classes is left alone; a jar whose
 * classes cannot be rewritten (a type the stack maps need is nowhere to be found) is left as it was, with a warning:
 * it then runs as before, only without the cache for those classes.
 */
public final class AotLinkableClasses {

    /** The first class file version that the AOT cache links: Java 6's; 52 (Java 8) is what they become. */
    private static final int FIRST_LINKABLE = ClassFile.JAVA_6_VERSION;
    private static final int REWRITTEN_VERSION = ClassFile.JAVA_8_VERSION;

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: java AotLinkableClasses.java JAR-OR-FOLDER...");
            System.exit(2);
        }
        for (String arg : args) {
            Path path = Path.of(arg);
            if (Files.isDirectory(path)) {
                try (Stream<Path> jars = Files.list(path)) {
                    for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                        rewrite(jar);
                    }
                }
            } else {
                rewrite(path);
            }
        }
    }

    private static void rewrite(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".rewriting");
        int rewritten = 0;
        try (JarFile in = new JarFile(jar.toFile(), false)) {
            List<JarEntry> entries = Collections.list(in.entries());
            if (entries.stream().noneMatch(e -> isOld(in, e))) {
                return;
            }
            ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(desc -> resource(in, desc)))
                            .cached()));
            try (OutputStream file = Files.newOutputStream(tmp); JarOutputStream out = new JarOutputStream(file)) {
                for (JarEntry entry : entries) {
                    byte[] bytes = read(in, entry);
                    if (isClass(entry) && version(bytes) < FIRST_LINKABLE) {
                        bytes = upgrade(classFile, bytes);
                        rewritten++;
                    }
                    JarEntry copy = new JarEntry(entry.getName());
                    copy.setTime(entry.getTime());
                    out.putNextEntry(copy);
                    out.write(bytes);
                    out.closeEntry();
                }
            }
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            // the class-file API's way of saying a class cannot be rewritten (a type its stack maps need is unknown)
            Files.deleteIfExists(tmp);
            System.err.println("[WARNING] " + jar.getFileName() + " left as it was: " + e.getMessage());
            return;
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("[INFO] " + jar.getFileName() + ": " + rewritten
                + " pre-Java 6 classes rewritten as Java 8 classes for the AOT cache");
    }

    private static byte[] upgrade(ClassFile classFile, byte[] bytes) {
        ClassModel model = classFile.parse(bytes);
        // every method body is rebuilt, so that its stack maps are computed; the version element is replaced
        ClassTransform transform = ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                .andThen((builder, element) -> {
                    if (element instanceof ClassFileVersion) {
                        builder.withVersion(REWRITTEN_VERSION, 0);
                    } else {
                        builder.with(element);
                    }
                });
        byte[] upgraded = classFile.transformClass(model, transform);
        if (version(upgraded) != REWRITTEN_VERSION) {
            throw new IllegalStateException(model.thisClass().asInternalName() + " kept version " + version(upgraded));
        }
        return upgraded;
    }

    private static boolean isOld(JarFile jar, JarEntry entry) {
        if (!isClass(entry)) {
            return false;
        }
        try (InputStream s = jar.getInputStream(entry)) {
            return version(s.readNBytes(8)) < FIRST_LINKABLE;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A class of the jar's base layer: a multi-release layer's classes are for newer runtimes anyway. */
    private static boolean isClass(JarEntry entry) {
        String name = entry.getName();
        return name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class");
    }

    private static int version(byte[] classBytes) {
        return classBytes.length < 8 ? Integer.MAX_VALUE : ((classBytes[6] & 0xff) << 8) | (classBytes[7] & 0xff);
    }

    private static byte[] read(JarFile jar, JarEntry entry) throws IOException {
        try (InputStream s = jar.getInputStream(entry)) {
            return s.readAllBytes();
        }
    }

    private static InputStream resource(JarFile jar, ClassDesc desc) {
        String descriptor = desc.descriptorString();
        JarEntry entry = jar.getJarEntry(descriptor.substring(1, descriptor.length() - 1) + ".class");
        try {
            return entry == null ? null : jar.getInputStream(entry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private AotLinkableClasses() {
    }
}
