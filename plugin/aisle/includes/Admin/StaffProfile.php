<?php
/**
 * The name and picture shoppers see of a staff member, on WordPress's own profile screen (Users →
 * Profile, and an admin editing another user) as well as in the Live view: the same user meta
 * (Chat\Handoff::META_NAME, META_AVATAR) and the same refusal of the login or email. Only for
 * users who may answer chats.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Admin;

use Aisle\Plugin\Chat\Handoff;

defined( 'ABSPATH' ) || exit;

final class StaffProfile {

	/** Why the submitted values were refused: WordPress saves the profile's other fields before it asks for errors. */
	private array $refused = array();

	public function register(): void {
		add_action( 'show_user_profile', array( $this, 'render' ) );
		add_action( 'edit_user_profile', array( $this, 'render' ) );
		add_action( 'personal_options_update', array( $this, 'save' ) );
		add_action( 'edit_user_profile_update', array( $this, 'save' ) );
		add_action( 'user_profile_update_errors', array( $this, 'errors' ) );
	}

	private static function answers( \WP_User $user ): bool {
		return user_can( $user, Handoff::CAP ) || user_can( $user, 'manage_woocommerce' );
	}

	public function render( \WP_User $user ): void {
		if ( ! self::answers( $user ) ) {
			return;
		}
		$name   = (string) get_user_meta( $user->ID, Handoff::META_NAME, true );
		$avatar = (string) get_user_meta( $user->ID, Handoff::META_AVATAR, true );
		echo '<h2 id="aisle-staff-profile">' . esc_html__( 'Live chat', 'aisle' ) . '</h2>';
		echo '<table class="form-table" role="presentation"><tr><th><label for="aisle_display_name">' . esc_html__( 'Name shoppers see', 'aisle' ) . '</label></th><td>';
		echo '<input type="text" name="aisle_display_name" id="aisle_display_name" class="regular-text" maxlength="60" value="' . esc_attr( $name ) . '" aria-describedby="aisle_display_name-description">';
		echo '<p class="description" id="aisle_display_name-description">' . esc_html__( 'Shown to shoppers when you take over a chat. Never your login or email; empty: your first name, else "A team member".', 'aisle' ) . '</p></td></tr>';
		echo '<tr><th><label for="aisle_avatar_url">' . esc_html__( 'Picture shoppers see', 'aisle' ) . '</label></th><td>';
		echo '<input type="url" name="aisle_avatar_url" id="aisle_avatar_url" class="regular-text" value="' . esc_attr( $avatar ) . '" aria-describedby="aisle_avatar_url-description">';
		echo '<p class="description" id="aisle_avatar_url-description">' . esc_html__( 'The address of a square picture (http:// or https://), or empty for none.', 'aisle' ) . '</p></td></tr></table>';
	}

	/** WordPress checked the profile form's nonce and edit_user before this action. */
	public function save( int $user_id ): void {
		$user = get_userdata( $user_id );
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- checked by WordPress (update-user_{id}).
		if ( ! $user || ! self::answers( $user ) || ! current_user_can( 'edit_user', $user_id ) || ! isset( $_POST['aisle_display_name'] ) ) {
			return;
		}
		$name = mb_substr( sanitize_text_field( wp_unslash( (string) $_POST['aisle_display_name'] ) ), 0, 60 );
		$url  = isset( $_POST['aisle_avatar_url'] ) ? trim( sanitize_text_field( wp_unslash( (string) $_POST['aisle_avatar_url'] ) ) ) : '';
		// phpcs:enable
		$why = Handoff::name_refused( $user, $name );
		if ( null !== $why ) {
			$this->refused['aisle_invalid_name'] = $why;
		} else {
			update_user_meta( $user_id, Handoff::META_NAME, $name );
		}
		$why = Handoff::avatar_refused( $url );
		if ( null !== $why ) {
			$this->refused['aisle_invalid_avatar'] = $why;
		} else {
			update_user_meta( $user_id, Handoff::META_AVATAR, esc_url_raw( $url ) );
		}
	}

	public function errors( \WP_Error $errors ): void {
		foreach ( $this->refused as $code => $message ) {
			$errors->add( $code, $message, array( 'form-field' => 'aisle_invalid_name' === $code ? 'aisle_display_name' : 'aisle_avatar_url' ) );
		}
	}
}
