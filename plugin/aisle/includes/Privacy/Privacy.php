<?php
/**
 * WordPress privacy tools: a personal-data exporter and eraser for leads (and the conversations
 * they came from), and suggested privacy-policy text in our own words.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Privacy;

use Aisle\Plugin\Chat\Conversations;
use Aisle\Plugin\Chat\Handoff;
use Aisle\Plugin\Chat\Leads;
use Aisle\Plugin\Settings;

defined( 'ABSPATH' ) || exit;

final class Privacy {

	public function __construct( private Conversations $conversations, private Leads $leads ) {}

	public function register(): void {
		add_filter( 'wp_privacy_personal_data_exporters', array( $this, 'exporters' ) );
		add_filter( 'wp_privacy_personal_data_erasers', array( $this, 'erasers' ) );
		add_action( 'admin_init', array( $this, 'policy_text' ) );
	}

	public function exporters( array $exporters ): array {
		$exporters['aisle'] = array( 'exporter_friendly_name' => __( 'Aisle chat assistant', 'aisle' ), 'callback' => array( $this, 'export' ) );
		return $exporters;
	}

	public function erasers( array $erasers ): array {
		$erasers['aisle'] = array( 'eraser_friendly_name' => __( 'Aisle chat assistant', 'aisle' ), 'callback' => array( $this, 'erase' ) );
		return $erasers;
	}

	public function export( string $email, int $page = 1 ): array {
		$items = array();
		foreach ( $this->leads->all( 500, strtolower( $email ) ) as $lead ) {
			$items[] = array(
				'group_id'    => 'aisle-leads',
				'group_label' => __( 'Chat contact requests', 'aisle' ),
				'item_id'     => 'aisle-lead-' . $lead->id,
				'data'        => array(
					array( 'name' => __( 'Email', 'aisle' ), 'value' => $lead->email ),
					array( 'name' => __( 'Phone', 'aisle' ), 'value' => $lead->phone ),
					array( 'name' => __( 'Consent', 'aisle' ), 'value' => $lead->consent_text ),
					array( 'name' => __( 'Given at', 'aisle' ), 'value' => gmdate( 'c', (int) $lead->consent_at ) ),
				),
			);
			$conv = $lead->conversation_id ? $this->conversations->get( (int) $lead->conversation_id ) : null;
			if ( $conv ) {
				$transcript = array();
				foreach ( $this->conversations->messages( (int) $conv->id ) as $m ) {
					$transcript[] = $m->role . ': ' . $m->content;
				}
				$items[] = array(
					'group_id'    => 'aisle-conversations',
					'group_label' => __( 'Chat conversations', 'aisle' ),
					'item_id'     => 'aisle-conversation-' . $conv->id,
					'data'        => array(
						array( 'name' => __( 'Started', 'aisle' ), 'value' => gmdate( 'c', (int) $conv->started_at ) ),
						array( 'name' => __( 'Transcript', 'aisle' ), 'value' => implode( "\n", $transcript ) ),
					),
				);
			}
		}
		// WhatsApp conversations, found by the billing phone of this email's orders (Channels\Inbox).
		foreach ( \Aisle\Plugin\Channels\Inbox::conversations_of( $email ) as $id ) {
			$transcript = array();
			foreach ( $this->conversations->messages( $id ) as $m ) {
				$transcript[] = $m->role . ': ' . $m->content;
			}
			$items[] = array(
				'group_id'    => 'aisle-conversations',
				'group_label' => __( 'Chat conversations', 'aisle' ),
				'item_id'     => 'aisle-conversation-' . $id,
				'data'        => array(
					array( 'name' => __( 'Channel', 'aisle' ), 'value' => 'WhatsApp' ),
					array( 'name' => __( 'Transcript', 'aisle' ), 'value' => implode( "\n", $transcript ) ),
				),
			);
		}
		// A staff member's own chat profile (Chat\Handoff): the name and picture shoppers see.
		$user = get_user_by( 'email', $email );
		if ( $user && ( get_user_meta( $user->ID, Handoff::META_NAME, true ) || get_user_meta( $user->ID, Handoff::META_AVATAR, true ) ) ) {
			$items[] = array(
				'group_id'    => 'aisle-staff',
				'group_label' => __( 'Chat staff profile', 'aisle' ),
				'item_id'     => 'aisle-staff-' . $user->ID,
				'data'        => array(
					array( 'name' => __( 'Name shown to shoppers', 'aisle' ), 'value' => (string) get_user_meta( $user->ID, Handoff::META_NAME, true ) ),
					array( 'name' => __( 'Picture shown to shoppers', 'aisle' ), 'value' => (string) get_user_meta( $user->ID, Handoff::META_AVATAR, true ) ),
				),
			);
		}
		return array( 'data' => $items, 'done' => true );
	}

	public function erase( string $email, int $page = 1 ): array {
		$removed = 0;
		foreach ( $this->leads->all( 500, strtolower( $email ) ) as $lead ) {
			if ( $lead->conversation_id ) {
				$removed += $this->conversations->delete( array( (int) $lead->conversation_id ) );
			}
			$this->leads->delete( (int) $lead->id );
			++$removed;
		}
		$removed += $this->conversations->delete( \Aisle\Plugin\Channels\Inbox::conversations_of( $email ) );
		$user = get_user_by( 'email', $email );
		foreach ( $user ? array( Handoff::META_NAME, Handoff::META_AVATAR ) : array() as $key ) {
			$removed += delete_user_meta( $user->ID, $key ) ? 1 : 0;
		}
		return array( 'items_removed' => $removed, 'items_retained' => false, 'messages' => array(), 'done' => true );
	}

	public function policy_text(): void {
		if ( ! function_exists( 'wp_add_privacy_policy_content' ) ) {
			return;
		}
		$days = (int) ( get_option( Settings::OPTION )['retention_days'] ?? 2 );
		$text = '<p>' . esc_html__( 'Our store has a chat assistant. When you write to it, your messages are stored so we can answer and improve our replies. Before a message is stored or sent to an AI service, phone numbers, email addresses and card numbers in it are removed automatically.', 'aisle' ) . '</p>'
			/* translators: %d: days */
			. '<p>' . esc_html( sprintf( _n( 'Conversations are deleted automatically after %d day.', 'Conversations are deleted automatically after %d days.', $days, 'aisle' ), $days ) ) . '</p>'
			. '<p>' . esc_html__( 'To show an order status, the assistant asks for the order number and the phone number or email on the order. That phone number or email is used only to check the order and is not stored or sent to an AI service.', 'aisle' ) . '</p>'
			. '<p>' . esc_html__( 'If you ask to talk to a person, a member of our team reads the conversation (with the same data removed) and answers you in the chat. They appear under the name they chose, never their email.', 'aisle' ) . '</p>'
			. '<p>' . esc_html__( 'If you choose to leave your email or phone so that we can get back to you, we store it with your consent and delete it after the same period. The chat sets no cookies and does not track you; it keeps a random session id, its secret and the language it last answered you in, in your browser tab only.', 'aisle' ) . '</p>';
		wp_add_privacy_policy_content( __( 'Aisle chat assistant', 'aisle' ), wp_kses_post( $text ) );
	}
}
