<?php
/**
 * REST routes of the knowledge base (manage_woocommerce): list, upload, change, delete, search
 * (the admin's "Try a question" box) and a full re-index of the site's pages.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Knowledge;

use Aisle\Plugin\RestController;

defined( 'ABSPATH' ) || exit;

final class KnowledgeRoutes {

	public function __construct( private KnowledgeBase $base ) {}

	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'routes' ) );
	}

	public function routes(): void {
		$admin = static fn () => current_user_can( 'manage_woocommerce' );
		register_rest_route(
			RestController::NAMESPACE,
			'/knowledge',
			array(
				array( 'methods' => 'GET', 'callback' => fn () => rest_ensure_response( array_values( array_map( array( KnowledgeBase::class, 'view' ), $this->base->all() ) ) ), 'permission_callback' => $admin ),
				array( 'methods' => 'POST', 'callback' => array( $this, 'upload' ), 'permission_callback' => $admin ),
			)
		);
		register_rest_route(
			RestController::NAMESPACE,
			'/knowledge/search',
			array(
				'methods'             => 'GET',
				'callback'            => fn ( \WP_REST_Request $r ) => rest_ensure_response( KnowledgeBase::search( (string) $r->get_param( 'q' ), 5 ) ),
				'permission_callback' => $admin,
				'args'                => array( 'q' => array( 'type' => 'string', 'required' => true ) ),
			)
		);
		register_rest_route(
			RestController::NAMESPACE,
			'/knowledge/sync',
			array( 'methods' => 'POST', 'callback' => fn () => rest_ensure_response( array( 'queued' => $this->base->sync_site() ) ), 'permission_callback' => $admin )
		);
		register_rest_route(
			RestController::NAMESPACE,
			'/knowledge/(?P<id>[a-z]+:[A-Za-z0-9_-]+)',
			array(
				array( 'methods' => 'PATCH', 'callback' => array( $this, 'change' ), 'permission_callback' => $admin ),
				array( 'methods' => 'DELETE', 'callback' => array( $this, 'remove' ), 'permission_callback' => $admin ),
			)
		);
	}

	private static function error( string $code, string $message, int $status ): \WP_Error {
		return new \WP_Error( "aisle_knowledge_$code", $message, array( 'status' => $status, 'reason' => $code ) );
	}

	/** Multipart field `file`, optional `title`: 201 once extracted, 202 while queued, 400 for a bad file. */
	public function upload( \WP_REST_Request $r ) {
		if ( ! KnowledgeBase::available() ) {
			return self::error( 'unavailable', __( 'The Aisle extension is missing or too old for the knowledge base.', 'aisle' ), 503 );
		}
		$file = $r->get_file_params()['file'] ?? null;
		if ( ! is_array( $file ) || UPLOAD_ERR_OK !== (int) ( $file['error'] ?? UPLOAD_ERR_NO_FILE ) || ! is_uploaded_file( (string) $file['tmp_name'] ) ) {
			return self::error( 'no_file', __( 'Send the document in the multipart field "file".', 'aisle' ), 400 );
		}
		try {
			$source = $this->base->add_upload( (string) $file['tmp_name'], (string) $file['name'], (string) $r->get_param( 'title' ) );
		} catch ( \InvalidArgumentException $e ) {
			[ $reason, $message ] = array_pad( explode( ':', $e->getMessage(), 2 ), 2, '' );
			return self::error( $reason, $message, 400 );
		}
		$source = $this->base->get( $source['id'] ) ?? $source;
		if ( 'error' === $source['status'] ) {
			$this->base->delete( $source['id'] );
			return self::error( (string) $source['error']['reason'], (string) $source['error']['message'], 400 );
		}
		$body = array( 'id' => $source['id'], 'title' => $source['title'], 'status' => $source['status'], 'passages' => $source['passages'] );
		return new \WP_REST_Response( $body, 'indexed' === $source['status'] ? 201 : 202 );
	}

	public function change( \WP_REST_Request $r ) {
		$changes = array_intersect_key( (array) $r->get_json_params(), array( 'title' => 1, 'enabled' => 1 ) );
		$source  = $this->base->update( (string) $r['id'], $changes );
		return $source ? rest_ensure_response( KnowledgeBase::view( $source ) ) : self::error( 'not_found', __( 'No such knowledge source.', 'aisle' ), 404 );
	}

	public function remove( \WP_REST_Request $r ) {
		return $this->base->delete( (string) $r['id'] ) ? rest_ensure_response( array( 'deleted' => true ) ) : self::error( 'not_found', __( 'No such knowledge source.', 'aisle' ), 404 );
	}
}
