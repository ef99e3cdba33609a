package io.kubenexus.scheduler.sim.importer;

/**
 * A cluster or workload file that cannot be read as documented. The message names the file and,
 * where it can, the line and the column or field: {@code pods.csv: line 7: num_gpu: must not be
 * negative, was -1}. Nothing of a file with an error is used.
 */
public final class ImportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }

    static ImportException at(String source, int line, String field, String problem) {
        return new ImportException(source + ": line " + line + (field == null ? "" : ": " + field) + ": " + problem);
    }
}
