<?php
/**
 * What happened around a chat besides its messages, for the transcript and the dashboard:
 * an add-to-cart by a shopper who came from the chat, and each question the assistant could not
 * answer (the visitor's words as stored: redacted). Rows expire with the conversation.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

use Aisle\Plugin\Admin\Stats;

defined( 'ABSPATH' ) || exit;

final class Events {

	public const ADD_TO_CART = 'add_to_cart';

	public const UNANSWERED = 'unanswered';

	/** Marks a conversation that needed a person (a lead, an unanswered question, a staff reply) once, for "resolved". */
	public const ESCALATED = 'escalated';

	public function __construct( private Conversations $conversations ) {}

	public function register(): void {
		add_action( 'aisle_replied', array( $this, 'replied' ), 10, 3 );
		add_action( 'aisle_lead_created', array( $this, 'lead' ), 10, 2 );
		// A person of the team answered in the chat (Chat\Handoff): not resolved by the assistant alone.
		add_action( 'aisle_staff_reply', array( $this, 'escalate' ) );
		add_action( 'woocommerce_add_to_cart', array( $this, 'added_to_cart' ), 10, 4 );
	}

	private static function table(): string {
		return Conversations::table( 'events' );
	}

	public function record( object $conv, string $type, array $data = array() ): void {
		global $wpdb;
		$wpdb->insert( // phpcs:ignore WordPress.DB
			self::table(),
			array(
				'conversation_id' => (int) $conv->id,
				'type'            => $type,
				'data'            => $data ? wp_json_encode( $data, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES ) : null,
				'created_at'      => time(),
				'expires_at'      => max( (int) ( $conv->expires_at ?? 0 ), $this->conversations->expires_at() ),
			)
		);
	}

	/**
	 * A reply that offers the lead form without being asked for it (the built-in answerer's
	 * intent "lead" is the visitor asking to be contacted) is a question the assistant could not answer.
	 */
	public function replied( object $conv, string $text, array $out ): void {
		if ( ! in_array( 'offer_lead', (array) ( $out['actions'] ?? array() ), true ) || 'lead' === ( $out['intent'] ?? '' ) ) {
			return;
		}
		$this->record( $conv, self::UNANSWERED, array( 'question' => mb_substr( trim( $text ), 0, 300 ) ) );
		Stats::bump( 'unanswered' );
		$this->escalate( $conv );
	}

	public function lead( int $lead_id, ?object $conv ): void {
		if ( $conv ) {
			$this->escalate( $conv );
		}
	}

	/** Counted once per conversation: the dashboard's "resolved without a human" is sessions minus these. */
	public function escalate( object $conv ): void {
		global $wpdb;
		$t = self::table();
		if ( $wpdb->get_var( $wpdb->prepare( "SELECT id FROM {$t} WHERE conversation_id = %d AND type = %s LIMIT 1", (int) $conv->id, self::ESCALATED ) ) ) { // phpcs:ignore WordPress.DB
			return;
		}
		$this->record( $conv, self::ESCALATED );
		Stats::bump( 'escalated' );
	}

	/** WooCommerce's add-to-cart, by a shopper whose WooCommerce session carries the chat (Attribution). */
	public function added_to_cart( $key, $product_id, $quantity = 1, $variation_id = 0 ): void {
		if ( ! function_exists( 'WC' ) || ! isset( WC()->session ) || ! WC()->session ) {
			return;
		}
		$session = (string) WC()->session->get( 'aisle_session', '' );
		$conv    = '' !== $session ? $this->conversations->find( $session ) : null;
		if ( ! $conv ) {
			return;
		}
		$product = wc_get_product( (int) ( $variation_id ?: $product_id ) );
		$this->record(
			$conv,
			self::ADD_TO_CART,
			array(
				'product_id' => (int) ( $variation_id ?: $product_id ),
				'name'       => $product ? wp_strip_all_tags( $product->get_name() ) : '',
				'quantity'   => (int) $quantity,
			)
		);
	}

	/** @return array<int, object> A conversation's events, oldest first, data decoded. */
	public function of( int $conversation_id ): array {
		global $wpdb;
		$t    = self::table();
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT * FROM {$t} WHERE conversation_id = %d AND expires_at > %d ORDER BY id ASC", $conversation_id, time() ) ); // phpcs:ignore WordPress.DB
		foreach ( $rows as $r ) {
			$r->data = $r->data ? (array) json_decode( (string) $r->data, true ) : array();
		}
		return $rows;
	}

	/**
	 * The questions asked most often that the assistant could not answer, over the last $days
	 * (as far as conversations are kept), grouped case- and space-insensitively.
	 *
	 * @return array<int, array{question: string, count: int, last: int}>
	 */
	public function top_unanswered( int $days, int $limit = 10 ): array {
		global $wpdb;
		$t      = self::table();
		$rows   = $wpdb->get_results( $wpdb->prepare( "SELECT data, created_at FROM {$t} WHERE type = %s AND created_at >= %d AND expires_at > %d ORDER BY id DESC LIMIT 5000", self::UNANSWERED, time() - $days * DAY_IN_SECONDS, time() ) ); // phpcs:ignore WordPress.DB
		$groups = array();
		foreach ( $rows as $r ) {
			$q = trim( (string) ( json_decode( (string) $r->data, true )['question'] ?? '' ) );
			if ( '' === $q ) {
				continue;
			}
			$k = mb_strtolower( (string) preg_replace( '/[\s?!.]+/u', ' ', $q ) );
			if ( ! isset( $groups[ $k ] ) ) {
				$groups[ $k ] = array( 'question' => $q, 'count' => 0, 'last' => (int) $r->created_at );
			}
			++$groups[ $k ]['count'];
		}
		usort( $groups, static fn ( $a, $b ) => array( $b['count'], $b['last'] ) <=> array( $a['count'], $a['last'] ) );
		return array_slice( $groups, 0, $limit );
	}
}
