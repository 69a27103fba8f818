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
		// The preview draws the widget with its own stylesheet (admin.css frames it).
		wp_enqueue_style( 'aisle-widget-preview', plugins_url( 'assets/widget.css', AISLE_FILE ), array(), AISLE_VERSION );
		wp_enqueue_script( 'aisle-admin', plugins_url( 'assets/admin.js', AISLE_FILE ), array( 'wp-api-fetch', 'wp-i18n' ), AISLE_VERSION, true );
		wp_set_script_translations( 'aisle-admin', 'aisle', AISLE_DIR . 'languages' );
		wp_add_inline_script( 'aisle-admin', 'window.aisleAdmin = ' . wp_json_encode( array( 'namespace' => RestController::NAMESPACE ) ) . ';', 'before' );
	}

	/** A <tr> that admin.js shows only while the provider is one of $providers (server-side hidden too). */
	private function row( array $providers = array() ): string {
		if ( ! $providers ) {
			return '<tr>';
		}
		$hidden = in_array( $this->settings->get( 'ai_provider' ), $providers, true ) ? '' : ' hidden';
		return '<tr data-providers="' . esc_attr( implode( ' ', $providers ) ) . '"' . $hidden . '>';
	}

	private function field( string $key, string $label, string $type = 'text', array $extra = array() ): void {
		$value = $this->settings->get( $key );
		$row = $this->row( $extra['providers'] ?? array() );
		if ( isset( $extra['when'] ) ) {
			// Shown only while another field has a value (admin.js follows it): field => value.
			[ $other, $want ] = $extra['when'];
			$row = '<tr data-when="' . esc_attr( $other ) . '" data-when-value="' . esc_attr( $want ) . '"' . ( $this->settings->get( $other ) === $want ? '' : ' hidden' ) . '>';
		}
		echo $row . '<th scope="row">'; // phpcs:ignore WordPress.Security.EscapeOutput -- built escaped.
		echo '<label for="aisle-' . esc_attr( $key ) . '">' . esc_html( $label ) . '</label></th><td>';
		if ( 'multiselect' === $type ) {
			$chosen = array_map( 'strval', (array) $value );
			echo '<select multiple size="6" class="aisle-multiselect" id="aisle-' . esc_attr( $key ) . '" name="' . esc_attr( $key ) . '" aria-describedby="aisle-' . esc_attr( $key ) . '-help">';
			foreach ( $extra['options'] as $opt => $text ) {
				echo '<option value="' . esc_attr( (string) $opt ) . '"' . ( in_array( (string) $opt, $chosen, true ) ? ' selected' : '' ) . '>' . esc_html( $text ) . '</option>';
			}
			echo '</select>';
			echo '<p class="description" id="aisle-' . esc_attr( $key ) . '-help">' . esc_html( $extra['help'] ?? '' ) . '</p>';
			unset( $extra['help'] );
		} elseif ( 'select' === $type ) {
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
	private function secret( string $key, string $label, array $providers = array() ): void {
		echo $this->row( $providers ) . '<th scope="row">'; // phpcs:ignore WordPress.Security.EscapeOutput -- built escaped.
		echo '<label for="aisle-' . esc_attr( $key ) . '">' . esc_html( $label ) . '</label></th><td>';
		echo '<input class="regular-text" type="password" autocomplete="new-password" id="aisle-' . esc_attr( $key ) . '" name="' . esc_attr( $key ) . '" value="" data-secret="1" />';
		echo ' <span class="aisle-secret-state" data-secret-state="' . esc_attr( $key ) . '"></span>';
		echo '<p class="aisle-field-error" data-field="' . esc_attr( $key ) . '" role="alert"></p></td></tr>';
	}

	/** @return array<int, string> Published pages, id => title. */
	private static function page_options(): array {
		$out = array();
		foreach ( get_pages( array( 'post_status' => 'publish', 'number' => 500, 'sort_column' => 'post_title' ) ) as $p ) {
			$out[ (int) $p->ID ] = '' !== $p->post_title ? $p->post_title : '#' . $p->ID;
		}
		return $out;
	}

	/** @return array<string, string> Product categories, slug => name. */
	private static function category_options(): array {
		$terms = get_terms( array( 'taxonomy' => 'product_cat', 'hide_empty' => false, 'number' => 500 ) );
		$out   = array();
		foreach ( is_array( $terms ) ? $terms : array() as $t ) {
			$out[ $t->slug ] = $t->name;
		}
		return $out;
	}

	/** @return array<string, string> section slug => title, in the order of the section links. */
	public static function sections(): array {
		return array(
			'assistant'  => __( 'Assistant', 'aisle' ),
			'appearance' => __( 'Appearance', 'aisle' ),
			'ai'         => __( 'AI provider', 'aisle' ),
			'catalog'    => __( 'Catalog', 'aisle' ),
			'advanced'   => __( 'Advanced', 'aisle' ),
		);
	}

	/** A heading with its table; $id keeps the anchors the page always had (#aisle-section-remote). */
	private function heading( string $id, string $title, string $intro, string $tag = 'h2' ): void {
		echo '<' . tag_escape( $tag ) . ' id="aisle-section-' . esc_attr( $id ) . '">' . esc_html( $title ) . '</' . tag_escape( $tag ) . '><p>' . esc_html( $intro ) . '</p><table class="form-table" role="presentation">';
	}

	/** Opens a section; only the current one is shown (admin.js switches without a reload). */
	private function open_section( string $slug, string $current ): void {
		echo '<div class="aisle-section" id="aisle-panel-' . esc_attr( $slug ) . '" data-section="' . esc_attr( $slug ) . '" role="region" aria-labelledby="aisle-section-' . esc_attr( $slug ) . '"' . ( $slug === $current ? '' : ' hidden' ) . '>';
	}

	public function render(): void {
		$sections = self::sections();
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- choosing a section.
		$asked   = isset( $_GET['section'] ) ? sanitize_key( wp_unslash( $_GET['section'] ) ) : '';
		$current = isset( $sections[ $asked ] ) ? $asked : 'assistant';
		echo '<div id="aisle-settings">';
		// WooCommerce's section links under its tabs; each says how many of its fields need a fix.
		echo '<ul class="subsubsub" id="aisle-sections">';
		$links = array();
		foreach ( $sections as $slug => $title ) {
			$links[] = '<li><a id="aisle-section-link-' . esc_attr( $slug ) . '" data-section="' . esc_attr( $slug ) . '" href="' . esc_url( AdminMenu::url( 'settings', array( 'section' => $slug ) ) ) . '"' . ( $slug === $current ? ' class="current" aria-current="page"' : '' ) . '>' . esc_html( $title ) . '<span class="aisle-section-errors" hidden></span></a>';
		}
		echo implode( ' | </li>', $links ) . '</li></ul><br class="clear">'; // phpcs:ignore WordPress.Security.EscapeOutput -- escaped above.
		echo '<div id="aisle-notice" class="notice inline" hidden><p></p></div>';
		echo '<form id="aisle-form" novalidate>';

		$this->open_section( 'assistant', $current );
		$this->heading( 'assistant', __( 'Assistant', 'aisle' ), __( 'What the assistant knows about your store and how it speaks.', 'aisle' ) );
		$this->field( 'assistant_paused', __( 'Pause assistant', 'aisle' ), 'checkbox', array( 'help' => __( 'While paused, the chat is not shown on your storefront and the chat routes answer that the assistant is paused. Conversations and leads are kept.', 'aisle' ) ) );
		$this->field( 'store_name', __( 'Store name', 'aisle' ), 'text', array( 'help' => __( 'Shown as the chat window\'s title. Empty: your site title.', 'aisle' ) ) );
		$this->field( 'tone', __( 'Tone', 'aisle' ), 'select', array( 'options' => array( 'friendly' => __( 'Friendly', 'aisle' ), 'professional' => __( 'Professional', 'aisle' ), 'concise' => __( 'Concise', 'aisle' ) ) ) );
		echo '<tr><th scope="row" id="aisle-faq-label">' . esc_html__( 'FAQ', 'aisle' ) . '</th><td><div id="aisle-faq" role="group" aria-labelledby="aisle-faq-label" data-faq="' . esc_attr( (string) wp_json_encode( $this->settings->get( 'faq' ) ) ) . '"></div>';
		echo '<button type="button" class="button" id="aisle-faq-add">' . esc_html__( 'Add question', 'aisle' ) . '</button><p class="aisle-field-error" data-field="faq" role="alert"></p></td></tr>';
		$this->field( 'support_email', __( 'Support email', 'aisle' ), 'email', array( 'help' => __( 'Each new lead is mailed here. Empty: the site\'s admin email.', 'aisle' ) ) );
		$this->field( 'retention_days', __( 'Keep conversations (days)', 'aisle' ), 'number', array( 'help' => __( 'Conversations and leads are deleted after this many days.', 'aisle' ) ) );
		$this->field( 'shareable_coupons', __( 'Coupons the assistant may mention', 'aisle' ), 'text', array( 'help' => __( 'Coupon codes, separated by commas.', 'aisle' ) ) );
		echo '</table>';
		$this->heading( 'leads', __( 'Lead form', 'aisle' ), __( 'When the assistant cannot help, it offers a form for an email or phone number. These fields can be added to it.', 'aisle' ), 'h3' );
		$this->field( 'lead_name', __( 'Ask for a name', 'aisle' ), 'checkbox', array( 'help' => __( 'An optional "Name" field.', 'aisle' ) ) );
		$this->field( 'lead_message', __( 'Ask for a message', 'aisle' ), 'checkbox', array( 'help' => __( 'An optional "Message" field, for what the shopper needs.', 'aisle' ) ) );
		echo '</table>';
		// Chat\Handoff: a person takes over in the Chats tab's Live view.
		$this->heading( 'handoff', __( 'Live handoff', 'aisle' ), __( 'Let your team take over a chat: when a shopper asks for a person, uses one of your words, or the assistant could not answer twice in a row. Answer in Chats → Live.', 'aisle' ), 'h3' );
		$this->field( 'handoff_enabled', __( 'Live handoff to your team', 'aisle' ), 'checkbox', array( 'help' => __( 'Off: shoppers who ask for a person get the lead form, as before.', 'aisle' ) ) );
		$this->field( 'staffed_hours', __( 'Staffed hours', 'aisle' ), 'text', array( 'help' => __( '"always", "never", or ranges in your store\'s time zone separated by semicolons, e.g. "mon-fri 09:00-17:00; sat 10:00-14:00". Outside them shoppers get the lead form.', 'aisle' ) ) );
		$this->field( 'handoff_wait_minutes', __( 'Wait for the team', 'aisle' ), 'number', array( 'unit' => __( 'minutes', 'aisle' ), 'help' => __( 'If nobody takes the chat in this time, the shopper is offered the lead form and the assistant resumes.', 'aisle' ) ) );
		$this->field( 'handoff_idle_minutes', __( 'Give back to the assistant after', 'aisle' ), 'number', array( 'unit' => __( 'minutes without a message', 'aisle' ), 'help' => __( 'A chat your team took goes back to the assistant when nobody writes for this long.', 'aisle' ) ) );
		$this->field( 'handoff_keywords', __( 'Words that call the team', 'aisle' ), 'text', array( 'help' => __( 'Separated by commas, e.g. "refund, damaged". A message with one of them goes to your team at once.', 'aisle' ) ) );
		$this->secret( 'handoff_webhook_url', __( 'Webhook URL (optional)', 'aisle' ) );
		echo '</table></div>';

		$this->open_section( 'appearance', $current );
		$this->heading( 'appearance', __( 'Appearance', 'aisle' ), __( 'How the chat launcher and window look on your storefront. The preview follows as you type.', 'aisle' ) );
		echo '</table><div class="aisle-appearance"><div class="aisle-appearance-fields"><table class="form-table" role="presentation">';
		$this->field( 'accent_color', __( 'Accent color', 'aisle' ), 'color' );
		// Filled by admin.js as the color changes: links and borders in the accent need 3:1 on white.
		echo '<tr class="aisle-accent-row"><td colspan="2"><p id="aisle-accent-warning" class="aisle-accent-warning" aria-live="polite" hidden></p></td></tr>';
		$this->field( 'welcome_message', __( 'Welcome message', 'aisle' ), 'textarea' );
		$this->field( 'launcher_label', __( 'Launcher label', 'aisle' ) );
		$this->field( 'position', __( 'Position', 'aisle' ), 'select', array( 'options' => array( 'right' => __( 'Bottom right', 'aisle' ), 'left' => __( 'Bottom left', 'aisle' ) ) ) );
		$this->field( 'widget_pages', __( 'Show the chat', 'aisle' ), 'select', array( 'options' => array( 'all' => __( 'On every page', 'aisle' ), 'not_checkout' => __( 'On every page but the cart and checkout', 'aisle' ), 'chosen' => __( 'Only on the pages and product categories chosen below', 'aisle' ) ) ) );
		$this->field( 'widget_page_ids', __( 'Pages', 'aisle' ), 'multiselect', array( 'when' => array( 'widget_pages', 'chosen' ), 'options' => self::page_options(), 'help' => __( 'Ctrl or Cmd and click to choose several. The shop page counts as a page.', 'aisle' ) ) );
		$this->field( 'widget_categories', __( 'Product categories', 'aisle' ), 'multiselect', array( 'when' => array( 'widget_pages', 'chosen' ), 'options' => self::category_options(), 'help' => __( 'The chat shows on these categories\' pages and on their products.', 'aisle' ) ) );
		$this->field( 'avatar_url', __( 'Avatar image URL', 'aisle' ), 'url', array( 'help' => __( 'A square image, shown at 28 pixels in the chat window\'s title bar.', 'aisle' ) ) );
		echo '</table></div>';
		$this->preview();
		echo '</div></div>';

		$this->open_section( 'ai', $current );
		$this->heading( 'ai', __( 'AI provider', 'aisle' ), __( 'With no provider, the built-in answerer replies from your catalog, FAQ, shipping and payment settings.', 'aisle' ) );
		$this->field( 'ai_provider', __( 'Provider', 'aisle' ), 'select', array( 'options' => array( 'none' => __( 'None (built-in answerer)', 'aisle' ), 'openai' => __( 'OpenAI-compatible', 'aisle' ), 'anthropic' => __( 'Anthropic', 'aisle' ) ) ) );
		$this->field( 'ai_base_url', __( 'Base URL', 'aisle' ), 'url', array( 'providers' => array( 'openai' ), 'help' => __( 'e.g. https://api.openai.com/v1', 'aisle' ) ) );
		$this->field( 'ai_model', __( 'Model', 'aisle' ), 'text', array( 'providers' => array( 'openai', 'anthropic' ) ) );
		$this->secret( 'ai_api_key', __( 'API key', 'aisle' ), array( 'openai', 'anthropic' ) );
		echo '</table>';
		// Filled by admin.js from the license status: which features the license covers.
		echo '<p class="description" id="aisle-ai-license-note" aria-live="polite"></p>';
		$this->heading( 'license', __( 'License', 'aisle' ), __( 'Activate with your license key, or paste the license token you received. Features that need a license say so.', 'aisle' ), 'h3' );
		$this->secret( 'license_key', __( 'License key', 'aisle' ) );
		echo '<tr><th scope="row"><label for="aisle-license-token">' . esc_html__( 'Or license token', 'aisle' ) . '</label></th><td><textarea class="large-text" rows="2" id="aisle-license-token"></textarea>';
		echo '<p><button type="button" class="button" id="aisle-license-activate">' . esc_html__( 'Activate', 'aisle' ) . '</button></p>';
		echo '<p class="aisle-field-error" data-field="license" role="alert"></p><div id="aisle-license-status" aria-live="polite"></div></td></tr></table></div>';

		$this->open_section( 'catalog', $current );
		$this->heading( 'catalog', __( 'Catalog', 'aisle' ), __( 'The assistant answers from a search index of your products, kept up to date when products change.', 'aisle' ) );
		$this->field( 'include_out_of_stock', __( 'Include out-of-stock products', 'aisle' ), 'checkbox' );
		$this->field( 'include_hidden', __( 'Include hidden products', 'aisle' ), 'checkbox' );
		$this->field( 'synonyms', __( 'Synonyms', 'aisle' ), 'textarea', array( 'help' => __( 'Words your shoppers use for the same thing, one group per line, separated by commas (e.g. "hoodie, kangaroo jumper"). Common shop words are built in. Applied at the next sync.', 'aisle' ) ) );
		echo '<tr><th scope="row">' . esc_html__( 'Sync', 'aisle' ) . '</th><td><button type="button" class="button" id="aisle-sync-now">' . esc_html__( 'Sync now', 'aisle' ) . '</button> <button type="button" class="button" id="aisle-sync-cancel" hidden>' . esc_html__( 'Cancel sync', 'aisle' ) . '</button>';
		echo '<div id="aisle-sync" aria-live="polite"><progress id="aisle-sync-bar" max="1" value="0" aria-label="' . esc_attr__( 'Sync progress', 'aisle' ) . '"></progress> <span id="aisle-sync-text"></span></div>';
		echo '<p class="aisle-field-error" data-field="sync" role="alert"></p></td></tr></table>';
		// Feeds\*: the same catalog served to AI shopping agents (the Agents tab shows the addresses).
		$this->heading( 'agents', __( 'AI shopping agents', 'aisle' ), __( 'What agents such as ChatGPT may read. Each is rebuilt after every sync; robots.txt is not changed.', 'aisle' ), 'h3' );
		$this->field( 'feeds_llms_txt', __( 'Publish /llms.txt', 'aisle' ), 'checkbox', array( 'help' => __( 'A short Markdown summary of your store (categories, best sellers, policies) for language models. On by default: it only links pages your store already shows.', 'aisle' ) ) );
		$this->field( 'feeds_openai', __( 'OpenAI product feed', 'aisle' ), 'checkbox', array( 'help' => __( 'A secret feed address for ChatGPT\'s merchant portal, one row per purchasable variant. Off until you sign up there.', 'aisle' ) ) );
		$this->field( 'feeds_ucp', __( 'UCP catalog for AI agents', 'aisle' ), 'checkbox', array( 'help' => __( 'Publishes /.well-known/ucp and a catalog search and lookup API (Universal Commerce Protocol). Checkout stays on your store.', 'aisle' ) ) );
		$this->field( 'feeds_abilities', __( 'WordPress abilities (MCP)', 'aisle' ), 'checkbox', array( 'help' => __( 'Read-only product search, product details and store policies for WordPress 6.9+\'s Abilities API and MCP clients. Never customers or orders.', 'aisle' ) ) );
		$this->field( 'feeds_brand', __( 'Brand attribute or taxonomy', 'aisle' ), 'text', array( 'help' => __( 'Where each product\'s brand comes from: an attribute (e.g. "Brand" or "pa_brand") or a taxonomy (e.g. "product_brand"). Empty: your store name.', 'aisle' ) ) );
		echo '</table>';
		$this->heading( 'remote', __( 'Remote sync (optional)', 'aisle' ), __( 'Only for merchants who use a hosted Aisle backend: where to push the catalog, and the WooCommerce REST keys it uses.', 'aisle' ), 'h3' );
		$this->field( 'remote_endpoint', __( 'Endpoint URL', 'aisle' ), 'url' );
		$this->secret( 'remote_consumer_key', __( 'Consumer key', 'aisle' ) );
		$this->secret( 'remote_consumer_secret', __( 'Consumer secret', 'aisle' ) );
		echo '</table></div>';

		$this->open_section( 'advanced', $current );
		$this->heading( 'advanced', __( 'Advanced', 'aisle' ), __( 'Limits that protect your store and your AI budget. The defaults suit most stores.', 'aisle' ) );
		$this->field( 'rate_limit_ip', __( 'Messages per visitor address', 'aisle' ), 'number', array( 'unit' => __( 'per minute', 'aisle' ), 'help' => __( 'How many chat messages one IP address may send in a minute (a shared office or mobile network counts as one).', 'aisle' ) ) );
		$this->field( 'rate_limit_session', __( 'Messages per chat', 'aisle' ), 'number', array( 'unit' => __( 'per minute', 'aisle' ), 'help' => __( 'How many messages one chat may send in a minute.', 'aisle' ) ) );
		$this->field( 'rate_limit_reads', __( 'Chat reads per visitor address', 'aisle' ), 'number', array( 'unit' => __( 'per minute', 'aisle' ), 'help' => __( 'How often one IP address may read its chat for new messages (the widget does while your team has the chat, at most every 2 seconds).', 'aisle' ) ) );
		$this->field( 'ai_connect_timeout', __( 'AI connection timeout', 'aisle' ), 'number', array( 'unit' => __( 'seconds', 'aisle' ), 'help' => __( 'How long to wait for the AI provider to accept the connection.', 'aisle' ) ) );
		$this->field( 'ai_timeout', __( 'AI answer timeout', 'aisle' ), 'number', array( 'unit' => __( 'seconds', 'aisle' ), 'help' => __( 'How long an answer may take in all before the shopper is told to try again.', 'aisle' ) ) );
		echo '</table>';
		$this->heading( 'security', __( 'Secrets', 'aisle' ), __( 'Saved keys are encrypted by the aisle extension; only the last four characters are ever shown.', 'aisle' ), 'h3' );
		echo '<tr><th scope="row">' . esc_html__( 'Key source', 'aisle' ) . '</th><td><span id="aisle-key-source"></span> <button type="button" class="button" id="aisle-rotate">' . esc_html__( 'Re-encrypt saved secrets', 'aisle' ) . '</button><p class="aisle-field-error" data-field="rotate" role="alert"></p></td></tr></table></div>';

		echo '<div class="aisle-savebar">';
		submit_button( __( 'Save changes', 'aisle' ), 'primary', 'aisle-save', false );
		echo '</div>';
		// The save result appears here, fixed near the Save button, wherever the page is scrolled.
		echo '<div id="aisle-snackbar" class="aisle-snackbar" role="status" aria-live="polite" hidden></div>';
		echo '</form></div>';
	}

	/**
	 * The live preview: the widget's own markup and stylesheet (widget.css), drawn in a frame
	 * instead of over the page; admin.js redraws it from the fields on every keystroke.
	 */
	private function preview(): void {
		$defaults = array(
			'title'    => get_bloginfo( 'name' ),
			'welcome'  => __( 'Hi! Ask me about our products, shipping or your order.', 'aisle' ),
			'launcher' => __( 'Chat with us', 'aisle' ),
		);
		echo '<figure class="aisle-preview" id="aisle-preview" data-defaults="' . esc_attr( (string) wp_json_encode( $defaults ) ) . '" aria-labelledby="aisle-preview-caption">';
		echo '<figcaption id="aisle-preview-caption">' . esc_html__( 'Preview', 'aisle' ) . '</figcaption>';
		echo '<div class="aisle-preview-frame" inert><div id="aisle-root" class="aisle-right">';
		echo '<div class="aisle-panel"><div class="aisle-header"><img id="aisle-preview-avatar" alt="" width="28" height="28" hidden><h2 id="aisle-preview-title"></h2><span class="aisle-close" aria-hidden="true">×</span></div>';
		echo '<div class="aisle-log"><div class="aisle-msg aisle-assistant" id="aisle-preview-welcome" dir="auto"></div>';
		echo '<div class="aisle-msg aisle-user" dir="auto">' . esc_html__( 'Do you have this hoodie in blue?', 'aisle' ) . '</div>';
		echo '<div class="aisle-msg aisle-assistant" dir="auto"><p>' . esc_html__( 'Yes! Here it is:', 'aisle' ) . ' <a href="#">' . esc_html__( 'Blue hoodie', 'aisle' ) . '</a></p></div></div>';
		echo '<div class="aisle-form"><textarea rows="1" aria-label="' . esc_attr__( 'Message', 'aisle' ) . '" placeholder="' . esc_attr__( 'Ask a question…', 'aisle' ) . '"></textarea><span class="aisle-send">' . esc_html__( 'Send', 'aisle' ) . '</span></div></div>';
		echo '<span class="aisle-launcher" id="aisle-preview-launcher"></span></div></div>';
		echo '<p class="description" id="aisle-preview-avatar-error" role="status" hidden>' . esc_html__( 'The avatar image could not be loaded from this address.', 'aisle' ) . '</p>';
		echo '</figure>';
	}
}
