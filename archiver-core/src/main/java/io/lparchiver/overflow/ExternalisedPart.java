package io.lparchiver.overflow;

/**
 * One part moved out of an email.
 *
 * @param fileName the part's file name in the email
 * @param contentType its MIME type
 * @param file where its decoded bytes are stored
 */
public record ExternalisedPart(String fileName, String contentType, StoredFile file) {}
