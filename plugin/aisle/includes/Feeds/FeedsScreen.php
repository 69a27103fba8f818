<?php
/**
 * WooCommerce → Aisle → Agents: the addresses to give AI agents, what the last sync put in the
 * feed (rows, rows left out and why, when), the switches and the token's Rotate button.
 * GET /aisle/v1/feeds returns the same; POST /aisle/v1/feeds/rotate makes a new feed address
 * (the old one is a 404 at once); POST /aisle/v1/feeds/regenerate rewrites the feeds from the
 * last sync's snapshot (the Regenerate button). Switches save through POST /aisle/v1/settings.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Feeds;

use Aisle\Plugin\Admin\AdminMenu;
use Aisle\Plugin\RestController;

defined( 'ABSPATH' ) || exit;

final class FeedsScreen {

	public function __construct( private Config $config, private LlmsTxt $llms, private ?Generator $generator = null ) {}

	public function register(): void {
		add_filter( 'aisle_admin_tabs', array( $this, 'tab' ), 8 );
		add_action( 'rest_api_init', array( $this, 'routes' ) );
		// Settings that change llms.txt's content rebuild it at once.
		add_action( 'update_option_' . \Aisle\Plugin\Settings::OPTION, fn () => $this->llms->refresh() );
		// Knowledge sources (pages published, hidden, switched off) change its page list: one rebuild
		// at the end of the request, however many sources a job touched.
		$later = function () {
			if ( false === has_action( 'shutdown', array( $this->llms, 'refresh' ) ) ) {
				add_action( 'shutdown', array( $this->llms, 'refresh' ) );
			}
		};
		add_action( 'add_option_' . \Aisle\Plugin\Knowledge\KnowledgeBase::OPTION, $later );
		add_action( 'update_option_' . \Aisle\Plugin\Knowledge\KnowledgeBase::OPTION, $later );
	}

	public function tab( array $tabs ): array {
		return $tabs + array( 'agents' => array( __( 'Agents', 'aisle' ), 'manage_woocommerce', array( $this, 'render' ) ) );
	}

	public function routes(): void {
		$admin = static fn () => current_user_can( 'manage_woocommerce' );
		register_rest_route( RestController::NAMESPACE, '/feeds', array( 'methods' => 'GET', 'callback' => fn () => rest_ensure_response( $this->state() ), 'permission_callback' => $admin ) );
		register_rest_route(
			RestController::NAMESPACE,
			'/feeds/rotate',
			array(
				'methods'             => 'POST',
				'callback'            => function () {
					Config::rotate();
					// The files do not change with the address; one that is missing is written again.
					if ( $this->generator && ! $this->generator->written() ) {
						$this->generator->queue();
					}
					return rest_ensure_response( $this->state() );
				},
				'permission_callback' => $admin,
			)
		);
		register_rest_route(
			RestController::NAMESPACE,
			'/feeds/regenerate',
			array(
				'methods'             => 'POST',
				'callback'            => function () {
					if ( ! $this->generator || ! is_file( Generator::snapshot() ) ) {
						return new \WP_Error( 'aisle_no_snapshot', __( 'No catalog has been synced yet: run a catalog sync first.', 'aisle' ), array( 'status' => 409 ) );
					}
					if ( ! $this->generator->wanted() ) {
						return new \WP_Error( 'aisle_feeds_off', __( 'Every agent surface is switched off.', 'aisle' ), array( 'status' => 409 ) );
					}
					$this->generator->regenerate();
					return rest_ensure_response( $this->state() );
				},
				'permission_callback' => $admin,
			)
		);
	}

	public function state(): array {
		$s = Config::state();
		return array(
			'openai_feed_url' => Config::feed_url(),
			'acp_feed_url'    => Config::acp_feed_url(),
			'llms_txt_url'    => Config::llms_url(),
			'ucp_profile_url' => Config::ucp_profile_url(),
			'enabled'         => array(
				'openai'    => $this->config->on( 'openai' ),
				'acp'       => $this->config->on( 'openai' ),
				'llms_txt'  => $this->config->on( 'llms_txt' ),
				'ucp'       => $this->config->on( 'ucp' ),
				'abilities' => $this->config->on( 'abilities' ) && function_exists( 'wp_register_ability' ),
			),
			'rows'            => (int) $s['rows'],
			'products'        => (int) ( $s['products'] ?? 0 ),
			'skipped'         => (object) $s['skipped'],
			// The kinds of file the last write made (before the option existed: all three).
			'files'           => array_values( (array) ( $s['files'] ?? ( $s['generated_at'] ? array_keys( Generator::FILES ) : array() ) ) ),
			'generated_at'    => $s['generated_at'] ? gmdate( 'c', (int) $s['generated_at'] ) : null,
			'source'          => $s['source'] ?? null,
			'error'           => $s['error'] ?? null,
		);
	}

	private static function reason( string $r ): string {
		$labels = array(
			'no_image'             => __( 'no image', 'aisle' ),
			'no_price'             => __( 'no price', 'aisle' ),
			'no_url'               => __( 'no product page', 'aisle' ),
			'no_variations'        => __( 'variable product without variations', 'aisle' ),
			'grouped'              => __( 'grouped product (its products are listed)', 'aisle' ),
			'hidden'               => __( 'hidden from the catalog', 'aisle' ),
			'not_published'        => __( 'not published', 'aisle' ),
			'unknown_availability' => __( 'unknown stock status', 'aisle' ),
		);
		return $labels[ $r ] ?? $r;
	}

	public function render(): void {
		$s    = $this->state();
		$rows = array(
			array( 'openai', __( 'OpenAI product feed', 'aisle' ), $s['openai_feed_url'], __( 'Paste this address into the agent\'s merchant portal. It is secret: rotate it if it leaks.', 'aisle' ) ),
			array( 'acp', __( 'ACP product feed', 'aisle' ), $s['acp_feed_url'], __( 'The same products as Agentic Commerce Protocol product objects, for agents that read the structured feed.', 'aisle' ) ),
			array( 'llms_txt', 'llms.txt', $s['llms_txt_url'], __( 'A summary of the store for language models, rebuilt after each sync.', 'aisle' ) ),
			array( 'ucp', __( 'UCP profile', 'aisle' ), $s['ucp_profile_url'], __( 'Universal Commerce Protocol: catalog search and lookup for AI agents.', 'aisle' ) ),
		);
		echo '<h2>' . esc_html__( 'AI shopping agents', 'aisle' ) . '</h2>';
		echo '<p>' . esc_html__( 'The same synced catalog the assistant uses, served to AI agents. Links carry utm_source=<agent> and utm_medium=ai_agent, so WooCommerce attributes the orders.', 'aisle' ) . '</p>';
		echo '<table class="widefat striped aisle-feeds"><thead><tr><th>' . esc_html__( 'Surface', 'aisle' ) . '</th><th>' . esc_html__( 'Status', 'aisle' ) . '</th><th>' . esc_html__( 'Address', 'aisle' ) . '</th></tr></thead><tbody>';
		foreach ( $rows as [ $key, $label, $url, $help ] ) {
			$on = ! empty( $s['enabled'][ $key ] );
			echo '<tr><th scope="row">' . esc_html( $label ) . '</th><td>' . ( $on ? esc_html__( 'On', 'aisle' ) : esc_html__( 'Off', 'aisle' ) ) . '</td><td><code class="aisle-feed-url" data-surface="' . esc_attr( $key ) . '">' . esc_html( $url ) . '</code><p class="description">' . esc_html( $help ) . '</p></td></tr>';
		}
		echo '<tr><th scope="row">' . esc_html__( 'WordPress abilities (MCP)', 'aisle' ) . '</th><td>' . ( $s['enabled']['abilities'] ? esc_html__( 'On', 'aisle' ) : esc_html__( 'Off', 'aisle' ) ) . '</td><td><code>aisle/search-products</code>, <code>aisle/get-product</code>, <code>aisle/store-policies</code></td></tr>';
		echo '</tbody></table>';
		echo '<h3>' . esc_html__( 'Last feed', 'aisle' ) . '</h3><ul class="aisle-feed-stats">';
		if ( in_array( 'openai', $s['files'], true ) ) {
			/* translators: %d: number of feed rows. */
			echo '<li>' . esc_html( sprintf( __( '%d rows (one per purchasable variant)', 'aisle' ), $s['rows'] ) ) . '</li>';
		} elseif ( $s['generated_at'] ) {
			echo '<li class="aisle-feed-not-written">' . esc_html__( 'OpenAI and ACP product feeds not written: the OpenAI product feed is off. Switching it on writes them.', 'aisle' ) . '</li>';
		}
		foreach ( (array) $s['skipped'] as $reason => $n ) {
			/* translators: 1: number of products, 2: why they were left out. */
			echo '<li>' . esc_html( sprintf( __( '%1$d left out: %2$s', 'aisle' ), $n, self::reason( (string) $reason ) ) ) . '</li>';
		}
		echo '<li>' . esc_html( $s['generated_at'] ? sprintf( /* translators: %s: date and time. */ __( 'Generated %s', 'aisle' ), wp_date( 'Y-m-d H:i', strtotime( $s['generated_at'] ) ) ) : __( 'Not generated yet: run a catalog sync.', 'aisle' ) ) . '</li>';
		if ( $s['error'] ) {
			echo '<li class="notice notice-error inline">' . esc_html( $s['error'] ) . '</li>';
		}
		echo '</ul>';
		echo '<p><button type="button" class="button" id="aisle-feed-rotate">' . esc_html__( 'Rotate feed address', 'aisle' ) . '</button> <button type="button" class="button" id="aisle-feed-regenerate">' . esc_html__( 'Regenerate feeds', 'aisle' ) . '</button></p>';
		echo '<p class="description">' . esc_html__( 'Switch each surface on or off and choose the brand attribute under Settings → Agents.', 'aisle' ) . '</p>';
		$script = 'document.getElementById("aisle-feed-rotate").addEventListener("click",function(){if(!confirm(' . wp_json_encode( __( 'The current feed address stops working at once. Continue?', 'aisle' ) ) . '))return;wp.apiFetch({path:"/' . RestController::NAMESPACE . '/feeds/rotate",method:"POST"}).then(function(s){document.querySelector(\'.aisle-feed-url[data-surface="openai"]\').textContent=s.openai_feed_url;document.querySelector(\'.aisle-feed-url[data-surface="acp"]\').textContent=s.acp_feed_url;});});'
			. 'document.getElementById("aisle-feed-regenerate").addEventListener("click",function(e){e.target.disabled=true;wp.apiFetch({path:"/' . RestController::NAMESPACE . '/feeds/regenerate",method:"POST"}).then(function(){location.reload();},function(r){e.target.disabled=false;alert(r.message);});});';
		wp_enqueue_script( 'wp-api-fetch' );
		wp_add_inline_script( 'wp-api-fetch', $script );
	}
}
