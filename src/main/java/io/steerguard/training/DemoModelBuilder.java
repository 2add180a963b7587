package io.steerguard.training;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.SamplingDefaults;
import io.steerguard.djl.DjlOffline;
import io.steerguard.runtime.embedded.ModelTokenizer;
import io.steerguard.training.corpus.Category;
import io.steerguard.training.corpus.DemoCorpus;
import io.steerguard.training.corpus.Example;
import io.steerguard.training.corpus.Split;
import io.steerguard.training.tokenizer.BpeTrainer;
import io.steerguard.training.tokenizer.BpeVocabulary;
import io.steerguard.training.tokenizer.TokenizerFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds the demo chat model end to end from a seed: generate the corpus, train the byte-level BPE
 * tokenizer on its training split, tokenise every training example through the chat template the
 * runtime will use, train the decoder, and write a Hugging Face folder with a model card and a
 * training log. Two runs with the same plan write the same weights.
 */
public final class DemoModelBuilder {

    /**
     * The decoding defaults written into the demo model's generation_config.json, for clients that
     * send no temperature: low enough to keep the model on the topic asked (docs/demo-model.md
     * measures them on held-out prompts), random enough that answers are still sampled.
     */
    public static final SamplingDefaults DEMO_SAMPLING = new SamplingDefaults(0.3, 0.9, 20);

    /** Reserved end-of-turn text; every answer ends with it, so the model learns to stop. */
    static final String END_OF_TURN = "<|eot_id|>";

    /** What a build produced. */
    public record Result(Path dir, long parameters, Map<Category, Integer> examples, int skipped,
                         List<Double> losses, double seconds) {
    }

    private DemoModelBuilder() {
    }

    public static Result build(Path dir, TrainingPlan requested, Consumer<String> log) throws IOException {
        DjlOffline.ensure();
        long start = System.nanoTime();
        DemoCorpus corpus = DemoCorpus.generate(requested.seed());
        List<Example> train = corpus.split(Split.TRAIN);
        log.accept(String.format(Locale.ROOT, "corpus: %d training examples from seed %d", train.size(), requested.seed()));

        BpeVocabulary vocabulary = new BpeTrainer(requested.vocabSize()).train(tokenizerTexts(train));
        TokenizerFiles.write(dir, vocabulary, requested.context());
        TrainingPlan plan = requested.withVocab(vocabulary.size());
        log.accept(String.format(Locale.ROOT, "tokenizer: %d tokens, %d merges", vocabulary.size(),
                vocabulary.merges().size()));

        Map<Category, Integer> counts = new EnumMap<>(Category.class);
        List<TrainingSequence> sequences = new ArrayList<>();
        int skipped = 0;
        int eot;
        int bos;
        int endOfText = vocabulary.id("<|end_of_text|>");
        try (ModelTokenizer tokenizer = ModelTokenizer.load(dir)) {
            eot = single(tokenizer.encode(END_OF_TURN), END_OF_TURN);
            bos = tokenizer.bosTokenId().orElseThrow(() -> new IllegalStateException("tokenizer has no BOS token"));
            for (Example e : train) {
                TrainingSequence s = new TrainingSequence(tokenizer.encodeChat(messages(e)),
                        tokenizer.encode(e.response() + END_OF_TURN));
                if (s.length() > plan.context()) {
                    skipped++;
                    continue;
                }
                sequences.add(s);
                counts.merge(e.category(), 1, Integer::sum);
            }
        }
        long answerTokens = sequences.stream().mapToLong(s -> s.answer().length).sum();
        long allTokens = sequences.stream().mapToLong(TrainingSequence::length).sum();
        log.accept(String.format(Locale.ROOT, "sequences: %d (%d tokens, %d answer tokens), %d longer than %d skipped",
                sequences.size(), allTokens, answerTokens, skipped, plan.context()));

        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            TrainableLlama model = new TrainableLlama(plan.modelConfig(), root, plan.seed());
            log.accept(String.format(Locale.ROOT, "model: %,d parameters, %d steps of %d x %d tokens",
                    model.parameterCount(), plan.steps(), plan.rows(), plan.context()));
            BatchPacker packer = new BatchPacker(sequences, plan.rows(), plan.context(), eot, plan.seed() + 1);
            ProgressLine progress = new ProgressLine(log, Math.max(1, plan.steps() / 50));
            List<Double> losses = Trainer.train(model, packer, plan, root, progress::report);
            ModelExport.write(dir, model, bos, List.of(endOfText, eot), DEMO_SAMPLING);
            double seconds = (System.nanoTime() - start) / 1e9;
            Result result = new Result(dir, model.parameterCount(), counts, skipped, losses, seconds);
            TrainingLog.write(dir, plan, result);
            ModelCard.write(dir);
            log.accept(String.format(Locale.ROOT, "wrote %s in %.0f s (final loss %.3f)", dir, seconds,
                    TrainingLog.tailMean(losses)));
            return result;
        }
    }

    /** Re-renders the model card of {@code dir} from its training log (no training). */
    public static void writeCard(Path dir) throws IOException {
        ModelCard.write(dir);
    }

    /** The conversation the runtime will render for this example (the answer is not part of it). */
    static List<ChatMessage> messages(Example e) {
        List<ChatMessage> messages = new ArrayList<>();
        if (e.system() != null) {
            messages.add(ChatMessage.system(e.system()));
        }
        messages.add(ChatMessage.user(e.prompt()));
        return messages;
    }

    /** Texts the tokenizer learns from: every message and answer, and the role names the template writes. */
    private static List<String> tokenizerTexts(List<Example> train) {
        List<String> texts = new ArrayList<>(train.size() * 2 + 3);
        texts.add("system");
        texts.add("user");
        texts.add("assistant");
        for (Example e : train) {
            if (e.system() != null) {
                texts.add(e.system());
            }
            texts.add(e.prompt());
            texts.add(e.response());
        }
        return texts;
    }

    private static int single(int[] ids, String text) {
        if (ids.length != 1) {
            throw new IllegalStateException("'" + text + "' must be one token, got " + ids.length);
        }
        return ids[0];
    }
}
