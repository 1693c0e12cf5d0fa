package org.nmt4j.serve.server;

/** A request the server refuses with 400: the message says what is wrong with it. */
final class BadRequestException extends Exception {

    BadRequestException(String message) {
        super(message);
    }
}
