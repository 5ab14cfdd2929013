package io.tokenbroker.connection;

import java.time.Instant;

/** How many active connections are due for refresh, and since when the oldest one is (null when none is due). */
public record RefreshBacklog(long due, Instant oldestDue) {
}
