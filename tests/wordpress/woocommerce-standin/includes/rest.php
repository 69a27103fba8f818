<?php
// phpcs:ignoreFile -- test stand-in.
/*
 * For the sync benchmark only: the per-product read path WooCommerce's wc_get_product()->get_data()
 * takes (post, all post meta, terms, lookup row: one object at a time), and a GET /wc/v3/products
 * route that pages it 100 at a time the way a remote AI service crawls a store. Much lighter than
 * real WooCommerce (no WC_Product objects, no extensions' filters, no image/variation expansion),
 * so it flatters both per-product paths; tests/bench/sync.php says so in its output.
 */

function standin_product_data( int $id ): ?array {
	$post = get_post( $id );
	if ( ! $post || 'product' !== $post->post_type ) {
		return null;
	}
	$meta  = get_post_meta( $id );
	$one   = static fn ( string $k ) => $meta[ $k ][0] ?? '';
	$terms = static fn ( string $tax ) => array_map( static fn ( $t ) => array( 'id' => $t->term_id, 'name' => $t->name, 'slug' => $t->slug ), wp_get_post_terms( $id, $tax ) ?: array() );
	$attrs = array();
	foreach ( (array) maybe_unserialize( $one( '_product_attributes' ) ) as $a ) {
		$attrs[] = array( 'name' => $a['name'] ?? '', 'options' => array_map( 'trim', explode( '|', (string) ( $a['value'] ?? '' ) ) ) );
	}
	$type = wp_get_post_terms( $id, 'product_type', array( 'fields' => 'slugs' ) );
	return array(
		'id'                => $id,
		'name'              => $post->post_title,
		'slug'              => $post->post_name,
		'permalink'         => get_permalink( $post ),
		'date_created'      => $post->post_date,
		'date_modified'     => $post->post_modified,
		'type'              => $type[0] ?? 'simple',
		'status'            => $post->post_status,
		'description'       => $post->post_content,
		'short_description' => $post->post_excerpt,
		'sku'               => $one( '_sku' ),
		'price'             => $one( '_price' ),
		'regular_price'     => $one( '_regular_price' ),
		'sale_price'        => $one( '_sale_price' ),
		'stock_status'      => $one( '_stock_status' ),
		'categories'        => $terms( 'product_cat' ),
		'tags'              => $terms( 'product_tag' ),
		'attributes'        => $attrs,
		'meta_data'         => array(),
	);
}

add_action( 'rest_api_init', static function () {
	register_rest_route(
		'wc/v3',
		'/products',
		array(
			'methods'             => 'GET',
			'permission_callback' => static fn () => current_user_can( 'manage_woocommerce' ),
			'args'                => array(
				'per_page' => array( 'type' => 'integer', 'default' => 10, 'minimum' => 1, 'maximum' => 100 ),
				'page'     => array( 'type' => 'integer', 'default' => 1, 'minimum' => 1 ),
			),
			'callback'            => static function ( WP_REST_Request $request ) {
				$query = new WP_Query( array( 'post_type' => 'product', 'post_status' => 'publish', 'posts_per_page' => $request['per_page'], 'paged' => $request['page'], 'orderby' => 'ID', 'order' => 'ASC', 'fields' => 'ids' ) );
				$out   = array_values( array_filter( array_map( 'standin_product_data', $query->posts ) ) );
				$res   = rest_ensure_response( $out );
				$res->header( 'X-WP-Total', (string) $query->found_posts );
				$res->header( 'X-WP-TotalPages', (string) $query->max_num_pages );
				return $res;
			},
		)
	);
} );
