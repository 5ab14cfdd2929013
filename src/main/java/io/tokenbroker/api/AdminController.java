package io.tokenbroker.api;

import io.tokenbroker.connection.Reencryption;
import io.tokenbroker.security.RequiresScope;
import io.tokenbroker.security.Scopes;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Deployment-wide maintenance, for tokens with the {@code broker:operator} scope. */
@RestController
class AdminController {

	private final Reencryption reencryption;

	AdminController(Reencryption reencryption) {
		this.reencryption = reencryption;
	}

	/** Re-encrypts every stored token under the current primary key (run after adding a new primary key). */
	@RequiresScope(Scopes.OPERATOR)
	@PostMapping("/admin/re-encrypt")
	Reencryption.Report reencrypt() {
		return this.reencryption.reencryptAll();
	}

}
