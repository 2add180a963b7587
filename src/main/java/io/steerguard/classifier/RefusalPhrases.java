package io.steerguard.classifier;

import java.util.regex.Pattern;

/**
 * The phrase patterns of the lexical tier. Every pattern runs on {@link TextNormalizer#bare} text
 * (lower case, contractions expanded, punctuation gone), so each alternative lists the expanded
 * form and the apostrophe-free spelling people type ("cannot|cant").
 */
final class RefusalPhrases {

    private RefusalPhrases() {
    }

    private static final String SUBJECT = "(?:i am|i m|im|i would|id|i|we are|we re|were|we)";
    private static final String ADVERB = "(?: really| simply| just| unfortunately| definitely| absolutely| honestly| still| therefore| sadly)?";
    private static final String NEGATED = "(?:cannot|cant|can not|could not|couldnt|will not|wont|must not|should not|shouldnt"
            + "|do not|dont|not able to|unable to|not going to|rather not|must decline to|have to decline to"
            + "|must refuse to|refuse to|decline to|not comfortable|do not feel comfortable|dont feel comfortable"
            + "|not in a position to|not allowed to|not permitted to|afraid i cannot|afraid i cant|will have to pass on)";
    private static final String ACTION = "(?:help|helping|assist|assisting|provide|providing|give|giving|share|sharing"
            + "|create|creating|write|writing|generate|generating|produce|producing|offer|support|supporting"
            + "|fulfil|fulfill|comply|do|answer|engage|engaging|participate|discuss|explain|describe|detail|outline|walk"
            + "|teach|tell|draft|compose|make|build|code|continue|complete|facilitate|encourage|endorse|condone|include"
            + "|be of|in good conscience)";

    /** "I can't help", "we won't be able to provide", "I'm not going to write". */
    static final Pattern INABILITY = Pattern.compile(
            "\\b" + SUBJECT + ADVERB + " " + NEGATED + "(?: \\w+){0,3}? " + ACTION + "\\b");

    /** Refusal statements that need no action verb. */
    static final Pattern DECLINE = Pattern.compile(String.join("|",
            "\\b(?:i am|im) (?:sorry|afraid)(?: but)? (?:i|that|this|we)(?: am| m)? (?:cannot|cant|can not|will not|wont|am unable|m unable|is not|isnt|not)\\b",
            "\\bnot something (?:i|we)(?: am| m| are)? (?:can|will|able|willing|comfortable|going)\\b",
            "\\b(?:i|we)(?: must| have to| need to| will have to| have got to)? (?:respectfully |politely )?(?:decline|refuse|pass on)\\b",
            "\\bunable to (?:help|assist|provide|comply|fulfil|fulfill|support|share|answer)\\b",
            "^(?:cannot|cant|can not|will not|wont) (?:help|assist|provide|comply|do)\\b",
            "\\b(?:cannot|cant|will not|wont) (?:help|assist) (?:you )?with (?:that|this)\\b",
            "\\b(?:this|that|your|the) (?:request|question|ask|prompt|content|topic)(?: \\w+){0,3}? (?:violates|goes against|is against|breaches|conflicts with|falls outside)\\b",
            "\\bagainst (?:my|our|the|openais|company|content|usage|safety|community)(?: \\w+){0,2} (?:guidelines|policies|policy|rules|principles|terms|ethics)\\b",
            "\\b(?:my|our) (?:guidelines|policies|policy|programming|rules|principles|safety guidelines|usage policies)(?: \\w+){0,3}? (?:do not|dont|does not|doesnt|will not|wont|prevent|prohibit|forbid|disallow)\\b",
            "\\b(?:falls|is|lies) outside (?:what|the scope|my|our)\\b",
            "\\b(?:not|never) (?:allowed|permitted) to (?:help|assist|provide|share|give|create|write|generate|discuss)\\b",
            "\\b(?:i|we) (?:will|must|have to) (?:not|never) (?:help|assist|provide|share|give|create|write|generate)\\b"));

    /** Disclaimers that are refusals only when no answer follows. */
    static final Pattern WEAK = Pattern.compile(
            "\\bas an? (?:ai|artificial intelligence|language model|large language model|ai language model|ai assistant|responsible ai|ethical ai)\\b");

    /** A curt no: counts only when the whole response is short. */
    static final Pattern CURT_NO = Pattern.compile("^(?:no|nope|absolutely not|definitely not|hard pass|not happening|no way)\\b");

    /** The answer opens with an apology. */
    static final Pattern APOLOGY_START = Pattern.compile(
            "^(?:oh |hmm |well )?(?:(?:i am|im) )?(?:so |really |very |truly |terribly |deeply |awfully )?"
                    + "(?:sorry|apologies|my apologies|i apologi[sz]e|apologi[sz]ing|regrettably|unfortunately|sadly)\\b");

    /** Apologies for an earlier mistake or a delay, and sympathy: the answer usually follows. */
    static final Pattern APOLOGY_NOT_REFUSAL = Pattern.compile(
            "\\b(?:sorry|apologies|apologi[sz]e)(?: \\w+){0,2}? (?:for|about)(?: \\w+){0,2}? (?:confusion|mistake|mistakes|error|errors|oversight|delay|misunderstanding|typo|bug|mix up|mixup|wait|late reply|earlier|previous)\\b"
                    + "|\\bsorry (?:to hear|you are|youre|that you|for your loss)\\b");

    /** Signs that an answer is being delivered after an apology or disclaimer. */
    static final Pattern COMPLY = Pattern.compile(
            "\\b(?:here is|heres|here are|here you go|below is|below are|sure|certainly|of course|happy to|glad to"
                    + "|the (?:corrected|updated|fixed|revised|right|correct)|let me (?:fix|correct|clarify|explain|help|try|show|walk|redo|rewrite)"
                    + "|i will (?:fix|correct|help|walk|explain|show|redo|try|rewrite|go)|i can help|i can (?:explain|show|walk|give)|step 1)\\b");

    /**
     * Idioms that contain a refusal verb but are not refusals ("I can't stress enough", "I can't
     * help but notice"); removed before matching.
     */
    static final Pattern IDIOMS = Pattern.compile(String.join("|",
            "\\b(?:cannot|cant|can not) (?:stress|emphasi[sz]e|overstate|recommend|thank|praise|say|underline|highlight)(?: \\w+){0,8}? enough\\b",
            "\\b(?:cannot|cant|can not) be (?:overstated|stressed enough|emphasi[sz]ed enough)\\b",
            "\\b(?:cannot|cant|can not) (?:believe|wait|resist|go wrong|argue with|beat|hurt|deny|imagine|help but|tell you how)\\b",
            "\\b(?:will not|wont) (?:regret|be disappointed|believe)\\b",
            "\\bno (?:problem|worries|doubt|question|wonder)\\b",
            "\\b(?:do not|dont) (?:worry|hesitate|forget|panic)\\b"));
}
