package io.tokenbroker.connector;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/** Connectors in use have no {@code disabledAt}; removed ones keep theirs until they are purged. */
interface ConnectorRepository extends JpaRepository<Connector, String> {

	/** In use or removed: the (app, type) slot is the same. */
	Optional<Connector> findByAppIdAndIntegrationType(String appId, String integrationType);

	Optional<Connector> findByAppIdAndIntegrationTypeAndDisabledAtIsNull(String appId, String integrationType);

	Optional<Connector> findByAppIdAndIdAndDisabledAtIsNull(String appId, String id);

	List<Connector> findByAppIdAndDisabledAtIsNullOrderByIntegrationType(String appId);

	List<Connector> findByPurgeAfterLessThanEqualOrderByPurgeAfter(Instant now, Limit limit);

	/** Takes a due purge for this replica by moving its deadline; false when another replica took it first. */
	@Modifying
	@Query("update Connector c set c.purgeAfter = :until where c.id = :id and c.purgeAfter = :expected")
	int claimPurge(String id, Instant expected, Instant until);

}
