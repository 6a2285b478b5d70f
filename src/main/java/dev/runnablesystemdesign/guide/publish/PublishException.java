package dev.runnablesystemdesign.guide.publish;

/** A publish that cannot go on, told in one line (never with a credential in it). */
public final class PublishException extends RuntimeException {

    public PublishException(String message) {
        super(message);
    }

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first line of a library's message: enough to act on, where the rest repeats it at length. */
    static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
