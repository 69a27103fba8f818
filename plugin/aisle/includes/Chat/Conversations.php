<?php
/**
 * Conversations and their messages, stored redacted and with an expiry. Every read filters on
 * expires_at, so an expired row is invisible even before the hourly purge deletes it.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

use Aisle\Plugin\Admin\Stats;
use Aisle\Plugin\Settings;

defined( 'ABSPATH' ) || exit;

final class Conversations {

	public function __construct( private Settings $settings ) {}

	public static function table( string $name ): string {
		global $wpdb;
		return $wpdb->prefix . 'aisle_' . $name;
	}

	/** dbDelta SQL for the chat tables (Installer runs it). */
	public static function schema( string $collate ): array {
		$c = self::table( 'conversations' );
		$m = self::table( 'messages' );
		$l = self::table( 'leads' );
		$e = self::table( 'events' );
		return array(
			"CREATE TABLE {$c} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  session_id char(36) NOT NULL,
  started_at int(10) unsigned NOT NULL,
  updated_at int(10) unsigned NOT NULL,
  page_url varchar(500) NOT NULL DEFAULT '',
  message_count int(10) unsigned NOT NULL DEFAULT 0,
  tokens_in int(10) unsigned NOT NULL DEFAULT 0,
  tokens_out int(10) unsigned NOT NULL DEFAULT 0,
  grounding_fixes int(10) unsigned NOT NULL DEFAULT 0,
  state varchar(64) NOT NULL DEFAULT '',
  channel varchar(16) NOT NULL DEFAULT '',
  reply_to text NULL,
  window_until int(10) unsigned NOT NULL DEFAULT 0,
  channel_error varchar(255) NOT NULL DEFAULT '',
  status varchar(16) NOT NULL DEFAULT 'bot',
  token_hash char(64) NOT NULL DEFAULT '',
  agent_id bigint(20) unsigned NOT NULL DEFAULT 0,
  waiting_since int(10) unsigned NOT NULL DEFAULT 0,
  first_human_at int(10) unsigned NOT NULL DEFAULT 0,
  unanswered tinyint(3) unsigned NOT NULL DEFAULT 0,
  notified_at int(10) unsigned NOT NULL DEFAULT 0,
  expires_at int(10) unsigned NOT NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY session_id (session_id),
  KEY status (status),
  KEY expires_at (expires_at)
) {$collate};",
			"CREATE TABLE {$m} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  conversation_id bigint(20) unsigned NOT NULL,
  role varchar(16) NOT NULL,
  content text NOT NULL,
  external_id varchar(191) NULL,
  reply_of bigint(20) unsigned NULL,
  delivery varchar(32) NOT NULL DEFAULT '',
  tokens_in int(10) unsigned NOT NULL DEFAULT 0,
  tokens_out int(10) unsigned NOT NULL DEFAULT 0,
  meta text NULL,
  created_at int(10) unsigned NOT NULL,
  expires_at int(10) unsigned NOT NULL,
  PRIMARY KEY  (id),
  KEY conversation_id (conversation_id),
  UNIQUE KEY external_id (external_id),
  UNIQUE KEY reply_of (reply_of),
  KEY expires_at (expires_at)
) {$collate};",
			"CREATE TABLE {$l} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  conversation_id bigint(20) unsigned NOT NULL DEFAULT 0,
  email varchar(200) NOT NULL DEFAULT '',
  phone varchar(50) NOT NULL DEFAULT '',
  name varchar(200) NOT NULL DEFAULT '',
  message text NULL,
  consent_text text NOT NULL,
  consent_at int(10) unsigned NOT NULL,
  page_url varchar(500) NOT NULL DEFAULT '',
  status varchar(20) NOT NULL DEFAULT 'new',
  created_at int(10) unsigned NOT NULL,
  expires_at int(10) unsigned NOT NULL,
  PRIMARY KEY  (id),
  KEY email (email),
  KEY expires_at (expires_at)
) {$collate};",
			// What happened around a chat that is not a message: add-to-cart from a card, a question
			// the assistant could not answer (redacted, for the dashboard's list), kept as long as the chat.
			"CREATE TABLE {$e} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  conversation_id bigint(20) unsigned NOT NULL,
  type varchar(32) NOT NULL,
  data text NULL,
  created_at int(10) unsigned NOT NULL,
  expires_at int(10) unsigned NOT NULL,
  PRIMARY KEY  (id),
  KEY conversation_id (conversation_id),
  KEY type_created (type,created_at),
  KEY expires_at (expires_at)
) {$collate};",
		);
	}

	public function expires_at(): int {
		return time() + DAY_IN_SECONDS * max( 1, (int) $this->settings->get( 'retention_days' ) );
	}

	/** @return object|null The live conversation of a session. */
	public function find( string $session_id ): ?object {
		global $wpdb;
		$t = self::table( 'conversations' );
		return $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$t} WHERE session_id = %s AND expires_at > %d", $session_id, time() ) ) ?: null; // phpcs:ignore WordPress.DB
	}

	/** Returns the session's conversation, starting one (or restarting an expired one). */
	public function open( string $session_id, string $page_url ): object {
		global $wpdb;
		$found = $this->find( $session_id );
		if ( $found ) {
			return $found;
		}
		$t = self::table( 'conversations' );
		// An expired row with the same session id may still wait for the purge: replace it.
		$old = $wpdb->get_var( $wpdb->prepare( "SELECT id FROM {$t} WHERE session_id = %s", $session_id ) ); // phpcs:ignore WordPress.DB
		if ( $old ) {
			$this->delete( array( (int) $old ) );
		}
		$now = time();
		// INSERT IGNORE: two first messages of one session at once (two tabs, a double send, FPM
		// workers in parallel) make one conversation instead of a duplicate-key error; the request
		// that created it counts the session.
		$created = $wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$t} (session_id, started_at, updated_at, page_url, expires_at) VALUES (%s, %d, %d, %s, %d)", $session_id, $now, $now, $page_url, $this->expires_at() ) ); // phpcs:ignore WordPress.DB
		if ( 1 === (int) $created ) {
			Stats::bump_for( $session_id, 'sessions' );
		}
		return $this->find( $session_id );
	}

	/**
	 * Stores one message and returns its id; $content must already be redacted (Assistant does it).
	 * $meta (product cards, actions) is what the widget needs to show the message again after a page load.
	 */
	public function add( object $conv, string $role, string $content, int $tokens_in = 0, int $tokens_out = 0, int $fixes = 0, ?array $meta = null ): int {
		global $wpdb;
		$exp = $this->expires_at();
		$wpdb->insert( self::table( 'messages' ), array( 'conversation_id' => $conv->id, 'role' => $role, 'content' => $content, 'tokens_in' => $tokens_in, 'tokens_out' => $tokens_out, 'meta' => $meta ? wp_json_encode( $meta, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES ) : null, 'created_at' => time(), 'expires_at' => $exp ) ); // phpcs:ignore WordPress.DB
		$id = (int) $wpdb->insert_id;
		$t = self::table( 'conversations' );
		// Each message extends the conversation (and its earlier messages) to a full retention period from now.
		$wpdb->query( $wpdb->prepare( "UPDATE {$t} SET message_count = message_count + 1, tokens_in = tokens_in + %d, tokens_out = tokens_out + %d, grounding_fixes = grounding_fixes + %d, updated_at = %d, expires_at = %d WHERE id = %d", $tokens_in, $tokens_out, $fixes, time(), $exp, $conv->id ) ); // phpcs:ignore WordPress.DB
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . self::table( 'messages' ) . ' SET expires_at = %d WHERE conversation_id = %d', $exp, $conv->id ) ); // phpcs:ignore WordPress.DB
		Stats::bump( 'messages' );
		if ( $tokens_in + $tokens_out ) {
			Stats::bump( 'tokens', $tokens_in + $tokens_out );
		}
		if ( $fixes ) {
			Stats::bump( 'grounding', $fixes );
		}
		return $id;
	}

	public function set_state( object $conv, string $state ): void {
		global $wpdb;
		$wpdb->update( self::table( 'conversations' ), array( 'state' => $state ), array( 'id' => $conv->id ) ); // phpcs:ignore WordPress.DB
	}

	/** @return array<int, object> Live messages with an id above $after, oldest first (the widget's and the Live view's reads). */
	public function since( int $conversation_id, int $after, int $limit = 200 ): array {
		global $wpdb;
		$t = self::table( 'messages' );
		return $wpdb->get_results( $wpdb->prepare( "SELECT * FROM {$t} WHERE conversation_id = %d AND id > %d AND expires_at > %d ORDER BY id ASC LIMIT %d", $conversation_id, $after, time(), $limit ) ); // phpcs:ignore WordPress.DB
	}

	/** @return array<int, object> The last $limit live messages, oldest first. */
	public function messages( int $conversation_id, int $limit = 200 ): array {
		global $wpdb;
		$t    = self::table( 'messages' );
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT * FROM {$t} WHERE conversation_id = %d AND expires_at > %d ORDER BY id DESC LIMIT %d", $conversation_id, time(), $limit ) ); // phpcs:ignore WordPress.DB
		return array_reverse( $rows );
	}

	/** Admin list: live conversations, newest first, optionally those with a message containing $search. */
	public function search( string $search = '', int $page = 1, int $per_page = 20 ): array {
		global $wpdb;
		$c     = self::table( 'conversations' );
		$m     = self::table( 'messages' );
		$where = $wpdb->prepare( 'c.expires_at > %d', time() );
		if ( '' !== $search ) {
			$where .= $wpdb->prepare( " AND c.id IN (SELECT conversation_id FROM {$m} WHERE content LIKE %s)", '%' . $wpdb->esc_like( $search ) . '%' ); // phpcs:ignore WordPress.DB
		}
		$total = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$c} c WHERE {$where}" ); // phpcs:ignore WordPress.DB
		$rows  = $wpdb->get_results( $wpdb->prepare( "SELECT c.* FROM {$c} c WHERE {$where} ORDER BY c.updated_at DESC LIMIT %d OFFSET %d", $per_page, ( max( 1, $page ) - 1 ) * $per_page ) ); // phpcs:ignore WordPress.DB
		return array( 'total' => $total, 'rows' => $rows );
	}

	public function get( int $id ): ?object {
		global $wpdb;
		$t = self::table( 'conversations' );
		return $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$t} WHERE id = %d AND expires_at > %d", $id, time() ) ) ?: null; // phpcs:ignore WordPress.DB
	}

	/** @param int[] $ids Conversations to delete with their messages. */
	public function delete( array $ids ): int {
		global $wpdb;
		$ids = array_filter( array_map( 'intval', $ids ) );
		if ( ! $ids ) {
			return 0;
		}
		$in = implode( ',', $ids );
		$wpdb->query( 'DELETE FROM ' . self::table( 'messages' ) . " WHERE conversation_id IN ($in)" ); // phpcs:ignore WordPress.DB
		$wpdb->query( 'DELETE FROM ' . self::table( 'events' ) . " WHERE conversation_id IN ($in)" ); // phpcs:ignore WordPress.DB
		return (int) $wpdb->query( 'DELETE FROM ' . self::table( 'conversations' ) . " WHERE id IN ($in)" ); // phpcs:ignore WordPress.DB
	}
}
