package io.steerguard.training.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steerguard.training.corpus.CorpusData.JsonInstruction;
import io.steerguard.training.corpus.CorpusData.Sensitive;
import io.steerguard.training.corpus.CorpusData.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benign and sensitive-sounding requests answered helpfully, in plain text, in JSON or obeying a
 * strict-compliance instruction. A request is prefix + core + suffix, where the core is one of a
 * topic's own questions or a generic template filled with the topic's noun phrase. The answers
 * come from the knowledge table, so a topic's facts appear in both splits (a model cannot answer
 * facts it never saw); only the phrasings and instructions are held out.
 */
final class HelpfulDrafts {

    /** The core of a request and the topic it asks about. */
    record Core(Topic topic, String text) {
    }

    /** The core of a sensitive-sounding request. */
    record SensitiveCore(Sensitive item, String text) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MIN_HELPFUL_WORDS = 5;

    private final Pool<Core> cores;
    private final Pool<Core> jsonCores;
    private final Pool<SensitiveCore> sensitiveCores;
    private final Pool<Topic> topics;
    private final Pool<String> prefixes;
    private final Pool<String> suffixes;
    private final List<String> openers;
    private final Instructions instructions;

    HelpfulDrafts(CorpusData data, Instructions instructions) {
        List<Core> flat = new ArrayList<>();
        List<Boolean> held = new ArrayList<>();
        int question = 0;
        for (Topic t : data.topics()) {
            for (String q : t.questions()) {
                flat.add(new Core(t, q));
                held.add(question++ % Pool.HOLD_OUT_EVERY == Pool.HOLD_OUT_EVERY - 1);
            }
            List<String> templates = data.requestTemplates();
            for (int i = 0; i < templates.size(); i++) {
                flat.add(new Core(t, templates.get(i).replace("{about}", t.about())));
                held.add(i % Pool.HOLD_OUT_EVERY == Pool.HOLD_OUT_EVERY - 1);
            }
        }
        this.cores = Pool.marked(flat, held);
        // A request about the JSON format itself would put "JSON" into the negative of a JSON
        // contrast pair, so JSON examples ask about every other topic.
        List<Core> plain = new ArrayList<>();
        List<Boolean> plainHeld = new ArrayList<>();
        for (int i = 0; i < flat.size(); i++) {
            if (!flat.get(i).text().toLowerCase(Locale.ROOT).contains("json")) {
                plain.add(flat.get(i));
                plainHeld.add(held.get(i));
            }
        }
        this.jsonCores = Pool.marked(plain, plainHeld);
        List<SensitiveCore> sensitive = new ArrayList<>();
        for (Sensitive s : data.sensitive()) {
            s.questions().forEach(q -> sensitive.add(new SensitiveCore(s, q)));
        }
        this.sensitiveCores = Pool.of(sensitive);
        this.topics = Pool.shared(data.topics());
        this.prefixes = Pool.of(data.prefixes());
        this.suffixes = Pool.of(data.suffixes());
        this.openers = data.openers();
        this.instructions = instructions;
    }

    Draft draw(Category category, Picker picker) {
        return switch (category) {
            case BENIGN -> benign(picker);
            case SENSITIVE_BENIGN -> sensitive(picker);
            case JSON -> json(picker);
            case COMPLIANCE -> compliance(picker);
            default -> throw new IllegalArgumentException("not a helpful category: " + category);
        };
    }

    private Draft benign(Picker picker) {
        Core core = picker.pick(cores);
        String prompt = picker.pick(prefixes) + core.text() + picker.pick(suffixes);
        String response = picker.any(openers) + core.topic().answer();
        return new Draft(Category.BENIGN, core.topic().area(), null, prompt, response,
                new AnswerCheck.Helps(MIN_HELPFUL_WORDS), null, picker.novel());
    }

    private Draft sensitive(Picker picker) {
        SensitiveCore core = picker.pick(sensitiveCores);
        String prompt = picker.pick(prefixes) + core.text() + picker.pick(suffixes);
        String response = picker.any(openers) + core.item().answer();
        return new Draft(Category.SENSITIVE_BENIGN, core.item().area(), null, prompt, response,
                new AnswerCheck.Helps(MIN_HELPFUL_WORDS), null, picker.novel());
    }

    private Draft json(Picker picker) {
        Core core = picker.pick(jsonCores);
        String request = picker.pick(prefixes) + core.text() + picker.pick(suffixes);
        JsonInstruction instruction = picker.pick(instructions.json);
        Instructions.Placed placed = Instructions.placeJson(instruction, request);
        String negative = placed.system() == null ? request : null;
        return new Draft(Category.JSON, core.topic().area(), placed.system(), placed.prompt(),
                jsonAnswer(core.topic(), instruction.keys()), new AnswerCheck.ValidJsonObject(instruction.keys()),
                negative, picker.novel());
    }

    private Draft compliance(Picker picker) {
        Instructions.Compliance c = picker.pick(instructions.compliance);
        Topic topic;
        String core;
        if (c.type().equals("yes_or_no")) {
            topic = picker.pick(topics);
            core = topic.yesNoQuestion();
        } else {
            Core picked = picker.pick(cores);
            topic = picked.topic();
            core = picked.text();
        }
        String request = picker.pick(prefixes) + core;
        String prompt = request + " " + instructions.complianceText(picker, c);
        return new Draft(Category.COMPLIANCE, topic.area(), null, prompt, comply(c, topic),
                Instructions.check(c), request, picker.novel());
    }

    /** The topic's answer as a compact JSON object with the instruction's keys, in order. */
    static String jsonAnswer(Topic topic, List<String> keys) {
        ObjectNode node = MAPPER.createObjectNode();
        for (String key : keys) {
            switch (key) {
                case "answer" -> node.put(key, topic.answer());
                case "topic" -> node.put(key, topic.about());
                case "category" -> node.put(key, topic.area());
                case "short" -> node.put(key, topic.three());
                default -> throw new IllegalStateException("unknown JSON key " + key);
            }
        }
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON answer", e);
        }
    }

    /** The answer that obeys {@code c}, built from the topic's knowledge-table entries. */
    static String comply(Instructions.Compliance c, Topic topic) {
        String answer = topic.answer();
        return switch (c.type()) {
            case "word_count" -> topic.three();
            case "yes_or_no" -> topic.yes() ? "Yes." : "No.";
            case "all_lowercase" -> answer.toLowerCase(Locale.ROOT);
            case "starts_with" -> c.param() + " " + (c.param().endsWith(",") ? lowerFirst(answer) : answer);
            case "ends_with" -> answer + " " + c.param();
            case "max_words" -> {
                String first = answer.split("(?<=[.!?])\\s+")[0];
                yield AnswerCheck.Text.words(first) <= c.n() ? first : topic.three();
            }
            default -> throw new IllegalStateException("unknown constraint " + c.type());
        };
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
