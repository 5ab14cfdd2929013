package io.tokenbroker;

import java.time.Clock;

import io.tokenbroker.crypto.Keysets;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableFeignClients
@EnableScheduling
public class BrokerApplication {

	public static void main(String[] args) {
		// Key tools run without starting the server: print a new keyset, or the given keyset with a new primary key.
		if (args.length == 1 && "generate-keyset".equals(args[0])) {
			System.out.println(Keysets.generateJson());
			return;
		}
		if (args.length == 1 && "rotate-keyset".equals(args[0])) {
			System.out.println(Keysets.rotateJson(new String(readStdin(), java.nio.charset.StandardCharsets.UTF_8)));
			return;
		}
		// The JDK's HTTP client under the provider calls keeps 5 idle connections per host unless told otherwise: a
		// refresher running more calls than that against one provider would open and close a TCP connection for most
		// of them (and leave as many sockets in TIME_WAIT). An operator's own -Dhttp.maxConnections still wins.
		if (System.getProperty("http.maxConnections") == null) {
			System.setProperty("http.maxConnections", "256");
		}
		SpringApplication.run(BrokerApplication.class, args);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	private static byte[] readStdin() {
		try {
			return System.in.readAllBytes();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
