package io.tokenbroker.connector;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

interface ConnectorRepository extends JpaRepository<Connector, String> {

	Optional<Connector> findByAppIdAndIntegrationType(String appId, String integrationType);

	Optional<Connector> findByAppIdAndId(String appId, String id);

	List<Connector> findByAppIdOrderByIntegrationType(String appId);

}
