package io.tokenbroker.limits;

/**
 * Names one token bucket: a route group's limit of one caller ({@code caller} = the token's subject) or of a whole
 * app ({@code caller} = null).
 */
record BucketKey(String group, String scope, String app, String caller) {

	static BucketKey ofCaller(String group, String app, String caller) {
		return new BucketKey(group, "caller", app, caller);
	}

	static BucketKey ofApp(String group, String app) {
		return new BucketKey(group, "app", app, null);
	}

}
