import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link DesignDecisionTree} to what the page says of it: a walk follows the answers and
 * names the first open question, every recommendation is reachable by exactly one set of answers,
 * and a malformed tree (a one-answer question, a repeated question id, a repeated recommendation)
 * is rejected.
 */
class DesignDecisionTreeTest {

    private static final DesignDecisionTree.Question ROOT = DesignDecisionTree.DATASTORE;

    private static DesignDecisionTree.Choice choice(String prefix) {
        return DesignDecisionTree.everyPath(ROOT).keySet().stream()
                .filter(c -> c.store().startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void theWalksOnThePageEndWhereTheAnswersLead() {
        DesignDecisionTree.Outcome carts = DesignDecisionTree.decide(ROOT,
                Map.of("access", "by key only", "loss", "no", "kv-writes", "yes"));
        assertSame(choice("partitioned key-value store"), carts.choice());
        assertEquals(List.of(
                new DesignDecisionTree.Step("How is the data read?", "by key only"),
                new DesignDecisionTree.Step("Can it be lost on a restart and rebuilt from elsewhere?", "no"),
                new DesignDecisionTree.Step("Will writes outgrow one server?", "yes")), carts.path());
        assertNull(carts.unanswered());

        DesignDecisionTree.Outcome orders = DesignDecisionTree.decide(ROOT,
                Map.of("access", "by several attributes, with joins", "sql-writes", "no"));
        assertSame(choice("relational database with read replicas"), orders.choice());
        assertEquals(2, orders.path().size());

        DesignDecisionTree.Outcome photos = DesignDecisionTree.decide(ROOT, Map.of("access", "as whole large files"));
        assertSame(choice("object storage"), photos.choice());
        assertEquals(1, photos.path().size());
    }

    @Test
    void aWalkStopsAtTheFirstOpenQuestion() {
        DesignDecisionTree.Outcome likes = DesignDecisionTree.decide(ROOT, Map.of("access", "by key only"));
        assertNull(likes.choice());
        assertEquals("loss", likes.unanswered().id());
        assertEquals(1, likes.path().size());

        DesignDecisionTree.Outcome nothing = DesignDecisionTree.decide(ROOT, Map.of());
        assertSame(ROOT, nothing.unanswered());
        assertTrue(nothing.path().isEmpty());
    }

    @Test
    void answersOffTheWalkedBranchAreIgnored() {
        Map<String, String> requirements = new HashMap<>(Map.of("access", "as whole large files"));
        DesignDecisionTree.Choice before = DesignDecisionTree.decide(ROOT, requirements).choice();
        requirements.put("sql-writes", "yes");
        requirements.put("loss", "yes");
        assertSame(before, DesignDecisionTree.decide(ROOT, requirements).choice());
    }

    @Test
    void anAnswerThatIsNotAnOptionIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DesignDecisionTree.decide(ROOT, Map.of("access", "by SQL")));
        assertTrue(e.getMessage().contains("by key only"), e.getMessage());
    }

    @Test
    void everyRecommendationIsReachableAndItsPathLeadsBackToIt() {
        Map<DesignDecisionTree.Choice, Map<String, String>> paths = DesignDecisionTree.everyPath(ROOT);
        Set<String> stores = paths.keySet().stream().map(DesignDecisionTree.Choice::store).collect(Collectors.toSet());
        // The seven leaves, listed by hand from the tree.
        assertEquals(Set.of(
                "in-memory cache (Redis, Memcached)",
                "relational database, used as a key-value table",
                "partitioned key-value store (DynamoDB, Cassandra)",
                "relational database with read replicas (PostgreSQL, MySQL)",
                "sharded relational or distributed SQL (Vitess, Spanner)",
                "search index (Lucene-based)",
                "object storage, with metadata in a database"), stores);
        for (Map.Entry<DesignDecisionTree.Choice, Map<String, String>> path : paths.entrySet()) {
            DesignDecisionTree.Outcome outcome = DesignDecisionTree.decide(ROOT, path.getValue());
            assertSame(path.getKey(), outcome.choice());
            assertEquals(path.getValue().size(), outcome.path().size(), "every answer on the path is used");
        }
    }

    @Test
    void malformedTreesAreRejected() {
        DesignDecisionTree.Choice a = new DesignDecisionTree.Choice("a", "x");
        DesignDecisionTree.Choice b = new DesignDecisionTree.Choice("b", "y");
        assertThrows(IllegalArgumentException.class, () -> DesignDecisionTree.ask("q", "one answer?", "yes", a));
        DesignDecisionTree.Question repeatedId = DesignDecisionTree.ask("q", "first?",
                "yes", DesignDecisionTree.ask("q", "second?", "yes", a, "no", b),
                "no", new DesignDecisionTree.Choice("c", "z"));
        assertThrows(IllegalStateException.class, () -> DesignDecisionTree.everyPath(repeatedId));
        DesignDecisionTree.Question repeatedChoice = DesignDecisionTree.ask("q", "same?", "yes", a, "no", a);
        assertThrows(IllegalStateException.class, () -> DesignDecisionTree.everyPath(repeatedChoice));
    }

    @Test
    void answersKeepTheirOrderAndCannotBeChanged() {
        assertEquals(List.of("by key only", "by several attributes, with joins", "by words in free text", "as whole large files"),
                List.copyOf(ROOT.answers().keySet()));
        Map<String, DesignDecisionTree.Node> answers = new LinkedHashMap<>(ROOT.answers());
        assertThrows(UnsupportedOperationException.class, () -> ROOT.answers().put("x", answers.get("by key only")));
    }

    @Test
    void mainIsDeterministicAndEndsWithTheOpenQuestion() {
        List<String> first = run();
        assertEquals(first, run());
        assertTrue(first.get(0).startsWith("The tree has 7 recommendations"), first.get(0));
        assertEquals("  => open question: Can it be lost on a restart and rebuilt from elsewhere?", first.get(first.size() - 1));
        assertTrue(first.size() <= 35);
    }

    private static List<String> run() {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            DesignDecisionTree.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
