package io.xdpgate.gateways.smtp;

/**
 * What the server's next reply in turn will answer: the greeting, a command, the end of a
 * message's text, or a SASL response line. Replies come in the order of what they answer
 * (RFC 2920 3.2), so the gateway keeps these in a queue.
 *
 * @param verb        the command, null for the greeting, DATA for the end of its text, AUTH for
 *                    a SASL response line
 * @param step        which of these it is
 * @param transaction the mail transaction the command belongs to (a refused MAIL ends only its own)
 */
record Awaiting(Step step, SmtpVerb verb, int transaction) {
    enum Step { GREETING, COMMAND, MESSAGE_END, SASL_RESPONSE }

    static Awaiting greeting() {
        return new Awaiting(Step.GREETING, null, 0);
    }

    /** Nothing may follow before this reply (RFC 2920 3.1): the client must see it first. */
    boolean groupEnd() {
        switch (step) {
            case COMMAND:
                return verb.groupEnd;
            case MESSAGE_END:
                return false;
            default:
                return true;
        }
    }

    /** How a refusal names it: "the greeting", "the reply to DATA". */
    String describe() {
        switch (step) {
            case GREETING:
                return "the server's greeting";
            case MESSAGE_END:
                return "the reply to the message";
            case SASL_RESPONSE:
                return "the reply to the AUTH response";
            default:
                return "the reply to " + verb;
        }
    }
}
