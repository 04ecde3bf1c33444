package ai.kaaj.ingest;

import ai.kaaj.documents.DocumentException;
import ai.kaaj.documents.PdfText;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.engine.StepDefinition;
import ai.kaaj.engine.Workflows;
import ai.kaaj.extraction.ApplicationValidator;
import ai.kaaj.store.ApplicationStore;
import ai.kaaj.store.ApplicationStore.ApplicationRow;
import ai.kaaj.store.DocumentStore;
import ai.kaaj.store.DocumentStore.StoredDocument;
import ai.kaaj.store.RunStore;
import ai.kaaj.store.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Stores a loan application (JSON fields, or a PDF form whose fields the workflow reads) and queues
 * its matching, in one transaction. Bad input is refused before anything is written.
 */
public final class ApplicationIngest {

    public record Accepted(long applicationId, UUID runId, boolean duplicate) {
    }

    private final Sql sql;
    private final ApplicationStore applications;
    private final DocumentStore documents;
    private final RunStore runs;
    private final long maxUploadBytes;
    private final Clock clock;

    public ApplicationIngest(Sql sql, ApplicationStore applications, DocumentStore documents, RunStore runs,
                             long maxUploadBytes, Clock clock) {
        this.sql = sql;
        this.applications = applications;
        this.documents = documents;
        this.runs = runs;
        this.maxUploadBytes = maxUploadBytes;
        this.clock = clock;
    }

    public Accepted json(String body) {
        LoanApplication application = parse(body, LocalDate.now(clock));
        String json = Json.write(application);
        return sql.inTransaction(c -> {
            long id = applications.create(c, json, "json", null);
            return new Accepted(id, queue(c, id), false);
        });
    }

    public Accepted pdf(String clientFileName, byte[] content) {
        String fileName = Uploads.fileName(clientFileName);
        Uploads.checkSize(fileName, content.length, maxUploadBytes);
        if (!"pdf".equals(Uploads.extension(fileName)) || !PdfText.looksLikePdf(content)) {
            throw new RejectedInput(415, fileName + " is not a PDF; send a PDF credit application, or the "
                    + "application as JSON to POST /api/applications");
        }
        try {
            PdfText.check(content, fileName);
        } catch (DocumentException e) {
            throw new RejectedInput(422, e.getMessage());
        }
        return sql.inTransaction(c -> {
            StoredDocument document = documents.store(c, "application", null, fileName, "application/pdf", content);
            if (!document.created()) {
                Optional<ApplicationRow> existing = applications.findByDocument(c, document.id());
                if (existing.isPresent() && existing.get().lastRunId() != null) {
                    return new Accepted(existing.get().id(), existing.get().lastRunId(), true);
                }
            }
            long id = applications.create(c, null, "pdf", document.id());
            return new Accepted(id, queue(c, id), false);
        });
    }

    /** Matches the application again against the lenders active now. */
    public Accepted rematch(long applicationId) {
        ApplicationRow application = applications.find(applicationId)
                .orElseThrow(() -> new RejectedInput(404, "application " + applicationId + " not found"));
        return sql.inTransaction(c -> new Accepted(application.id(), queue(c, application.id()), false));
    }

    private UUID queue(Connection c, long applicationId) throws SQLException {
        UUID runId = runs.create(c, Workflows.LOAN_MATCHING.name(), Workflows.LOAN_APPLICATION_UPLOADED,
                "{\"application_id\":" + applicationId + "}",
                Workflows.LOAN_MATCHING.steps().stream().map(StepDefinition::name).toList());
        applications.startMatching(c, applicationId, runId);
        return runId;
    }

    /** The application from JSON, checked and normalised, or 400 (shape) / 422 (values) naming the fields. */
    public static LoanApplication parse(String body, LocalDate today) {
        LoanApplication application = RequestJson.as("the application", RequestJson.object("the application", body),
                LoanApplication.class);
        List<String> errors = ApplicationValidator.validate(application, today);
        if (!errors.isEmpty()) {
            throw new RejectedInput(422, "the application is not valid: " + String.join("; ", errors));
        }
        return ApplicationValidator.normalise(application);
    }
}
