<?php
/**
 * The Settings tab of WooCommerce → Aisle. The markup is rendered here; every read and write
 * goes through the aisle/v1 REST routes (assets/admin.js).
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Admin;

use Aisle\Plugin\RestController;
use Aisle\Plugin\Settings;

defined( 'ABSPATH' ) || exit;

final class AdminPage {

	public function __construct( private Settings $settings ) {}

	public function register(): void {
		// Last of the tabs (AdminMenu keeps Settings at the end whatever others add).
		add_filter( 'aisle_admin_tabs', fn ( array $tabs ) => $tabs + array( 'settings' => array( __( 'Settings', 'aisle' ), AdminMenu::CAP, array( $this, 'render' ) ) ), 100 );
		add_action( 'aisle_admin_enqueue', array( $this, 'assets' ) );
	}

	public function assets( string $tab ): void {
		if ( 'settings' !== $tab ) {
			return;
		}
		wp_enqueue_script( 'aisle-admin', plugins_url( 'assets/admin.js', AISLE_FILE ), array( 'wp-api-fetch', 'wp-i18n' ), AISLE_VERSION, true );
		wp_set_script_translations( 'aisle-admin', 'aisle', AISLE_DIR . 'languages' );
		wp_add_inline_script( 'aisle-admin', 'window.aisleAdmin = ' . wp_json_encode( array( 'namespace' => RestController::NAMESPACE ) ) . ';', 'before' );
	}

	private function field( string $key, string $label, string $type = 'text', array $extra = array() ): void {
		$value = $this->settings->get( $key );
		echo '<tr><th scope="row"><label for="aisle-' . esc_attr( $key ) . '">' . esc_html( $label ) . '</label></th><td>';
		if ( 'select' === $type ) {
			echo '<select id="aisle-' . esc_attr( $key ) . '" name="' . esc_attr( $key ) . '">';
			foreach ( $extra['options'] as $opt => $text ) {
				echo '<option value="' . esc_attr( $opt ) . '"' . selected( $value, $opt, false ) . '>' . esc_html( $text ) . '</option>';
			}
			echo '</select>';
		} elseif ( 'textarea' === $type ) {
			echo '<textarea class="large-text" rows="3" id="aisle-' . esc_attr( $key ) . '" name="' . esc_attr( $key ) . '">' . esc_textarea( (string) $value ) . '</textarea>';
		} elseif ( 'checkbox' === $type ) {
			echo '<input type="checkbox" id="aisle-' . esc_attr( $key ) . '" name="' . esc_attr( $key ) . '" value="1"' . checked( (bool) $value, true, false ) . ' />';
		} elseif ( 'number' === $type ) {
			$schema = Settings::schema()[ $key ];
			echo '<input class="small-text" type="number" step="1" min="' . esc_attr( (string) $schema['minimum'] ) . '" max="' . esc_attr( (string) $schema['maximum'] ) . '" id="aisle-' . esc_attr( $key ) . '" name="' . esc_attr( $key ) . '" value="' . esc_attr( (string) $value ) . '" aria-describedby="aisle-' . esc_attr( $key ) . '-help" />';
			if ( ! empty( $extra['unit'] ) ) {
				echo ' <span>' . esc_html( $extra['unit'] ) . '</span>';
			}
		} else {
			echo '<input class="regular-text" type="' . esc_attr( $type ) . '" id="aisle-' . esc_attr( $key ) . '" name="' . esc_attr( $key ) . '" value="' . esc_attr( is_array( $value ) ? implode( ', ', $value ) : (string) $value ) . '" />';
		}
		if ( 'number' === $type ) {
			$schema = Settings::schema()[ $key ];
			/* translators: 1: help text, 2: default value, 3: smallest allowed, 4: largest allowed. */
			$help = sprintf( __( '%1$s Default: %2$d (from %3$d to %4$d).', 'aisle' ), $extra['help'] ?? '', $schema['default'], $schema['minimum'], $schema['maximum'] );
			echo '<p class="description" id="aisle-' . esc_attr( $key ) . '-help">' . esc_html( trim( $help ) ) . '</p>';
		} elseif ( ! empty( $extra['help'] ) ) {
			echo '<p class="description">' . esc_html( $extra['help'] ) . '</p>';
		}
		echo '<p class="aisle-field-error" data-field="' . esc_attr( $key ) . '" role="alert"></p></td></tr>';
	}

	/** A write-only secret: the saved state is filled in by admin.js from GET settings. */
	private function secret( string $key, string $label ): void {
		echo '<tr><th scope="row"><label for="aisle-' . esc_attr( $key ) . '">' . esc_html( $label ) . '</label></th><td>';
		echo '<input class="regular-text" type="password" autocomplete="new-password" id="aisle-' . esc_attr( $key ) . '" name="' . esc_attr( $key ) . '" value="" data-secret="1" />';
		echo ' <span class="aisle-secret-state" data-secret-state="' . esc_attr( $key ) . '"></span>';
		echo '<p class="aisle-field-error" data-field="' . esc_attr( $key ) . '" role="alert"></p></td></tr>';
	}

	private function section( string $id, string $title, string $intro ): void {
		echo '<h2 id="aisle-section-' . esc_attr( $id ) . '">' . esc_html( $title ) . '</h2><p>' . esc_html( $intro ) . '</p><table class="form-table" role="presentation">';
	}

	public function render(): void {
		echo '<div id="aisle-settings">';
		echo '<div id="aisle-notice" class="notice inline" hidden><p></p></div>';
		echo '<form id="aisle-form" novalidate>';

		$this->section( 'ai', __( 'AI provider', 'aisle' ), __( 'With no provider, the built-in answerer replies from your catalog, FAQ, shipping and payment settings.', 'aisle' ) );
		$this->field( 'ai_provider', __( 'Provider', 'aisle' ), 'select', array( 'options' => array( 'none' => __( 'None (built-in answerer)', 'aisle' ), 'openai' => __( 'OpenAI-compatible', 'aisle' ), 'anthropic' => __( 'Anthropic', 'aisle' ) ) ) );
		$this->field( 'ai_base_url', __( 'Base URL', 'aisle' ), 'url', array( 'help' => __( 'OpenAI-compatible only, e.g. https://api.openai.com/v1', 'aisle' ) ) );
		$this->field( 'ai_model', __( 'Model', 'aisle' ) );
		$this->secret( 'ai_api_key', __( 'API key', 'aisle' ) );
		echo '</table>';
		// Filled by admin.js from the license status: which features the license covers.
		echo '<p class="description" id="aisle-ai-license-note" aria-live="polite"></p>';

		$this->section( 'license', __( 'License', 'aisle' ), __( 'Activate with your license key, or paste the license token you received. Features that need a license say so.', 'aisle' ) );
		$this->secret( 'license_key', __( 'License key', 'aisle' ) );
		echo '<tr><th scope="row"><label for="aisle-license-token">' . esc_html__( 'Or license token', 'aisle' ) . '</label></th><td><textarea class="large-text" rows="2" id="aisle-license-token"></textarea>';
		echo '<p><button type="button" class="button" id="aisle-license-activate">' . esc_html__( 'Activate', 'aisle' ) . '</button></p>';
		echo '<p class="aisle-field-error" data-field="license" role="alert"></p><div id="aisle-license-status" aria-live="polite"></div></td></tr></table>';

		$this->section( 'appearance', __( 'Appearance', 'aisle' ), __( 'How the chat launcher and window look on your storefront.', 'aisle' ) );
		$this->field( 'accent_color', __( 'Accent color', 'aisle' ), 'color' );
		$this->field( 'welcome_message', __( 'Welcome message', 'aisle' ), 'textarea' );
		$this->field( 'launcher_label', __( 'Launcher label', 'aisle' ) );
		$this->field( 'position', __( 'Position', 'aisle' ), 'select', array( 'options' => array( 'right' => __( 'Bottom right', 'aisle' ), 'left' => __( 'Bottom left', 'aisle' ) ) ) );
		$this->field( 'avatar_url', __( 'Avatar image URL', 'aisle' ), 'url' );
		echo '</table>';

		$this->section( 'assistant', __( 'Assistant', 'aisle' ), __( 'What the assistant knows about your store and how it speaks.', 'aisle' ) );
		$this->field( 'assistant_paused', __( 'Pause assistant', 'aisle' ), 'checkbox', array( 'help' => __( 'While paused, the chat is not shown on your storefront and the chat routes answer that the assistant is paused. Conversations and leads are kept.', 'aisle' ) ) );
		$this->field( 'store_name', __( 'Store name', 'aisle' ) );
		$this->field( 'tone', __( 'Tone', 'aisle' ), 'select', array( 'options' => array( 'friendly' => __( 'Friendly', 'aisle' ), 'professional' => __( 'Professional', 'aisle' ), 'concise' => __( 'Concise', 'aisle' ) ) ) );
		echo '<tr><th scope="row">' . esc_html__( 'FAQ', 'aisle' ) . '</th><td><div id="aisle-faq" data-faq="' . esc_attr( (string) wp_json_encode( $this->settings->get( 'faq' ) ) ) . '"></div>';
		echo '<button type="button" class="button" id="aisle-faq-add">' . esc_html__( 'Add question', 'aisle' ) . '</button><p class="aisle-field-error" data-field="faq" role="alert"></p></td></tr>';
		$this->field( 'support_email', __( 'Support email', 'aisle' ), 'email' );
		$this->field( 'retention_days', __( 'Keep conversations (days)', 'aisle' ), 'number', array( 'help' => __( 'Conversations and leads are deleted after this many days.', 'aisle' ) ) );
		$this->field( 'shareable_coupons', __( 'Coupons the assistant may mention', 'aisle' ), 'text', array( 'help' => __( 'Coupon codes, separated by commas.', 'aisle' ) ) );
		echo '</table>';

		$this->section( 'catalog', __( 'Catalog', 'aisle' ), __( 'The assistant answers from a search index of your products, kept up to date when products change.', 'aisle' ) );
		$this->field( 'include_out_of_stock', __( 'Include out-of-stock products', 'aisle' ), 'checkbox' );
		$this->field( 'include_hidden', __( 'Include hidden products', 'aisle' ), 'checkbox' );
		$this->field( 'synonyms', __( 'Synonyms', 'aisle' ), 'textarea', array( 'help' => __( 'Words your shoppers use for the same thing, one group per line, separated by commas (e.g. "hoodie, kangaroo jumper"). Common shop words are built in. Applied at the next sync.', 'aisle' ) ) );
		echo '<tr><th scope="row">' . esc_html__( 'Sync', 'aisle' ) . '</th><td><button type="button" class="button" id="aisle-sync-now">' . esc_html__( 'Sync now', 'aisle' ) . '</button> <button type="button" class="button" id="aisle-sync-cancel" hidden>' . esc_html__( 'Cancel sync', 'aisle' ) . '</button>';
		echo '<div id="aisle-sync" aria-live="polite"><progress id="aisle-sync-bar" max="1" value="0"></progress> <span id="aisle-sync-text"></span></div>';
		echo '<p class="aisle-field-error" data-field="sync" role="alert"></p></td></tr></table>';

		$this->section( 'remote', __( 'Remote sync (optional)', 'aisle' ), __( 'Only for merchants who use a hosted Aisle backend: where to push the catalog, and the WooCommerce REST keys it uses.', 'aisle' ) );
		$this->field( 'remote_endpoint', __( 'Endpoint URL', 'aisle' ), 'url' );
		$this->secret( 'remote_consumer_key', __( 'Consumer key', 'aisle' ) );
		$this->secret( 'remote_consumer_secret', __( 'Consumer secret', 'aisle' ) );
		echo '</table>';

		$this->section( 'security', __( 'Secrets', 'aisle' ), __( 'Saved keys are encrypted by the aisle extension; only the last four characters are ever shown.', 'aisle' ) );
		echo '<tr><th scope="row">' . esc_html__( 'Key source', 'aisle' ) . '</th><td><span id="aisle-key-source"></span> <button type="button" class="button" id="aisle-rotate">' . esc_html__( 'Re-encrypt saved secrets', 'aisle' ) . '</button><p class="aisle-field-error" data-field="rotate" role="alert"></p></td></tr></table>';

		$this->section( 'advanced', __( 'Advanced', 'aisle' ), __( 'Limits that protect your store and your AI budget. The defaults suit most stores.', 'aisle' ) );
		$this->field( 'rate_limit_ip', __( 'Messages per visitor address', 'aisle' ), 'number', array( 'unit' => __( 'per minute', 'aisle' ), 'help' => __( 'How many chat messages one IP address may send in a minute (a shared office or mobile network counts as one).', 'aisle' ) ) );
		$this->field( 'rate_limit_session', __( 'Messages per chat', 'aisle' ), 'number', array( 'unit' => __( 'per minute', 'aisle' ), 'help' => __( 'How many messages one chat may send in a minute.', 'aisle' ) ) );
		$this->field( 'ai_connect_timeout', __( 'AI connection timeout', 'aisle' ), 'number', array( 'unit' => __( 'seconds', 'aisle' ), 'help' => __( 'How long to wait for the AI provider to accept the connection.', 'aisle' ) ) );
		$this->field( 'ai_timeout', __( 'AI answer timeout', 'aisle' ), 'number', array( 'unit' => __( 'seconds', 'aisle' ), 'help' => __( 'How long an answer may take in all before the shopper is told to try again.', 'aisle' ) ) );
		echo '</table>';

		echo '<div class="aisle-savebar">';
		submit_button( __( 'Save changes', 'aisle' ), 'primary', 'aisle-save', false );
		echo '</div>';
		// The save result appears here, fixed near the Save button, wherever the page is scrolled.
		echo '<div id="aisle-snackbar" class="aisle-snackbar" role="status" aria-live="polite" hidden></div>';
		echo '</form></div>';
	}
}
