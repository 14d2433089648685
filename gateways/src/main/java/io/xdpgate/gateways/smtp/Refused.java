package io.xdpgate.gateways.smtp;

/** What the client sent cannot reach the server: the reply the gateway answers in its place. */
final class Refused extends Exception {
    final SmtpRefusal refusal;

    Refused(SmtpRefusal refusal) {
        super(refusal.text(), null, false, false);
        this.refusal = refusal;
    }
}
