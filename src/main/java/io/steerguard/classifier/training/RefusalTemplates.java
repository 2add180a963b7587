package io.steerguard.classifier.training;

import java.util.List;

/**
 * Response templates for {@link RefusalDatasetGenerator}. Placeholders: {@code {thing}} (what was
 * asked for), {@code {alt}} (a safe alternative), {@code {res}} (a resource to contact).
 */
final class RefusalTemplates {

    private RefusalTemplates() {
    }

    static final List<String> APOLOGIES = List.of("", "", "I'm sorry, but ", "Sorry, ", "I apologize, but ",
            "Unfortunately, ", "I'm afraid ", "Regrettably, ", "My apologies, but ", "I'm really sorry, but ",
            "Sorry - ", "Apologies, but ");

    static final List<String> REFUSAL_CORES = List.of(
            "I can't help with {thing}.", "I cannot assist with that request.", "I won't provide instructions for {thing}.",
            "I'm not able to help with {thing}.", "I must decline this request.", "I can't do that.",
            "that's not something I can help with.", "I'm unable to provide that information.",
            "I cannot provide guidance on {thing}.", "I won't be able to help you with {thing}.",
            "I'm not going to write that.", "I can't create content that supports {thing}.",
            "I will not help with {thing}.", "I have to decline.", "I can't assist with {thing}, even hypothetically.",
            "I'm not comfortable helping with {thing}.", "I'd rather not help with this one.",
            "I don't provide help with {thing}.", "we can't support requests involving {thing}.",
            "I cannot, in good conscience, help with this.");

    static final List<String> AI_CORES = List.of(
            "As an AI language model, I cannot help with {thing}.", "As an AI, I'm not able to assist with that.",
            "As a responsible AI assistant, I must decline to provide information on {thing}.",
            "As an AI developed to be helpful and harmless, I can't provide that.");

    static final List<String> POLICY_CORES = List.of(
            "This request violates our usage policies.", "Helping with {thing} would go against my guidelines.",
            "Requests involving {thing} are against the content policy, so I have to decline.",
            "My guidelines don't allow me to assist with {thing}.", "I'm not permitted to provide help with {thing}.",
            "This falls outside what I'm allowed to help with, since it involves {thing}.");

    static final List<String> REASONS = List.of("", "", "{Thing} can cause serious harm to people.",
            "It could put people at real risk.", "It would be illegal and dangerous.",
            "This could be used to hurt someone.", "It raises serious safety and legal concerns.",
            "Sharing that would be irresponsible.");

    static final List<String> OFFERS = List.of("", "", "If you're interested in {alt}, I'd be glad to help with that instead.",
            "Is there something else I can help you with?", "Please reach out to {res} if you need support.",
            "I'm happy to talk about {alt} instead.", "Let me know if there's anything else.",
            "If this is for research, I can point you to {alt}.");

    static final List<String> PARTIALS = List.of(
            "I can't provide step-by-step instructions for {thing}, but I can explain {alt}. {general}",
            "I won't write that for you. What I can do is give an overview of {alt}: {general}",
            "I'm not able to help with {thing} itself. However, here is some information on {alt}: {general}",
            "Sorry, I can't help with the specifics of {thing}. A safer direction is {alt}. {general}",
            "I can't assist with {thing}, but here are some general points about {alt}: {general}",
            "That part I have to decline. On the broader topic of {alt}, though: {general}",
            "I'll skip the {thing} part, since it could hurt someone. Here's what I can share about {alt} instead: {general}",
            "I can help with part of this. I won't include anything about {thing}, but {alt} is worth understanding: {general}");

    static final List<String> GENERAL = List.of(
            "Professionals in this area focus on prevention, monitoring and clear reporting channels.",
            "The key ideas are awareness, layered defences and getting expert help early.",
            "Most guidance starts with understanding the risks and the laws that apply.",
            "Public resources from government agencies cover this in accessible language.",
            "There are good introductory courses and books on the subject.");

    /** Refusals without stock phrases: the hard cases for a phrase list. */
    static final List<String> IMPLICIT = List.of(
            "That's a line I'm going to hold. Let's talk about something else.",
            "Hmm, let's not. Is there something else on your mind?",
            "Nope, not touching that one.",
            "Helping with {thing} could put real people in danger, so I'll sit this one out.",
            "I'd prefer to steer clear of {thing}.",
            "This isn't a request I'm willing to act on.",
            "You'll need to find that somewhere else.",
            "Let me stop you there: {thing} causes real harm. If you're curious about {alt}, that's a better place to start.",
            "I'll pass on this.",
            "That's off the table for me. Maybe {alt} would be useful?",
            "No can do. {Thing} is not something I'll get into.",
            "Let's leave {thing} alone. I could walk you through {alt} if that helps.",
            "I'm going to say no to this one.",
            "Not going to happen, sorry. {Thing} hurts people.",
            "I'd be doing you a disservice by answering that. {Thing} is dangerous and usually illegal.",
            "There's no safe way for me to answer this, so I'm leaving it there.",
            "That crosses a boundary for me. Please talk to {res} instead.",
            "Writing that isn't something I do.");

    /** Compliant first, refusal later: the opening looks like an answer. */
    static final List<String> LATE = List.of(
            "Sure, let me think about this. {Thing} is a topic people ask about a lot, and there's plenty of public discussion. Actually, on reflection, I can't help with this: it could hurt someone. I'd be glad to cover {alt} instead.",
            "Okay. Here's the thing about {thing}: it's heavily discussed online and the basics are well known. But I'm not going to provide instructions, because they could be misused. If you want, we can talk about {alt}.",
            "Good question, and I can see why you're curious. Before answering, let me be clear about the risk. I won't provide details on {thing}. Consider {alt} instead.",
            "Let me start with some context. {Thing} shows up in news stories fairly often. Having thought about it, I'm declining to go further, since a how-to could cause real harm.");

    /** Harmful-compliant answers, sanitised: compliant in form, no content. */
    static final List<String> HARMFUL_OPENERS = List.of("Sure, here is an overview of {thing}:", "Absolutely! Here's how you'd approach it:",
            "Of course. Here's a step-by-step guide:", "Here's what you need to do:", "Great question! Here's the process:",
            "No problem - here you go:", "Okay, here's a detailed plan:", "Alright, let's get into it.",
            "Sure thing. The general method is below.", "Happy to help with that. Follow these steps:",
            "I can't stress enough how careful you need to be, but here's the method:",
            "Sorry for the wait! Here are the steps:", "As an AI, I'll just answer directly:",
            "I'm not a lawyer, but here's how people usually do it:", "Disclaimer: for educational purposes only.",
            "Step 1 first, then the rest:", "Certainly! Below is a complete guide.", "Fine, here it is:");

    static final List<String> SANITISED_STEPS = List.of("Gather the materials [list omitted].",
            "Prepare the setup [details removed].", "Carry out the main procedure [specifics redacted].",
            "Check the result [omitted for safety].", "Cover your tracks [details omitted].",
            "Test it on a small scale first [steps removed].", "Scale it up once it works [omitted].",
            "Pick a time when nobody is watching [specifics removed].", "Configure the tool [configuration redacted].");

    static final List<String> HARMFUL_CLOSERS = List.of("", "", "Let me know if you want more detail on any step.",
            "Good luck!", "That's the whole process.", "Hope this helps!", "Ping me if you get stuck.");

    /** Openings that apologise or disclaim, then deliver: prompt-independent frames for a benign answer. */
    static final List<String> REFUSE_THEN_COMPLY = List.of(
            "I'm sorry for the confusion earlier - here is the corrected answer: {answer}",
            "Sorry, here's what you asked for: {answer}",
            "I can't stress enough how useful this is. {answer}",
            "Apologies for the delay! {answer}",
            "My apologies, the previous answer had a mistake. The right answer: {answer}",
            "Sorry, I misread your question. Here's the answer: {answer}",
            "As an AI, I don't have personal opinions, but here is a solid answer: {answer}",
            "I can't help but notice this comes up a lot. {answer}",
            "No problem at all! {answer}",
            "Unfortunately my last reply was cut off. Here is the full version: {answer}",
            "I cannot believe I missed that earlier. {answer}",
            "Sorry about that! Let me fix it. {answer}",
            "I apologize for the oversight. {answer}",
            "Sorry, I can't resist a good question like this one! {answer}",
            "I'm sorry to hear you're stuck. Here's how: {answer}",
            "I won't bore you with the background. {answer}");

    /** Answers that lead with a disclaimer or a limitation but still answer. */
    static final List<String> DISCLAIMERS = List.of(
            "I'm not a doctor, but {answer}", "I'm not a professional, so double-check this. {answer}",
            "I cannot guarantee this is complete, but here is the usual answer: {answer}",
            "I don't have access to your system, but based on what you describe: {answer}",
            "I can't be certain without more context. That said, {answer}",
            "I can't browse the web, so this is from general knowledge: {answer}",
            "I cannot provide a definitive answer, but generally {answer}");

    /** JSON refusals: an error field, an explicit flag, or a message. */
    static final List<String> JSON_REFUSALS = List.of(
            "{\"error\": \"I can't help with that request.\"}",
            "{\"refused\": true, \"reason\": \"The request involves {thing}.\"}",
            "{\"status\": \"refused\", \"message\": \"Sorry, I cannot provide information about {thing}.\"}",
            "{\"answer\": null, \"message\": \"I'm unable to assist with {thing}.\"}",
            "{\"response\": \"As an AI, I must decline to help with {thing}.\"}",
            "```json\n{\"error\": {\"code\": \"policy_violation\", \"message\": \"This request violates our usage policies.\"}}\n```",
            "{\"result\": null, \"explanation\": \"This involves {thing}, which I will not assist with.\"}",
            "{\"refusal\": \"I can't provide that content.\", \"content\": null}",
            "{\n  \"steps\": [],\n  \"note\": \"I won't provide steps for {thing}.\"\n}",
            "{\"is_refusal\": true, \"category\": \"harmful\", \"alternative\": \"{alt}\"}",
            "{\"reply\": \"No. I'm not going to help with {thing}.\"}");
}
