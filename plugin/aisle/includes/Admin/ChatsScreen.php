<?php
/**
 * The Chats tab: the live conversations with their first message, flags (lead, order, handoff),
 * search by words or by product and filters; and a conversation's transcript with the markdown
 * rendered (safely), the product cards the assistant offered, the lead form, add-to-cart and lead
 * events and the order that followed, linked (HPOS and posts storage alike, through WooCommerce's
 * CRUD). Server-rendered, every value escaped.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Admin;

use Aisle\Plugin\Chat\Attribution;
use Aisle\Plugin\Chat\Conversations;
use Aisle\Plugin\Chat\Events;
use Aisle\Plugin\Chat\Leads;

defined( 'ABSPATH' ) || exit;

final class ChatsScreen {

	private const PER_PAGE = 20;

	/** Filter slug => what it keeps. */
	private const FILTERS = array( 'lead', 'order', 'handoff', 'unanswered' );

	public function __construct( private Conversations $conversations, private Leads $leads, private Events $events ) {}

	public function register(): void {
		add_filter( 'aisle_admin_tabs', array( $this, 'tab' ), 5 );
	}

	public function tab( array $tabs ): array {
		return $tabs + array( 'chats' => array( __( 'Chats', 'aisle' ), AdminMenu::CAP, array( $this, 'render' ) ) );
	}

	/** Whether a column exists (the handoff's status, the messages' meta arrive with later schema versions). */
	private static function has_column( string $table, string $column ): bool {
		static $cache = array();
		global $wpdb;
		$t = Conversations::table( $table );
		if ( ! isset( $cache[ $t ] ) ) {
			$cache[ $t ] = array_flip( (array) $wpdb->get_col( "SHOW COLUMNS FROM {$t}" ) ); // phpcs:ignore WordPress.DB
		}
		return isset( $cache[ $t ][ $column ] );
	}

	/**
	 * @return array<string, \WC_Order> session id => its chat-assisted order (the latest) among
	 *         $sessions. One look-up a session by meta_key/meta_value, which both order storages
	 *         answer (posts storage refuses meta_query); at most one page of the list.
	 */
	private static function orders( array $sessions ): array {
		if ( ! function_exists( 'wc_get_orders' ) ) {
			return array();
		}
		$out = array();
		foreach ( array_unique( $sessions ) as $session ) {
			$found = wc_get_orders( array( 'limit' => 1, 'orderby' => 'date', 'order' => 'DESC', 'meta_key' => Attribution::META, 'meta_value' => (string) $session ) ); // phpcs:ignore WordPress.DB.SlowDBQuery
			if ( $found && $found[0] instanceof \WC_Order ) {
				$out[ (string) $session ] = $found[0];
			}
		}
		return $out;
	}

	/** Session ids of recent chat-assisted orders (for the "With an order" filter). */
	private static function order_sessions(): array {
		if ( ! function_exists( 'wc_get_orders' ) ) {
			return array();
		}
		$ids = array();
		foreach ( wc_get_orders( array( 'limit' => 1000, 'meta_key' => Attribution::META, 'meta_compare' => 'EXISTS', 'date_created' => '>' . ( time() - 366 * DAY_IN_SECONDS ) ) ) as $o ) { // phpcs:ignore WordPress.DB.SlowDBQuery
			$ids[] = (string) $o->get_meta( Attribution::META );
		}
		return array_values( array_unique( array_filter( $ids ) ) );
	}

	/** @return array{total: int, rows: object[]} Live conversations matching the words, product and filter. */
	private function query( string $words, string $product, string $filter, int $page ): array {
		global $wpdb;
		$c     = Conversations::table( 'conversations' );
		$m     = Conversations::table( 'messages' );
		$e     = Conversations::table( 'events' );
		$where = array( $wpdb->prepare( 'c.expires_at > %d', time() ) );
		if ( '' !== $words ) {
			$where[] = $wpdb->prepare( "c.id IN (SELECT conversation_id FROM {$m} WHERE content LIKE %s)", '%' . $wpdb->esc_like( $words ) . '%' ); // phpcs:ignore WordPress.DB
		}
		if ( '' !== $product ) {
			// A product the assistant offered (its card) or that was added to the cart from the chat.
			$like  = '%' . $wpdb->esc_like( $product ) . '%';
			$terms = array( $wpdb->prepare( "c.id IN (SELECT conversation_id FROM {$e} WHERE type = %s AND data LIKE %s)", Events::ADD_TO_CART, $like ) ); // phpcs:ignore WordPress.DB
			if ( self::has_column( 'messages', 'meta' ) ) {
				$terms[] = $wpdb->prepare( "c.id IN (SELECT conversation_id FROM {$m} WHERE meta LIKE %s)", $like ); // phpcs:ignore WordPress.DB
			}
			$where[] = '(' . implode( ' OR ', $terms ) . ')';
		}
		if ( 'lead' === $filter ) {
			$where[] = 'c.id IN (SELECT conversation_id FROM ' . Conversations::table( 'leads' ) . ')';
		} elseif ( 'unanswered' === $filter ) {
			$where[] = $wpdb->prepare( "c.id IN (SELECT conversation_id FROM {$e} WHERE type = %s)", Events::UNANSWERED ); // phpcs:ignore WordPress.DB
		} elseif ( 'handoff' === $filter ) {
			$where[] = self::has_column( 'conversations', 'waiting_since' ) ? "(c.status NOT IN ('', 'bot') OR c.waiting_since > 0)" : '0 = 1';
		} elseif ( 'order' === $filter ) {
			$sessions = self::order_sessions();
			$where[]  = $sessions ? 'c.session_id IN (' . implode( ',', array_map( static fn ( $s ) => $wpdb->prepare( '%s', $s ), $sessions ) ) . ')' : '0 = 1';
		}
		$sql   = implode( ' AND ', $where );
		$total = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$c} c WHERE {$sql}" ); // phpcs:ignore WordPress.DB
		// The first visitor message of each, for the preview.
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT c.*, (SELECT content FROM {$m} f WHERE f.conversation_id = c.id AND f.role = 'user' ORDER BY f.id ASC LIMIT 1) AS first_message FROM {$c} c WHERE {$sql} ORDER BY c.updated_at DESC LIMIT %d OFFSET %d", self::PER_PAGE, ( max( 1, $page ) - 1 ) * self::PER_PAGE ) ); // phpcs:ignore WordPress.DB
		return array( 'total' => $total, 'rows' => $rows );
	}

	public function render(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- read-only screen arguments.
		$id      = isset( $_GET['conversation'] ) ? absint( $_GET['conversation'] ) : 0;
		$words   = isset( $_GET['s'] ) ? sanitize_text_field( wp_unslash( $_GET['s'] ) ) : '';
		$product = isset( $_GET['product'] ) ? sanitize_text_field( wp_unslash( $_GET['product'] ) ) : '';
		$filter  = isset( $_GET['filter'] ) ? sanitize_key( $_GET['filter'] ) : '';
		$paged   = isset( $_GET['paged'] ) ? max( 1, absint( $_GET['paged'] ) ) : 1;
		// phpcs:enable
		$filter = in_array( $filter, self::FILTERS, true ) ? $filter : '';
		echo '<div class="aisle-screen">';
		if ( $id ) {
			$this->transcript( $id );
			echo '</div>';
			return;
		}
		echo '<h2>' . esc_html__( 'Chats', 'aisle' ) . '</h2>';
		$r = $this->query( $words, $product, $filter, $paged );
		$filters = array(
			''           => __( 'All', 'aisle' ),
			'lead'       => __( 'With a lead', 'aisle' ),
			'order'      => __( 'With an order', 'aisle' ),
			'unanswered' => __( 'Not answered', 'aisle' ),
		);
		if ( self::has_column( 'conversations', 'waiting_since' ) ) {
			$filters['handoff'] = __( 'Handed to the team', 'aisle' );
		}
		echo '<form method="get" id="aisle-chat-filters" class="aisle-chat-filters" role="search"><input type="hidden" name="page" value="aisle"><input type="hidden" name="tab" value="chats">';
		echo '<label for="aisle-chat-search">' . esc_html__( 'Words', 'aisle' ) . '</label> <input type="search" id="aisle-chat-search" name="s" value="' . esc_attr( $words ) . '"> ';
		echo '<label for="aisle-chat-product">' . esc_html__( 'Product', 'aisle' ) . '</label> <input type="search" id="aisle-chat-product" name="product" value="' . esc_attr( $product ) . '" aria-describedby="aisle-chat-product-help"> ';
		echo '<label for="aisle-chat-filter">' . esc_html__( 'Show', 'aisle' ) . '</label> <select id="aisle-chat-filter" name="filter">';
		foreach ( $filters as $slug => $label ) {
			echo '<option value="' . esc_attr( $slug ) . '"' . selected( $filter, $slug, false ) . '>' . esc_html( $label ) . '</option>';
		}
		echo '</select> <button class="button">' . esc_html__( 'Search', 'aisle' ) . '</button>';
		echo '<p class="description" id="aisle-chat-product-help">' . esc_html__( 'Product: chats where the assistant showed it or the shopper added it to the cart.', 'aisle' ) . '</p></form>';

		$sessions = array_map( static fn ( $c ) => (string) $c->session_id, $r['rows'] );
		$orders   = self::orders( $sessions );
		$with_lead = $this->lead_counts( array_map( static fn ( $c ) => (int) $c->id, $r['rows'] ) );
		/* translators: %d: number of conversations. */
		echo '<p class="aisle-count" aria-live="polite">' . esc_html( sprintf( _n( '%d conversation', '%d conversations', $r['total'], 'aisle' ), $r['total'] ) ) . '</p>';
		echo '<table class="widefat striped" id="aisle-chats"><thead><tr><th scope="col">' . esc_html__( 'Started', 'aisle' ) . '</th><th scope="col">' . esc_html__( 'First message', 'aisle' ) . '</th><th scope="col">' . esc_html__( 'Flags', 'aisle' ) . '</th><th scope="col">' . esc_html__( 'Messages', 'aisle' ) . '</th><th scope="col">' . esc_html__( 'Page', 'aisle' ) . '</th></tr></thead><tbody>';
		foreach ( $r['rows'] as $c ) {
			$link  = AdminMenu::url( 'chats', array( 'conversation' => (int) $c->id ) );
			$flags = array();
			if ( ! empty( $with_lead[ (int) $c->id ] ) ) {
				$flags['lead'] = __( 'Lead', 'aisle' );
			}
			if ( isset( $orders[ (string) $c->session_id ] ) ) {
				$flags['order'] = __( 'Order', 'aisle' );
			}
			// A person was asked for (waiting_since) or has it now (status): the handoff's columns.
			if ( ( isset( $c->status ) && ! in_array( (string) $c->status, array( '', 'bot' ), true ) ) || ! empty( $c->waiting_since ) ) {
				$flags['handoff'] = __( 'Handoff', 'aisle' );
			}
			if ( ! empty( $c->channel ) ) { // WhatsApp, Messenger, Instagram (Channels).
				$flags[ 'channel-' . $c->channel ] = \Aisle\Plugin\Channels\Config::label( (string) $c->channel );
			}
			// As typed (escaped on output), cut at 90 characters.
			$preview = mb_strimwidth( trim( (string) $c->first_message ), 0, 90, '…', 'UTF-8' );
			echo '<tr data-conversation="' . esc_attr( (string) (int) $c->id ) . '"><td><a href="' . esc_url( $link ) . '">' . esc_html( wp_date( 'Y-m-d H:i', (int) $c->started_at ) ) . '</a></td>';
			echo '<td class="aisle-preview-cell" dir="auto">' . esc_html( '' !== $preview ? $preview : '—' ) . '</td><td>';
			foreach ( $flags as $slug => $label ) {
				echo '<span class="aisle-flag aisle-flag-' . esc_attr( $slug ) . '">' . esc_html( $label ) . '</span> ';
			}
			echo '</td><td>' . esc_html( (string) $c->message_count ) . '</td><td class="aisle-page-cell">' . esc_html( wp_parse_url( (string) $c->page_url, PHP_URL_PATH ) ?: (string) $c->page_url ) . '</td></tr>';
		}
		if ( ! $r['rows'] ) {
			echo '<tr><td colspan="5">' . esc_html__( 'No conversations.', 'aisle' ) . '</td></tr>';
		}
		echo '</tbody></table>';
		if ( $r['total'] > $paged * self::PER_PAGE ) {
			echo '<p><a class="button" href="' . esc_url( AdminMenu::url( 'chats', array_filter( array( 's' => rawurlencode( $words ), 'product' => rawurlencode( $product ), 'filter' => $filter, 'paged' => $paged + 1 ) ) ) ) . '">' . esc_html__( 'Older', 'aisle' ) . '</a></p>';
		}
		echo '</div>';
	}

	/** @return array<int, int> conversation id => leads left in it. */
	private function lead_counts( array $ids ): array {
		global $wpdb;
		$ids = array_filter( array_map( 'intval', $ids ) );
		if ( ! $ids ) {
			return array();
		}
		$rows = $wpdb->get_results( 'SELECT conversation_id, COUNT(*) AS n FROM ' . Conversations::table( 'leads' ) . ' WHERE conversation_id IN (' . implode( ',', $ids ) . ') GROUP BY conversation_id' ); // phpcs:ignore WordPress.DB
		return array_column( array_map( static fn ( $r ) => array( (int) $r->conversation_id, (int) $r->n ), $rows ), 1, 0 );
	}

	private function transcript( int $id ): void {
		$conv = $this->conversations->get( $id );
		echo '<p><a href="' . esc_url( AdminMenu::url( 'chats' ) ) . '">' . esc_html__( '← All chats', 'aisle' ) . '</a></p>';
		if ( ! $conv ) {
			echo '<h2>' . esc_html__( 'Conversation', 'aisle' ) . '</h2><p>' . esc_html__( 'This conversation has expired or does not exist.', 'aisle' ) . '</p>';
			return;
		}
		/* translators: %s: date and time the conversation started. */
		echo '<h2>' . esc_html( sprintf( __( 'Conversation of %s', 'aisle' ), wp_date( 'Y-m-d H:i', (int) $conv->started_at ) ) ) . '</h2>';
		/* translators: %s: the page the conversation started on. */
		echo '<p>' . esc_html( sprintf( __( 'Started on %s', 'aisle' ), (string) $conv->page_url ) ) . '</p>';
		if ( ! empty( $conv->channel ) ) {
			// The channel, and why a reply could not go out (outside the window, a Graph refusal).
			$icon = array( 'whatsapp' => 'whatsapp', 'messenger' => 'facebook', 'instagram' => 'instagram' )[ $conv->channel ] ?? 'format-chat';
			echo '<p id="aisle-conversation-channel"><span class="dashicons dashicons-' . esc_attr( $icon ) . '" aria-hidden="true"></span> ' . esc_html( \Aisle\Plugin\Channels\Config::label( (string) $conv->channel ) );
			if ( '' !== (string) $conv->channel_error ) {
				echo ' — <strong>' . esc_html( (string) $conv->channel_error ) . '</strong>';
			}
			echo '</p>';
		}

		// Messages, events, leads and the order, in the order they happened.
		$items = array();
		foreach ( $this->conversations->messages( $id ) as $m ) {
			$items[] = array( (int) $m->created_at, 0, (int) $m->id, 'message', $m );
		}
		foreach ( $this->events->of( $id ) as $e ) {
			if ( Events::ADD_TO_CART === $e->type ) {
				$items[] = array( (int) $e->created_at, 1, (int) $e->id, 'cart', $e );
			}
		}
		global $wpdb;
		foreach ( (array) $wpdb->get_results( $wpdb->prepare( 'SELECT * FROM ' . Conversations::table( 'leads' ) . ' WHERE conversation_id = %d AND expires_at > %d', $id, time() ) ) as $l ) { // phpcs:ignore WordPress.DB
			$items[] = array( (int) $l->created_at, 2, (int) $l->id, 'lead', $l );
		}
		$order = self::orders( array( (string) $conv->session_id ) )[ (string) $conv->session_id ] ?? null;
		if ( $order ) {
			$created = $order->get_date_created();
			$items[] = array( $created ? $created->getTimestamp() : time(), 3, (int) $order->get_id(), 'order', $order );
		}
		usort( $items, static fn ( $a, $b ) => array( $a[0], $a[1], $a[2] ) <=> array( $b[0], $b[1], $b[2] ) );

		echo '<ol id="aisle-transcript" class="aisle-transcript">';
		foreach ( $items as $it ) {
			$when = '<time datetime="' . esc_attr( gmdate( 'c', $it[0] ) ) . '">' . esc_html( wp_date( 'H:i', $it[0] ) ) . '</time>';
			if ( 'message' === $it[3] ) {
				$this->message( $it[4], $when );
			} elseif ( 'cart' === $it[3] ) {
				$d = $it[4]->data;
				/* translators: 1: product name, 2: quantity. */
				echo '<li class="aisle-event aisle-event-cart">' . $when . ' ' . esc_html( sprintf( __( 'Added to cart: %1$s × %2$d', 'aisle' ), (string) ( $d['name'] ?? '' ), (int) ( $d['quantity'] ?? 1 ) ) ) . '</li>'; // phpcs:ignore WordPress.Security.EscapeOutput -- $when is escaped.
			} elseif ( 'lead' === $it[3] ) {
				$l   = $it[4];
				$who = implode( ' / ', array_filter( array( (string) ( $l->name ?? '' ), (string) $l->email, (string) $l->phone ) ) );
				/* translators: %s: the contact the visitor left. */
				echo '<li class="aisle-event aisle-event-lead">' . $when . ' ' . esc_html( sprintf( __( 'Lead left: %s', 'aisle' ), $who ) ) . ' <a href="' . esc_url( AdminMenu::url( 'leads', array( 'lead' => (int) $l->id ) ) . '#aisle-lead-' . (int) $l->id ) . '">' . esc_html__( 'See the lead', 'aisle' ) . '</a></li>'; // phpcs:ignore WordPress.Security.EscapeOutput -- $when is escaped.
			} else {
				$o = $it[4];
				/* translators: 1: order number, 2: order total, 3: order status. */
				$text = sprintf( __( 'Order #%1$s placed: %2$s (%3$s)', 'aisle' ), $o->get_order_number(), html_entity_decode( wp_strip_all_tags( wc_price( (float) $o->get_total(), array( 'currency' => $o->get_currency() ) ) ), ENT_QUOTES, 'UTF-8' ), wc_get_order_status_name( $o->get_status() ) );
				echo '<li class="aisle-event aisle-event-order" id="aisle-transcript-order">' . $when . ' ' . esc_html( $text ) . ' <a href="' . esc_url( $o->get_edit_order_url() ) . '">' . esc_html__( 'Open the order', 'aisle' ) . '</a></li>'; // phpcs:ignore WordPress.Security.EscapeOutput -- $when is escaped.
			}
		}
		echo '</ol>';
	}

	private function message( object $m, string $when ): void {
		$roles = array(
			'user'      => __( 'Visitor', 'aisle' ),
			'assistant' => __( 'Assistant', 'aisle' ),
			'human'     => __( 'Team', 'aisle' ), // Chat\Handoff: a staff member's reply.
			'system'    => __( 'Notice', 'aisle' ),
		);
		$role = (string) $m->role;
		echo '<li class="aisle-message aisle-message-' . esc_attr( sanitize_html_class( $role ) ) . '"><p class="aisle-who"><strong>' . esc_html( $roles[ $role ] ?? ucfirst( $role ) ) . '</strong> ' . $when . '</p>'; // phpcs:ignore WordPress.Security.EscapeOutput -- $when is escaped.
		// What the visitor typed is shown as typed; the assistant's markdown is rendered.
		echo '<div class="aisle-body" dir="auto">' . ( 'user' === $role ? nl2br( esc_html( (string) $m->content ) ) : Markdown::render( (string) $m->content ) ) . '</div>'; // phpcs:ignore WordPress.Security.EscapeOutput -- Markdown::render escapes.
		$meta = isset( $m->meta ) && $m->meta ? json_decode( (string) $m->meta, true ) : array();
		$meta = is_array( $meta ) ? $meta : array();
		if ( ! empty( $meta['products'] ) && is_array( $meta['products'] ) ) {
			echo '<ul class="aisle-cards" aria-label="' . esc_attr__( 'Products offered', 'aisle' ) . '">';
			foreach ( $meta['products'] as $p ) {
				if ( ! is_array( $p ) ) {
					continue;
				}
				$url   = Markdown::store_url( (string) ( $p['url'] ?? '' ) );
				$image = (string) ( $p['image'] ?? '' );
				echo '<li class="aisle-card">';
				if ( '' !== $image && preg_match( '~^https?://~i', $image ) ) {
					echo '<img src="' . esc_url( $image ) . '" alt="" width="48" height="48" loading="lazy">';
				}
				echo '<span>' . ( $url ? '<a href="' . esc_url( remove_query_arg( 'aisle_session', $url ) ) . '">' . esc_html( (string) ( $p['name'] ?? '' ) ) . '</a>' : esc_html( (string) ( $p['name'] ?? '' ) ) ); // phpcs:ignore WordPress.Security.EscapeOutput -- escaped.
				echo ' <span class="aisle-card-price">' . esc_html( (string) ( $p['price_text'] ?? $p['price'] ?? '' ) ) . '</span></span></li>';
			}
			echo '</ul>';
		}
		if ( in_array( 'offer_lead', (array) ( $meta['actions'] ?? array() ), true ) ) {
			echo '<p class="aisle-note">' . esc_html__( 'The lead form was offered.', 'aisle' ) . '</p>';
		}
		echo '</li>';
	}
}
