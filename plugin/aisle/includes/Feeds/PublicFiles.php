<?php
/**
 * The three addresses outside the REST API: /llms.txt, /.well-known/ucp and the feed at
 * /aisle-feeds/<token>/openai-feed.jsonl.gz (and acp-products.jsonl.gz beside it). Rewrite rules map them to the aisle_agent query
 * var; the request path is matched too, so they answer before the rules are flushed and on
 * plain permalinks. A surface that is off, or a wrong token, is WordPress's ordinary 404.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Feeds;

defined( 'ABSPATH' ) || exit;

final class PublicFiles {

	public function __construct( private Config $config, private LlmsTxt $llms, private Ucp $ucp ) {}

	public function register(): void {
		add_action( 'init', array( $this, 'rewrites' ) );
		add_filter( 'query_vars', static fn ( $vars ) => array_merge( $vars, array( 'aisle_agent', 'aisle_feed_token' ) ) );
		add_action( 'parse_request', array( $this, 'serve' ), 0 );
	}

	public function rewrites(): void {
		add_rewrite_rule( '^llms\.txt$', 'index.php?aisle_agent=llms', 'top' );
		add_rewrite_rule( '^\.well-known/ucp/?$', 'index.php?aisle_agent=ucp', 'top' );
		add_rewrite_rule( '^aisle-feeds/([a-f0-9]{32})/openai-feed\.jsonl\.gz$', 'index.php?aisle_agent=openai&aisle_feed_token=$matches[1]', 'top' );
		add_rewrite_rule( '^aisle-feeds/([a-f0-9]{32})/acp-products\.jsonl\.gz$', 'index.php?aisle_agent=acp&aisle_feed_token=$matches[1]', 'top' );
	}

	/** @return array{0: string, 1: string}|null [surface, token] the request asks for. */
	public static function match( \WP $wp ): ?array {
		$agent = (string) ( $wp->query_vars['aisle_agent'] ?? '' );
		if ( '' !== $agent ) {
			return array( $agent, (string) ( $wp->query_vars['aisle_feed_token'] ?? '' ) );
		}
		$path = trim( (string) $wp->request, '/' );
		if ( '' === $path ) {
			// Plain permalinks leave $wp->request empty: read the path itself, below the home path.
			$uri  = (string) wp_parse_url( (string) ( $_SERVER['REQUEST_URI'] ?? '' ), PHP_URL_PATH ); // phpcs:ignore WordPress.Security
			$home = (string) wp_parse_url( home_url( '/' ), PHP_URL_PATH );
			$path = trim( str_starts_with( $uri, $home ) ? substr( $uri, strlen( $home ) ) : $uri, '/' );
		}
		// PATH_INFO addresses (/index.php/llms.txt): servers without a rewrite to index.php.
		$path = preg_replace( '#^index\.php/#', '', $path );
		if ( 'llms.txt' === $path ) {
			return array( 'llms', '' );
		}
		if ( '.well-known/ucp' === $path ) {
			return array( 'ucp', '' );
		}
		if ( preg_match( '#^aisle-feeds/([a-f0-9]{32})/(openai-feed|acp-products)\.jsonl\.gz$#', $path, $m ) ) {
			return array( 'openai-feed' === $m[2] ? 'openai' : 'acp', $m[1] );
		}
		return null;
	}

	public function serve( \WP $wp ): void {
		$m = self::match( $wp );
		if ( ! $m ) {
			return;
		}
		[ $agent, $token ] = $m;
		if ( 'llms' === $agent && $this->config->on( 'llms_txt' ) ) {
			$this->send( 'text/plain; charset=utf-8', $this->llms->text(), 'public, max-age=3600' );
		} elseif ( 'ucp' === $agent && $this->config->on( 'ucp' ) ) {
			$this->send( 'application/json', (string) wp_json_encode( $this->ucp->profile(), JSON_UNESCAPED_SLASHES ), 'public, max-age=3600' );
		} elseif ( in_array( $agent, array( 'openai', 'acp' ), true ) && $this->config->on( 'openai' ) && hash_equals( Config::token(), $token ) && is_file( Config::dir() . ( 'acp' === $agent ? '/acp-products.jsonl.gz' : '/openai-feed.jsonl.gz' ) ) ) {
			$file = Config::dir() . ( 'acp' === $agent ? '/acp-products.jsonl.gz' : '/openai-feed.jsonl.gz' );
			status_header( 200 );
			header( 'Content-Type: application/gzip' );
			header( 'Content-Length: ' . filesize( $file ) );
			header( 'Cache-Control: private, no-store' );
			header( 'X-Robots-Tag: noindex' );
			if ( 'HEAD' !== ( $_SERVER['REQUEST_METHOD'] ?? 'GET' ) ) { // phpcs:ignore WordPress.Security
				readfile( $file ); // phpcs:ignore WordPress.WP.AlternativeFunctions
			}
			exit;
		} else {
			if ( in_array( $agent, array( 'openai', 'acp' ), true ) && $this->config->on( 'openai' ) && hash_equals( Config::token(), $token ) ) {
				do_action( 'aisle_feed_missing' ); // The right address, but no file: written again from the snapshot.
			}
			// Off, unknown or a rotated token: the theme's 404, as for any missing page.
			// No canonical redirect either: WordPress would guess a similar page for a feed address.
			$wp->query_vars = array( 'error' => '404' );
			add_filter( 'redirect_canonical', '__return_false' );
		}
	}

	private function send( string $type, string $body, string $cache ): void {
		status_header( 200 );
		header( 'Content-Type: ' . $type );
		header( 'Cache-Control: ' . $cache );
		header( 'Access-Control-Allow-Origin: *' );
		echo $body; // phpcs:ignore WordPress.Security.EscapeOutput -- plain text / JSON, not HTML.
		exit;
	}
}
