package ai.kaaj.ingest;

import java.util.Locale;

/** Checks shared by every upload path: names, file names, sizes. */
public final class Uploads {

    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_FILE_NAME_LENGTH = 255;

    private Uploads() {
    }

    /** A trimmed display name, or 400 naming the field. */
    public static String name(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new RejectedInput(400, field + " is required");
        }
        String trimmed = value.strip();
        if (trimmed.length() > MAX_NAME_LENGTH) {
            throw new RejectedInput(400, field + " is " + trimmed.length() + " characters long; the limit is "
                    + MAX_NAME_LENGTH);
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new RejectedInput(400, field + " must not contain control characters");
        }
        return trimmed;
    }

    /** The client's file name, refused when it tries to name a path. */
    public static String fileName(String value) {
        if (value == null || value.isBlank()) {
            throw new RejectedInput(400, "file is required (a multipart part named 'file' with a file name)");
        }
        String name = value.strip();
        if (name.contains("/") || name.contains("\\") || name.contains("..") || name.startsWith(".")
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new RejectedInput(400, "file name '" + printable(name) + "' is not allowed: it must be a plain "
                    + "file name without path separators, '..', a leading dot or control characters (newline, CR)");
        }
        if (name.length() > MAX_FILE_NAME_LENGTH) {
            throw new RejectedInput(400, "file name is " + name.length() + " characters long; the limit is "
                    + MAX_FILE_NAME_LENGTH);
        }
        return name;
    }

    public static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    public static void checkSize(String fileName, long size, long maxBytes) {
        if (size == 0) {
            throw new RejectedInput(400, fileName + " is empty");
        }
        if (size > maxBytes) {
            throw new RejectedInput(413, fileName + " is " + megabytes(size) + " MB; the limit is "
                    + megabytes(maxBytes) + " MB (KAAJ_MAX_UPLOAD_MB)");
        }
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }

    private static String printable(String name) {
        String shown = name.length() > 80 ? name.substring(0, 80) + "…" : name;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
