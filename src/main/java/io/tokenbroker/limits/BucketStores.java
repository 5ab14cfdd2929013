package io.tokenbroker.limits;

import java.sql.DatabaseMetaData;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * Rate limits are shared through PostgreSQL, the production database, so that N replicas allow the configured
 * budget and not N times it. On H2 (dev mode, a single process) they stay in memory.
 */
@Configuration(proxyBeanMethods = false)
class BucketStores {

	@Bean
	BucketStore rateLimitBuckets(DataSource dataSource, LimitsSyncProperties sync) throws MetaDataAccessException {
		return onPostgreSql(dataSource) ? new SharedBuckets(new ConsumptionTable(dataSource), sync) : new LocalBuckets();
	}

	@Bean
	BucketSync rateLimitSync(BucketStore buckets, LimitsSyncProperties sync) {
		return new BucketSync(buckets, sync);
	}

	private static boolean onPostgreSql(DataSource dataSource) throws MetaDataAccessException {
		String database = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
		return "PostgreSQL".equals(database);
	}

}
