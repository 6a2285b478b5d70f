import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A design decision tree as data: questions whose answers lead to further questions or to a
 * recommendation, walked for a set of requirements, printing the path taken. This one picks a
 * datastore. Encoding the tree, rather than drawing it, makes two properties checkable: every
 * question offers at least two answers and appears once, and every recommendation is reachable.
 * A walk that meets a question the requirements do not answer stops and names it, which is the
 * point of the exercise: the tree tells you which requirement to ask about next.
 *
 * <p>Trade-off: a tree fixes the order of the questions and hides their interactions (a store can
 * be right on one axis and wrong on another); real choices weigh several axes at once. It is a
 * record of reasoning that another engineer can follow and challenge, not an oracle.
 *
 * <p>Sources for the recommendations: Kleppmann, "Designing Data-Intensive Applications"
 * (O'Reilly, 2017), chapters 2, 3 and 6; the products' own documentation.
 */
public final class DesignDecisionTree {

    private DesignDecisionTree() {
    }

    // tag::tree[]
    /** A node is a question or a recommendation. */
    public sealed interface Node permits Question, Choice {
    }

    /** A question with its answers in order; each answer leads to another node. */
    public record Question(String id, String text, Map<String, Node> answers) implements Node {
        public Question {
            if (answers.size() < 2) {
                throw new IllegalArgumentException(id + ": a question needs at least two answers");
            }
            answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
        }
    }

    /** A recommendation and the reason for it. */
    public record Choice(String store, String because) implements Node {
    }

    static Question ask(String id, String text, Object... answerThenNode) {
        Map<String, Node> answers = new LinkedHashMap<>();
        for (int i = 0; i < answerThenNode.length; i += 2) {
            answers.put((String) answerThenNode[i], (Node) answerThenNode[i + 1]);
        }
        return new Question(id, text, answers);
    }

    public static final Question DATASTORE = ask("access", "How is the data read?",
            "by key only", ask("loss", "Can it be lost on a restart and rebuilt from elsewhere?",
                    "yes", new Choice("in-memory cache (Redis, Memcached)",
                            "fastest reads; the system of record stays elsewhere"),
                    "no", ask("kv-writes", "Will writes outgrow one server?",
                            "no", new Choice("relational database, used as a key-value table",
                                    "one system to run, transactions if needed later"),
                            "yes", new Choice("partitioned key-value store (DynamoDB, Cassandra)",
                                    "scales writes by partitioning on the key; no joins"))),
            "by several attributes, with joins", ask("sql-writes", "Will writes outgrow one primary server?",
                    "no", new Choice("relational database with read replicas (PostgreSQL, MySQL)",
                            "transactions, joins, ad hoc queries; replicas add reads"),
                    "yes", new Choice("sharded relational or distributed SQL (Vitess, Spanner)",
                            "keeps SQL; pays for routing and cross-shard transactions")),
            "by words in free text", new Choice("search index (Lucene-based)",
                    "inverted index; fed from the system of record, may lag it"),
            "as whole large files", new Choice("object storage, with metadata in a database",
                    "cheap durable bytes; the database indexes them"));
    // end::tree[]

    // tag::walk[]
    /** One step of a walk: the question asked and the answer given. */
    public record Step(String question, String answer) {
    }

    /** Where a walk ended: at a choice, or at the first question the requirements leave open. */
    public record Outcome(List<Step> path, Choice choice, Question unanswered) {
    }

    public static Outcome decide(Node root, Map<String, String> requirements) {
        List<Step> path = new ArrayList<>();
        Node node = root;
        while (node instanceof Question q) {
            String answer = requirements.get(q.id());
            if (answer == null) {
                return new Outcome(path, null, q);
            }
            Node next = q.answers().get(answer);
            if (next == null) {
                throw new IllegalArgumentException(q.id() + ": '" + answer + "' is not one of " + q.answers().keySet());
            }
            path.add(new Step(q.text(), answer));
            node = next;
        }
        return new Outcome(path, (Choice) node, null);
    }
    // end::walk[]

    // tag::check[]
    /** Every recommendation, with the requirements that reach it; fails if a question id repeats. */
    public static Map<Choice, Map<String, String>> everyPath(Node root) {
        Map<Choice, Map<String, String>> paths = new LinkedHashMap<>();
        collect(root, new LinkedHashMap<>(), new TreeSet<>(), paths);
        return paths;
    }

    private static void collect(Node node, Map<String, String> so, Set<String> ids,
                                Map<Choice, Map<String, String>> paths) {
        switch (node) {
            case Choice c -> {
                if (paths.put(c, Map.copyOf(so)) != null) {
                    throw new IllegalStateException("recommended twice: " + c.store());
                }
            }
            case Question q -> {
                if (!ids.add(q.id())) {
                    throw new IllegalStateException("question id used twice: " + q.id());
                }
                for (Map.Entry<String, Node> answer : q.answers().entrySet()) {
                    so.put(q.id(), answer.getKey());
                    collect(answer.getValue(), so, ids, paths);
                    so.remove(q.id());
                }
            }
        }
    }
    // end::check[]

    private static void print(String system, Map<String, String> requirements) {
        Outcome outcome = decide(DATASTORE, requirements);
        System.out.println(system);
        for (Step step : outcome.path()) {
            System.out.println("  " + step.question() + " " + step.answer());
        }
        if (outcome.choice() != null) {
            System.out.println("  => " + outcome.choice().store());
            System.out.println("     because: " + outcome.choice().because());
        } else {
            System.out.println("  => open question: " + outcome.unanswered().text());
        }
    }

    public static void main(String[] args) {
        Map<Choice, Map<String, String>> paths = everyPath(DATASTORE);
        System.out.println("The tree has " + paths.size() + " recommendations, each reachable, every question id unique");
        System.out.println();
        print("Shopping carts, read and written by cart id at a high peak rate", Map.of(
                "access", "by key only", "loss", "no", "kv-writes", "yes"));
        print("Shop orders and stock", Map.of(
                "access", "by several attributes, with joins", "sql-writes", "no"));
        print("Product photos", Map.of(
                "access", "as whole large files"));
        print("Like counts (not yet discussed: durability)", Map.of(
                "access", "by key only"));
    }
}
