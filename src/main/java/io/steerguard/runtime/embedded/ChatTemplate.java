package io.steerguard.runtime.embedded;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.FunctionTool;
import io.steerguard.runtime.RuntimeFault;
import jinjava.javax.el.CompositeELResolver;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A Hugging Face chat template (Jinja) rendered with Jinjava, configured to behave like the
 * sandboxed jinja2 environment that {@code transformers} uses: {@code trim_blocks} and
 * {@code lstrip_blocks} on, {@code raise_exception(msg)} available, Python string methods such as
 * {@code .strip()} and {@code .startswith()} on strings, and no re-evaluation of Jinja syntax that
 * appears inside message content.
 *
 * <p>A template's {@code raise_exception} surfaces as {@link RuntimeFault.Kind#INVALID_REQUEST}
 * with the template's own message, since templates raise it for conversations they reject.
 */
public final class ChatTemplate {

    private static final Jinjava JINJAVA = newJinjava();
    private static final Pattern TOOLS_VARIABLE = Pattern.compile("\\btools\\b");

    private final String source;
    private final Map<String, Object> specialTokens;

    private ChatTemplate(String source, Map<String, Object> specialTokens) {
        this.source = source;
        this.specialTokens = specialTokens;
    }

    /**
     * Parses {@code jinjaSource} and binds the special-token variables it may use
     * ({@code bos_token}, {@code eos_token}, ...).
     *
     * @throws IllegalArgumentException when the template does not parse
     */
    public static ChatTemplate compile(String jinjaSource, Map<String, Object> specialTokens) {
        Objects.requireNonNull(jinjaSource, "jinjaSource");
        Objects.requireNonNull(specialTokens, "specialTokens");
        String source = JinjaWhitespace.apply(jinjaSource);
        JinjavaInterpreter interpreter = JINJAVA.newInterpreter();
        interpreter.parse(source);
        List<TemplateError> errors = fatal(interpreter.getErrorsCopy());
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("chat template does not parse: " + describe(errors.get(0)));
        }
        // Map.copyOf rejects null values; a model without a BOS token passes none on purpose.
        Map<String, Object> tokens = new HashMap<>();
        specialTokens.forEach((k, v) -> tokens.put(Objects.requireNonNull(k, "special token name"), v));
        return new ChatTemplate(source, tokens);
    }

    /**
     * Renders the conversation as the model's prompt text.
     *
     * @param addGenerationPrompt whether to append the header that opens the assistant's turn
     * @throws RuntimeFault INVALID_REQUEST when the template rejects the conversation
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, List.of(), addGenerationPrompt, UnaryOperator.identity());
    }

    /**
     * Renders the conversation and the offered tools ({@code tools} is left undefined when there are
     * none, as {@code transformers} does), every client string passed through {@code clean}.
     */
    public String render(List<ChatMessage> messages, List<FunctionTool> tools, boolean addGenerationPrompt,
                         UnaryOperator<String> clean) {
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(tools, "tools");
        Map<String, Object> context = new HashMap<>(specialTokens);
        context.put("messages", TemplateValues.messages(messages, clean));
        if (!tools.isEmpty()) {
            context.put("tools", TemplateValues.tools(tools, clean));
        }
        context.put("add_generation_prompt", addGenerationPrompt);

        RenderResult result = JINJAVA.renderForResult(source, context);
        List<TemplateError> errors = fatal(result.getErrors());
        for (TemplateError error : errors) {
            String raised = raisedMessage(error.getException());
            if (raised != null) {
                throw new RuntimeFault(RuntimeFault.Kind.INVALID_REQUEST, raised);
            }
        }
        if (!errors.isEmpty()) {
            throw new RuntimeFault(RuntimeFault.Kind.INVALID_REQUEST,
                    "chat template could not render the messages: " + describe(errors.get(0)));
        }
        return result.getOutput();
    }

    /**
     * Whether the template can show the model the offered tools: it reads a {@code tools} variable.
     * A template that never names it would drop them silently.
     */
    public boolean rendersTools() {
        return TOOLS_VARIABLE.matcher(source).find();
    }

    /** Bound to {@code raise_exception} in templates. */
    public static String raiseException(String message) {
        throw new TemplateRaised(message);
    }

    /** What {@code raise_exception} throws; Jinjava records it as the cause of a fatal error. */
    private static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) {
            super(message, null, false, false);
        }
    }

    private static String raisedMessage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof TemplateRaised) {
                return t.getMessage();
            }
        }
        return null;
    }

    private static List<TemplateError> fatal(List<TemplateError> errors) {
        return errors.stream().filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
    }

    private static String describe(TemplateError error) {
        return error.getMessage() + " (line " + error.getLineno() + ")";
    }

    private static Jinjava newJinjava() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                // trim_blocks / lstrip_blocks are applied by JinjaWhitespace, the jinja2 way.
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                // Message content is data: "{{ ... }}" typed by a user must print, not run.
                .withNestedInterpretationEnabled(false)
                .withElResolver(resolver)
                .withMaxOutputSize(64L * 1024 * 1024)
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition(
                "", "raise_exception", ChatTemplate.class, "raiseException", String.class));
        return jinjava;
    }
}
