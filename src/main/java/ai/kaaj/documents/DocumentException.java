package ai.kaaj.documents;

import ai.kaaj.engine.StepFailure;

/** A document that cannot be read as it is (corrupt, encrypted, not a PDF): retrying will not help. */
public class DocumentException extends StepFailure {

    public DocumentException(String message) {
        super(message);
    }
}
