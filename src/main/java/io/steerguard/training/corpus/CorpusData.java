package io.steerguard.training.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The team-written templates and word lists under {@code training/corpus/} on the class path,
 * read into plain records. List order is the order written in the files (it decides which parts
 * are held out, see {@link Pool}).
 */
record CorpusData(List<String> harmfulTemplates, List<String> harmfulSuffixes, List<HarmCategory> harmCategories,
        List<String> refusals, List<String> wrappers, List<Topic> topics, List<Sensitive> sensitive,
        List<String> requestTemplates, List<String> prefixes, List<String> suffixes, List<String> openers,
        List<JsonInstruction> jsonInstructions, List<Constraint> constraints, List<String> modifiers,
        SmallTalk smallTalk) {

    static final String ROOT = "training/corpus/";

    /** A harm category: its name, the words refusals use for it, a safe alternative and its actions. */
    record HarmCategory(String name, String label, String alternative, List<String> actions) {
    }

    /** A benign topic of the knowledge table (see benign-topics.json). */
    record Topic(String id, String area, List<String> questions, String about, String answer, String three,
            String yesNoQuestion, boolean yes) {
    }

    /** A sensitive-sounding but safe request family. */
    record Sensitive(String area, List<String> questions, String answer) {
    }

    /** A JSON instruction: where it goes and which keys the answer object has. */
    record JsonInstruction(String text, String placement, List<String> keys) {
    }

    /** A compliance constraint type with its parameter and instruction texts. */
    record Constraint(String type, int n, boolean modifiers, List<String> texts) {
    }

    /** Greetings, identity questions and out-of-scope requests with their answers (see small-talk.json). */
    record SmallTalk(List<String> greetings, List<String> identity, List<String> greetingAnswers,
            List<String> outOfScopeQuestions, List<String> outOfScopeSubjects, List<String> outOfScopeAnswers) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Reads every resource file; a missing or malformed file is a build fault. */
    static CorpusData load() {
        JsonNode harmful = read("harmful.json");
        JsonNode topics = read("benign-topics.json");
        JsonNode sensitive = read("sensitive.json");
        JsonNode requests = read("requests.json");
        JsonNode json = read("json-format.json");
        JsonNode compliance = read("compliance.json");
        JsonNode talk = read("small-talk.json");

        List<HarmCategory> categories = new ArrayList<>();
        for (JsonNode c : harmful.path("categories")) {
            categories.add(new HarmCategory(c.path("name").asText(), c.path("label").asText(),
                    c.path("alternative").asText(), strings(c.path("actions"))));
        }
        List<Topic> topicList = new ArrayList<>();
        for (JsonNode t : topics.path("topics")) {
            topicList.add(new Topic(t.path("id").asText(), t.path("area").asText(), strings(t.path("q")),
                    t.path("about").asText(), t.path("answer").asText(), t.path("three").asText(),
                    t.path("yn").path("q").asText(), t.path("yn").path("a").asText().equals("yes")));
        }
        List<Sensitive> sensitiveList = new ArrayList<>();
        for (JsonNode s : sensitive.path("items")) {
            sensitiveList.add(new Sensitive(s.path("area").asText(), strings(s.path("q")), s.path("answer").asText()));
        }
        List<JsonInstruction> instructions = new ArrayList<>();
        for (JsonNode i : json.path("instructions")) {
            instructions.add(new JsonInstruction(i.path("text").asText(), i.path("placement").asText(),
                    strings(i.path("keys"))));
        }
        List<Constraint> constraints = new ArrayList<>();
        for (JsonNode c : compliance.path("constraints")) {
            constraints.add(new Constraint(c.path("type").asText(), c.path("n").asInt(0),
                    c.path("modifiers").asBoolean(), strings(c.path("texts"))));
        }
        return new CorpusData(strings(harmful.path("templates")), strings(harmful.path("suffixes")), categories,
                strings(harmful.path("refusals")), strings(harmful.path("wrappers")), topicList, sensitiveList,
                strings(requests.path("templates")), strings(requests.path("prefixes")),
                strings(requests.path("suffixes")), strings(requests.path("openers")), instructions, constraints,
                strings(compliance.path("modifiers")),
                new SmallTalk(strings(talk.path("greetings")), strings(talk.path("identity")),
                        strings(talk.path("greetingAnswers")), strings(talk.path("outOfScopeQuestions")),
                        strings(talk.path("outOfScopeSubjects")), strings(talk.path("outOfScopeAnswers"))));
    }

    private static JsonNode read(String name) {
        try (InputStream in = CorpusData.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + ROOT + name + " is not on the class path");
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ROOT + name, e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }
}
