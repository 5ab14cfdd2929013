package io.tokenbroker.connection;

/** A connection the background refresher has claimed, with the provider type its refresh will call. */
public record DueConnection(String id, String provider) {
}
