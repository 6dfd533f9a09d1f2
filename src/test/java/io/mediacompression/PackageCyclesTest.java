package io.mediacompression;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The service's packages depend on each other in one direction only: a package never reaches, through any chain of
 * imports or qualified names, back to itself. Read from the sources, so that it holds for every package, also one added
 * later; `jdeps -verbose:package target/classes` shows the same graph from the bytecode.
 */
class PackageCyclesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    // a package name is the lowercase segments before the class name (or the * of a wildcard import)
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.mediacompression(?:\\.[a-z_][a-z0-9_]*)*");
    // comments and literals, taken left to right so that a "/*" in a string opens no comment
    private static final Pattern NOT_CODE = Pattern.compile(
            "(?s)\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*'|/\\*.*?\\*/|//[^\\n]*");

    @Test
    void no_package_depends_back_on_a_package_that_depends_on_it() {
        Map<String, Set<String>> graph = dependencies();
        // the reader works: the application's own package is seen depending on the others
        assertThat(graph.getOrDefault("io.mediacompression", Set.of())).contains("io.mediacompression.job");

        assertThat(cycle(graph)).as("package cycle").isEmpty();
    }

    @Test
    void a_cycle_is_found_and_named() {
        Map<String, Set<String>> graph = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"),
                "d", Set.of("a")));
        assertThat(cycle(graph)).contains("a -> b -> c -> a");
        assertThat(cycle(Map.of("a", Set.of("b"), "b", Set.of("c"), "d", Set.of("a", "c")))).isEmpty();
    }

    /** Each package of src/main/java and the other io.mediacompression packages its sources name. */
    private static Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = NOT_CODE.matcher(Files.readString(file)).replaceAll(" ");
                Matcher declared = PACKAGE.matcher(source);
                assertThat(declared.find()).as("package declaration of %s", file).isTrue();
                String own = declared.group(1);
                Set<String> uses = graph.computeIfAbsent(own, p -> new TreeSet<>());
                Matcher reference = REFERENCE.matcher(source.substring(declared.end()));
                while (reference.find()) {
                    if (!reference.group().equals(own)) {
                        uses.add(reference.group());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    /** The first cycle of the graph, written as `a -> b -> a`, or empty. */
    static Optional<String> cycle(Map<String, Set<String>> graph) {
        Set<String> finished = new HashSet<>();
        for (String start : new TreeSet<>(graph.keySet())) {
            Optional<String> found = cycleFrom(start, graph, new ArrayList<>(), finished);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> cycleFrom(String node, Map<String, Set<String>> graph, List<String> path,
                                              Set<String> finished) {
        int onPath = path.indexOf(node);
        if (onPath >= 0) {
            List<String> loop = new ArrayList<>(path.subList(onPath, path.size()));
            loop.add(node);
            return Optional.of(String.join(" -> ", loop));
        }
        if (finished.contains(node)) {
            return Optional.empty();
        }
        path.add(node);
        for (String next : new TreeSet<>(graph.getOrDefault(node, Set.of()))) {
            Optional<String> found = cycleFrom(next, graph, path, finished);
            if (found.isPresent()) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        finished.add(node);
        return Optional.empty();
    }
}
