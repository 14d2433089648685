package io.xdpgate.gateways.smtp;

import java.util.Set;

/**
 * The dialog as the commands and replies so far left it (RFC 5321 3.3, 4.1.4): greeted by EHLO
 * or HELO, the extensions the server's EHLO reply offered, and the mail transaction under way.
 * The transaction follows the client's commands as they are sent (a pipelined group is judged
 * before its replies), and is undone when the server refuses the MAIL that began it.
 */
final class SmtpState {
    private boolean greeted;
    private Set<String> extensions = Set.of();
    private boolean authenticated;
    private int transaction;
    private boolean inTransaction;
    private boolean binaryBody;
    private int recipients;
    private boolean recipientSent;
    private boolean chunked;
    private MessageText chunks;

    /** An EHLO (with the keywords its reply offered) or HELO (none) was accepted. */
    void greeted(Set<String> offered) {
        greeted = true;
        extensions = Set.copyOf(offered);
    }

    boolean greeted() {
        return greeted;
    }

    /** The server's EHLO reply offered {@code keyword} (upper case), e.g. PIPELINING. */
    boolean offers(String keyword) {
        return extensions.contains(keyword);
    }

    void authenticated() {
        authenticated = true;
    }

    boolean isAuthenticated() {
        return authenticated;
    }

    void beginTransaction(boolean binary) {
        transaction++;
        inTransaction = true;
        binaryBody = binary;
        recipients = 0;
        recipientSent = false;
        chunked = false;
        chunks = null;
    }

    /** RSET, EHLO, HELO or the end of a message (RFC 5321 4.1.1.5, 4.1.4). */
    void endTransaction() {
        inTransaction = false;
        recipients = 0;
        recipientSent = false;
        chunked = false;
        chunks = null;
    }

    int transaction() {
        return transaction;
    }

    boolean inTransaction() {
        return inTransaction;
    }

    /** The server refused the MAIL of {@code which}: if it is still the current one, it never began. */
    void mailRefused(int which) {
        if (which == transaction) {
            endTransaction();
        }
    }

    void recipientAdded() {
        recipients++;
        recipientSent = true;
    }

    /** The server refused a recipient of {@code which}: it does not count against the limit. */
    void recipientRefused(int which) {
        if (which == transaction && recipients > 0) {
            recipients--;
        }
    }

    /** Recipients counted against the limit: those sent, less those the server refused (as Postfix counts). */
    int recipients() {
        return recipients;
    }

    /**
     * A RCPT was sent in this transaction. DATA and BDAT need one, not an accepted one: a pipelining
     * client sends DATA before it reads the RCPT replies, and the server's own refusal of DATA
     * (554, no valid recipients) is what it must get, not a reset.
     */
    boolean recipientSent() {
        return recipientSent;
    }

    boolean binaryBody() {
        return binaryBody;
    }

    boolean chunked() {
        return chunked;
    }

    /** The transaction's BDAT text, begun at its first BDAT. */
    MessageText chunks(long maxSize) {
        if (chunks == null) {
            chunked = true;
            chunks = MessageText.chunks(binaryBody, maxSize);
        }
        return chunks;
    }
}
