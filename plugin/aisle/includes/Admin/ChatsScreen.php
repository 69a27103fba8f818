<?php
/**
 * The Chats tab: live conversations (search, transcript). Server-rendered, every value escaped.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Admin;

use Aisle\Plugin\Chat\Conversations;

defined( 'ABSPATH' ) || exit;

final class ChatsScreen {

	public function __construct( private Conversations $conversations ) {}

	public function register(): void {
		add_filter( 'aisle_admin_tabs', array( $this, 'tab' ), 5 );
	}

	public function tab( array $tabs ): array {
		return $tabs + array( 'chats' => array( __( 'Chats', 'aisle' ), AdminMenu::CAP, array( $this, 'render' ) ) );
	}

	public function render(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- read-only screen arguments.
		$id     = isset( $_GET['conversation'] ) ? absint( $_GET['conversation'] ) : 0;
		$search = isset( $_GET['s'] ) ? sanitize_text_field( wp_unslash( $_GET['s'] ) ) : '';
		$paged  = isset( $_GET['paged'] ) ? max( 1, absint( $_GET['paged'] ) ) : 1;
		// phpcs:enable
		echo '<div class="aisle-screen"><h2>' . esc_html__( 'Chats', 'aisle' ) . '</h2>';
		if ( $id ) {
			$conv = $this->conversations->get( $id );
			echo '<p><a href="' . esc_url( AdminMenu::url( 'chats' ) ) . '">' . esc_html__( '← All chats', 'aisle' ) . '</a></p>';
			if ( ! $conv ) {
				echo '<p>' . esc_html__( 'This conversation has expired or does not exist.', 'aisle' ) . '</p></div>';
				return;
			}
			echo '<p>' . esc_html( sprintf( /* translators: 1: date, 2: page */ __( 'Started %1$s on %2$s', 'aisle' ), wp_date( 'Y-m-d H:i', (int) $conv->started_at ), $conv->page_url ) ) . '</p><div id="aisle-transcript">';
			foreach ( $this->conversations->messages( $id ) as $m ) {
				echo '<p dir="auto"><strong>' . esc_html( 'user' === $m->role ? __( 'Visitor', 'aisle' ) : __( 'Assistant', 'aisle' ) ) . '</strong> <small>' . esc_html( wp_date( 'H:i', (int) $m->created_at ) ) . '</small><br>' . nl2br( esc_html( $m->content ) ) . '</p>';
			}
			echo '</div></div>';
			return;
		}
		$r = $this->conversations->search( $search, $paged );
		echo '<form method="get"><input type="hidden" name="page" value="aisle"><input type="hidden" name="tab" value="chats"><p class="search-box"><label class="screen-reader-text" for="aisle-chat-search">' . esc_html__( 'Search chats', 'aisle' ) . '</label><input type="search" id="aisle-chat-search" name="s" value="' . esc_attr( $search ) . '"> <button class="button">' . esc_html__( 'Search', 'aisle' ) . '</button></p></form>';
		echo '<table class="widefat striped" id="aisle-chats"><thead><tr><th>' . esc_html__( 'Started', 'aisle' ) . '</th><th>' . esc_html__( 'Page', 'aisle' ) . '</th><th>' . esc_html__( 'Messages', 'aisle' ) . '</th><th>' . esc_html__( 'Expires', 'aisle' ) . '</th></tr></thead><tbody>';
		foreach ( $r['rows'] as $c ) {
			$link = AdminMenu::url( 'chats', array( 'conversation' => (int) $c->id ) );
			echo '<tr><td><a href="' . esc_url( $link ) . '">' . esc_html( wp_date( 'Y-m-d H:i', (int) $c->started_at ) ) . '</a></td><td>' . esc_html( $c->page_url ) . '</td><td>' . esc_html( (string) $c->message_count ) . '</td><td>' . esc_html( wp_date( 'Y-m-d H:i', (int) $c->expires_at ) ) . '</td></tr>';
		}
		if ( ! $r['rows'] ) {
			echo '<tr><td colspan="4">' . esc_html__( 'No conversations.', 'aisle' ) . '</td></tr>';
		}
		echo '</tbody></table>';
		if ( $r['total'] > $paged * 20 ) {
			echo '<p><a class="button" href="' . esc_url( AdminMenu::url( 'chats', array( 's' => rawurlencode( $search ), 'paged' => $paged + 1 ) ) ) . '">' . esc_html__( 'Older', 'aisle' ) . '</a></p>';
		}
		echo '</div>';
	}
}
