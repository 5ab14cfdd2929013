package io.tokenbroker.audit;

/** A stored audit event with its position in the trail ({@code id} grows with every insert). */
public record AuditRecord(long id, AuditEvent event) {
}
