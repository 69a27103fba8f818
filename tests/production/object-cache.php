<?php
/**
 * The production stack's persistent object cache (wp-content/object-cache.php), over Redis with
 * Debian's php-redis. Small on purpose: what a store's Redis drop-in does, written here because
 * the tests may only use Debian packages.
 *
 * - Integers are stored as plain numbers, so wp_cache_incr()/decr() are Redis INCRBY: atomic
 *   across every PHP-FPM worker and web node (Aisle's rate limiter counts on that). Everything
 *   else is serialize()d.
 * - incr/decr of a key that is not there return false, as WordPress's own cache does; a Lua
 *   script checks and increments in one step, so a key that expires in between is never
 *   re-created without its expiry.
 * - Fails open: when Redis cannot be reached (at connect or on any later call) this request goes
 *   on with a per-request memory cache and wp_using_ext_object_cache(false), so transients go to
 *   the database again and nothing that needs the cache to persist is lost.
 *
 * Configured by AISLE_REDIS_HOST / AISLE_REDIS_PORT (wp-config.php); keys are prefixed with
 * DB_NAME and the table prefix, and per site on a multisite network.
 */

defined( 'ABSPATH' ) || exit;

function wp_cache_init() {
	$GLOBALS['wp_object_cache'] = new WP_Object_Cache();
}

function wp_cache_add( $key, $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->add( $key, $data, $group, (int) $expire );
}

function wp_cache_replace( $key, $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->replace( $key, $data, $group, (int) $expire );
}

function wp_cache_set( $key, $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->set( $key, $data, $group, (int) $expire );
}

function wp_cache_get( $key, $group = '', $force = false, &$found = null ) {
	return $GLOBALS['wp_object_cache']->get( $key, $group, $force, $found );
}

function wp_cache_get_multiple( $keys, $group = '', $force = false ) {
	return $GLOBALS['wp_object_cache']->get_multiple( $keys, $group, $force );
}

function wp_cache_delete( $key, $group = '' ) {
	return $GLOBALS['wp_object_cache']->delete( $key, $group );
}

function wp_cache_incr( $key, $offset = 1, $group = '' ) {
	return $GLOBALS['wp_object_cache']->incr( $key, (int) $offset, $group );
}

function wp_cache_decr( $key, $offset = 1, $group = '' ) {
	return $GLOBALS['wp_object_cache']->incr( $key, -(int) $offset, $group );
}

function wp_cache_flush() {
	return $GLOBALS['wp_object_cache']->flush();
}

function wp_cache_flush_runtime() {
	return $GLOBALS['wp_object_cache']->flush_runtime();
}

function wp_cache_flush_group( $group ) {
	return $GLOBALS['wp_object_cache']->flush_group( $group );
}

function wp_cache_supports( $feature ) {
	return in_array( $feature, array( 'get_multiple', 'flush_runtime', 'flush_group' ), true );
}

function wp_cache_close() {
	return true;
}

function wp_cache_add_global_groups( $groups ) {
	$GLOBALS['wp_object_cache']->add_global_groups( (array) $groups );
}

function wp_cache_add_non_persistent_groups( $groups ) {
	$GLOBALS['wp_object_cache']->add_non_persistent_groups( (array) $groups );
}

function wp_cache_switch_to_blog( $blog_id ) {
	$GLOBALS['wp_object_cache']->switch_to_blog( (int) $blog_id );
}

function wp_cache_reset() {
	$GLOBALS['wp_object_cache']->flush_runtime();
}

final class WP_Object_Cache {

	// Read by WordPress's debug tools and by the tests (a request that saw Redis fail).
	public int $cache_hits   = 0;
	public int $cache_misses = 0;
	public int $failures     = 0;

	private ?Redis $redis = null;
	private array $local  = array();
	private array $global_groups         = array();
	private array $non_persistent_groups = array();
	private string $prefix;
	private string $blog = '';

	private const INCR = "if redis.call('exists', KEYS[1]) == 0 then return false end local v = redis.call('incrby', KEYS[1], ARGV[1]) if v < 0 then redis.call('set', KEYS[1], 0, 'KEEPTTL') return 0 end return v";

	public function __construct() {
		global $table_prefix;
		$this->prefix = ( defined( 'WP_CACHE_KEY_SALT' ) ? WP_CACHE_KEY_SALT : DB_NAME . ':' . $table_prefix ) . ':';
		if ( is_multisite() ) {
			$this->blog = get_current_blog_id() . ':';
		}
		if ( ! class_exists( 'Redis' ) ) {
			$this->down();
			return;
		}
		try {
			$redis = new Redis();
			$host  = defined( 'AISLE_REDIS_HOST' ) ? AISLE_REDIS_HOST : '127.0.0.1';
			$port  = defined( 'AISLE_REDIS_PORT' ) ? (int) AISLE_REDIS_PORT : 6379;
			// Short timeouts: a Redis that hangs must cost a request milliseconds, not seconds.
			if ( ! @$redis->connect( $host, $port, 0.5, null, 0, 1.0 ) ) { // phpcs:ignore -- a refused connection is handled, not warned about.
				$this->down();
				return;
			}
			$this->redis = $redis;
		} catch ( RedisException $e ) {
			$this->down();
		}
	}

	/** Redis is gone for the rest of this request: memory only, transients back in the database. */
	private function down(): void {
		++$this->failures;
		$this->redis = null;
		if ( function_exists( 'wp_using_ext_object_cache' ) ) {
			wp_using_ext_object_cache( false );
		}
	}

	private function group( $group ): string {
		return ( '' === (string) $group ) ? 'default' : (string) $group;
	}

	private function persistent( string $group ): bool {
		return null !== $this->redis && ! isset( $this->non_persistent_groups[ $group ] );
	}

	private function key( $key, string $group ): string {
		return $this->prefix . ( isset( $this->global_groups[ $group ] ) ? '' : $this->blog ) . $group . ':' . $key;
	}

	private static function encode( $data ) {
		return is_int( $data ) ? $data : serialize( $data ); // phpcs:ignore -- the cache's own storage format.
	}

	private static function decode( string $raw ) {
		return preg_match( '/^-?\d+$/', $raw ) ? (int) $raw : unserialize( $raw ); // phpcs:ignore -- written by encode().
	}

	private static function copy( $data ) {
		return is_object( $data ) ? clone $data : $data;
	}

	/** Runs a Redis call; on a Redis error marks the cache down and returns $fallback. */
	private function call( callable $fn, $fallback = false ) {
		try {
			return $fn( $this->redis );
		} catch ( RedisException $e ) {
			$this->down();
			return $fallback;
		}
	}

	private function write( $key, $data, string $group, int $expire, ?string $mode ): bool {
		$k = (string) $key;
		if ( $this->persistent( $group ) ) {
			$options = array();
			if ( $mode ) {
				$options[] = $mode;
			}
			if ( $expire > 0 ) {
				$options['ex'] = $expire;
			}
			$value = self::encode( $data );
			$ok    = $this->call( fn ( Redis $r ) => $options ? $r->set( $this->key( $k, $group ), $value, $options ) : $r->set( $this->key( $k, $group ), $value ), null );
			if ( false === $ok ) {
				return false; // NX/XX refused.
			}
		} elseif ( 'nx' === $mode && array_key_exists( $k, $this->local[ $group ] ?? array() ) ) {
			return false;
		} elseif ( 'xx' === $mode && ! array_key_exists( $k, $this->local[ $group ] ?? array() ) ) {
			return false;
		}
		$this->local[ $group ][ $k ] = self::copy( $data );
		return true;
	}

	public function add( $key, $data, $group, int $expire ): bool {
		if ( wp_suspend_cache_addition() ) {
			return false;
		}
		$group = $this->group( $group );
		if ( array_key_exists( (string) $key, $this->local[ $group ] ?? array() ) ) {
			return false;
		}
		return $this->write( $key, $data, $group, $expire, 'nx' );
	}

	public function replace( $key, $data, $group, int $expire ): bool {
		return $this->write( $key, $data, $this->group( $group ), $expire, 'xx' );
	}

	public function set( $key, $data, $group, int $expire ): bool {
		return $this->write( $key, $data, $this->group( $group ), $expire, null );
	}

	public function get( $key, $group, bool $force = false, &$found = null ) {
		$group = $this->group( $group );
		$k     = (string) $key;
		if ( ( ! $force || ! $this->persistent( $group ) ) && array_key_exists( $k, $this->local[ $group ] ?? array() ) ) {
			$found = true;
			++$this->cache_hits;
			return self::copy( $this->local[ $group ][ $k ] );
		}
		$raw = $this->persistent( $group ) ? $this->call( fn ( Redis $r ) => $r->get( $this->key( $k, $group ) ) ) : false;
		if ( ! is_string( $raw ) ) {
			$found = false;
			++$this->cache_misses;
			return false;
		}
		$found = true;
		++$this->cache_hits;
		$data                        = self::decode( $raw );
		$this->local[ $group ][ $k ] = $data;
		return self::copy( $data );
	}

	public function get_multiple( $keys, $group, bool $force ): array {
		$group = $this->group( $group );
		$out   = array();
		$fetch = array();
		foreach ( $keys as $key ) {
			$k = (string) $key;
			if ( ! $force && array_key_exists( $k, $this->local[ $group ] ?? array() ) ) {
				$out[ $key ] = self::copy( $this->local[ $group ][ $k ] );
			} else {
				$fetch[] = $key;
			}
		}
		if ( $fetch && $this->persistent( $group ) ) {
			$raws = $this->call( fn ( Redis $r ) => $r->mget( array_map( fn ( $k ) => $this->key( (string) $k, $group ), $fetch ) ), array() );
			foreach ( $fetch as $i => $key ) {
				$raw = $raws[ $i ] ?? false;
				if ( is_string( $raw ) ) {
					$this->local[ $group ][ (string) $key ] = self::decode( $raw );
					$out[ $key ]                            = self::copy( $this->local[ $group ][ (string) $key ] );
					++$this->cache_hits;
				} else {
					$out[ $key ] = false;
					++$this->cache_misses;
				}
			}
		} else {
			foreach ( $fetch as $key ) {
				$out[ $key ] = false;
			}
		}
		$ordered = array();
		foreach ( $keys as $key ) {
			$ordered[ $key ] = $out[ $key ];
		}
		return $ordered;
	}

	public function delete( $key, $group ): bool {
		$group = $this->group( $group );
		$k     = (string) $key;
		$had   = array_key_exists( $k, $this->local[ $group ] ?? array() );
		unset( $this->local[ $group ][ $k ] );
		if ( $this->persistent( $group ) ) {
			return (bool) $this->call( fn ( Redis $r ) => $r->del( $this->key( $k, $group ) ) ) || $had;
		}
		return $had;
	}

	/** Atomic in Redis; false when the key does not exist (WordPress's semantics). */
	public function incr( $key, int $offset, $group ) {
		$group = $this->group( $group );
		$k     = (string) $key;
		if ( $this->persistent( $group ) ) {
			$v = $this->call( fn ( Redis $r ) => $r->eval( self::INCR, array( $this->key( $k, $group ), $offset ), 1 ) );
			if ( ! is_int( $v ) ) {
				unset( $this->local[ $group ][ $k ] );
				return false;
			}
			$this->local[ $group ][ $k ] = $v;
			return $v;
		}
		if ( ! array_key_exists( $k, $this->local[ $group ] ?? array() ) ) {
			return false;
		}
		$v                           = max( 0, (int) $this->local[ $group ][ $k ] + $offset );
		$this->local[ $group ][ $k ] = $v;
		return $v;
	}

	public function flush(): bool {
		$this->local = array();
		if ( null !== $this->redis ) {
			return (bool) $this->call( fn ( Redis $r ) => $r->flushDB() );
		}
		return true;
	}

	public function flush_runtime(): bool {
		$this->local = array();
		return true;
	}

	public function flush_group( $group ): bool {
		$group = $this->group( $group );
		unset( $this->local[ $group ] );
		if ( null === $this->redis ) {
			return true;
		}
		$pattern = $this->key( '*', $group );
		return (bool) $this->call(
			function ( Redis $r ) use ( $pattern ) {
				$it = null;
				do {
					$keys = $r->scan( $it, $pattern, 500 );
					if ( $keys ) {
						$r->del( $keys );
					}
				} while ( $it > 0 );
				return true;
			}
		);
	}

	public function add_global_groups( array $groups ): void {
		$this->global_groups = array_merge( $this->global_groups, array_fill_keys( $groups, true ) );
	}

	public function add_non_persistent_groups( array $groups ): void {
		$this->non_persistent_groups = array_merge( $this->non_persistent_groups, array_fill_keys( $groups, true ) );
	}

	public function switch_to_blog( int $blog_id ): void {
		$this->blog = is_multisite() ? $blog_id . ':' : '';
	}

	/** True while this request talks to Redis (the tests read it through the status route). */
	public function connected(): bool {
		return null !== $this->redis;
	}
}
