package io.tokenbroker.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ports for brokers that must know their own port before they start (the public URL names it). A port is free when
 * asked for and bound a moment later; the suite runs on two threads, so the operating system may offer the same port
 * to both in between. Each port is therefore handed out once per test JVM.
 */
public final class FreePorts {

	private static final Set<Integer> issued = ConcurrentHashMap.newKeySet();

	private FreePorts() {
	}

	/** A port free now and never handed out before in this JVM. */
	public static int next() {
		while (true) {
			int port = probe();
			if (issued.add(port)) {
				return port;
			}
		}
	}

	private static int probe() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
