<?php
/**
 * A full sync's next postmeta query, sent ahead on a second database connection.
 *
 * A batch's reads run PHP and MariaDB in turn, and half of MariaDB's share is one query: the
 * postmeta rows of 500 products and their variations (WordPress indexes postmeta by post_id
 * only, so it visits every meta row of those posts). Sent while PHP builds the previous batch's
 * rows, it runs on the other core. Only batches of one job share it (CatalogSync): the job ends
 * with release(), and its first batch reads cold. A batch the read window holds (ReadWindow) has
 * its meta in memory already; for it, the posts query is sent ahead instead (start_posts()).
 *
 * Only with core's wpdb on mysqli: with a database drop-in, or when the second connection does
 * not open (a host that limits connections), every batch reads as before.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Catalog;

defined( 'ABSPATH' ) || exit;

final class ReadAhead {

	private ?\mysqli $conn = null;

	/** Set once connecting or sending failed: this process reads without read-ahead from then on. */
	private bool $off = false;

	/** A query sent and not yet reaped (the connection takes no other until it is). */
	private bool $in_flight = false;

	/** @var array{key: string, kind: string, variations?: array}|null What was sent ('meta' or 'posts'), for which ids. */
	private ?array $pending = null;

	/** Reads the variations of $ids now and sends their postmeta query, not waiting for it. */
	public function start( array $ids ): void {
		$this->reap();
		$this->pending = null;
		$ids           = self::normalize( $ids );
		$conn          = $ids ? $this->connection() : null;
		if ( null === $conn ) {
			return;
		}
		$in         = implode( ',', $ids );
		$variations = WooAdapter::variation_rows( $in );
		$var_in     = implode( ',', array_map( static fn ( $r ) => (int) $r[0], $variations ) );
		if ( ! $this->send( WooAdapter::meta_sql( $in, $var_in ) ) ) {
			return;
		}
		$this->pending = array(
			'key'        => $in,
			'kind'       => 'meta',
			'variations' => $variations,
		);
	}

	/** Sends the posts query of $ids (WooAdapter::posts_sql()), not waiting for it. */
	public function start_posts( array $ids ): void {
		$this->reap();
		$this->pending = null;
		$in            = implode( ',', self::normalize( $ids ) );
		if ( '' !== $in && $this->send( WooAdapter::posts_sql( $in ) ) ) {
			$this->pending = array(
				'key'  => $in,
				'kind' => 'posts',
			);
		}
	}

	/**
	 * The posts start_posts() sent for exactly these ids, as the objects wpdb makes; null when
	 * none were sent for them or the query failed (the caller reads them itself).
	 */
	public function take_posts( array $ids ): ?array {
		$pending = $this->pending;
		if ( null === $pending || 'posts' !== $pending['kind'] || implode( ',', self::normalize( $ids ) ) !== $pending['key'] ) {
			return null;
		}
		$this->pending = null;
		$res           = $this->result();
		if ( null === $res ) {
			return null;
		}
		$posts = array();
		while ( $o = $res->fetch_object() ) { // phpcs:ignore
			$posts[] = $o;
		}
		$res->free();
		return $posts;
	}

	/**
	 * What start() read for exactly these ids: their variation rows, and a function that waits
	 * for the postmeta rows (null if that query failed: the caller reads them itself).
	 *
	 * @return array{variations: array, meta: callable(): ?array}|null
	 */
	public function take( array $ids ): ?array {
		$pending       = $this->pending;
		$this->pending = null;
		if ( null === $pending || 'meta' !== $pending['kind'] || implode( ',', self::normalize( $ids ) ) !== $pending['key'] ) {
			return null; // Another batch (the store changed in between): the next start() reaps it.
		}
		return array(
			'variations' => $pending['variations'],
			'meta'       => fn () => $this->reap(),
		);
	}

	/** Sends $sql on the second connection and returns at once; false when it cannot be sent. */
	private function send( string $sql ): bool {
		$conn = $this->connection();
		if ( null === $conn ) {
			return false;
		}
		try {
			$sent = false !== $conn->query( $sql, MYSQLI_ASYNC ); // phpcs:ignore WordPress.DB
		} catch ( \mysqli_sql_exception $e ) {
			$sent = false;
		}
		if ( ! $sent ) {
			$this->close();
			return false;
		}
		$this->in_flight = true;
		return true;
	}

	/** The result of the query in flight, once; null when none is or it failed. */
	private function result(): ?\mysqli_result {
		if ( ! $this->in_flight || null === $this->conn ) {
			return null;
		}
		$this->in_flight = false;
		try {
			$res = $this->conn->reap_async_query();
		} catch ( \mysqli_sql_exception $e ) {
			$res = false;
		}
		if ( ! ( $res instanceof \mysqli_result ) ) {
			$this->close();
			return null;
		}
		global $wpdb;
		++$wpdb->num_queries;
		return $res;
	}

	/** The sent query's rows, once; null when none is in flight or it failed. */
	private function reap(): ?array {
		$res = $this->result();
		if ( null === $res ) {
			return null;
		}
		$rows = $res->fetch_all( MYSQLI_NUM );
		$res->free();
		return $rows;
	}

	private function connection(): ?\mysqli {
		global $wpdb;
		if ( null !== $this->conn || $this->off ) {
			return $this->conn;
		}
		if ( null === WooAdapter::core_mysqli() ) {
			$this->off = true;
			return null;
		}
		// As wpdb::db_connect() connects, with the site's own credentials and client flags.
		$host_data = $wpdb->parse_db_host( $wpdb->dbhost );
		if ( ! $host_data ) {
			$this->off = true;
			return null;
		}
		list( $host, $port, $socket, $is_ipv6 ) = $host_data;
		if ( $is_ipv6 && extension_loaded( 'mysqlnd' ) ) {
			$host = "[$host]";
		}
		$conn = mysqli_init();
		try {
			// phpcs:ignore WordPress.PHP.NoSilencedErrors -- a refused connection only turns read-ahead off.
			$ok = $conn && @mysqli_real_connect( $conn, $host, $wpdb->dbuser, $wpdb->dbpassword, $wpdb->dbname, $port ? (int) $port : null, $socket, defined( 'MYSQL_CLIENT_FLAGS' ) ? MYSQL_CLIENT_FLAGS : 0 );
			$ok = $ok && ( ! $wpdb->charset || mysqli_set_charset( $conn, $wpdb->charset ) );
		} catch ( \mysqli_sql_exception $e ) {
			$ok = false;
		}
		if ( ! $ok ) {
			$this->off = true;
			return null;
		}
		$this->conn = $conn;
		return $conn;
	}

	/**
	 * Drops what was read ahead and closes the second connection (the next start() opens it
	 * again): a PHP-FPM worker lives on after the sync's job and should not hold an idle
	 * connection against the server's max_connections.
	 */
	public function release(): void {
		$this->reap();
		$this->pending = null;
		$this->disconnect();
	}

	/** After a failed send or reap: this process reads without read-ahead from then on. */
	private function close(): void {
		$this->disconnect();
		$this->off = true;
	}

	private function disconnect(): void {
		if ( null !== $this->conn ) {
			try {
				$this->conn->close();
			} catch ( \Throwable $e ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement -- closing a broken connection.
			}
		}
		$this->conn      = null;
		$this->in_flight = false;
	}

	/** @return int[] */
	private static function normalize( array $ids ): array {
		return array_values( array_unique( array_filter( array_map( 'intval', $ids ) ) ) );
	}
}
