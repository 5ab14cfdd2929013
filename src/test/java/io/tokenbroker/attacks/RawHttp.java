package io.tokenbroker.attacks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes the JDK's HTTP client refuses to send (a forged Host, CR/LF in header values, invalid UTF-8) and reads
 * the raw answer.
 */
final class RawHttp {

	private RawHttp() {
	}

	static String exchange(int port, String request) {
		return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
	}

	static String exchange(int port, byte[] request) {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request);
			out.flush();
			socket.shutdownOutput();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			try {
				for (int n; (n = in.read(buffer)) >= 0;) {
					answer.write(buffer, 0, n);
				}
			}
			catch (SocketTimeoutException ex) {
				// Keep what arrived.
			}
			return answer.toString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The status code of a raw answer, or 0 when the server closed without answering. */
	static int status(String answer) {
		if (!answer.startsWith("HTTP/1.1 ")) {
			return 0;
		}
		return Integer.parseInt(answer.substring(9, 12));
	}

}
